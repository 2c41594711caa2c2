# Production image: gunicorn serving the app, static files by whitenoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATA_DIR=/app/data \
    PORT=8000 \
    BIND_ADDRESS=0.0.0.0

WORKDIR /app
COPY pyproject.toml README.md manage.py ./
COPY dispatch ./dispatch
COPY intake ./intake
COPY templates ./templates
COPY static ./static

# Editable, so the project folder (templates, static) stays where settings look for it.
RUN pip install --no-cache-dir -e . \
 && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
 && useradd --system --home /app app \
 && chown -R app /app/data

USER app
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["gunicorn", "-c", "python:dispatch.gunicorn_conf", "dispatch.wsgi"]
