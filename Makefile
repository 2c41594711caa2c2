# Everything a fresh clone needs, from nothing but Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8000

CHROMIUM ?= /usr/bin/chromium

.PHONY: install run dev test lint typecheck bench load backup restore browser clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Open http://127.0.0.1:$(PORT)/ and sign in with a demo login above."
	@echo "Multi-factor sign-in is off for this local demo (MFA_REQUIRED=false)."
	MFA_REQUIRED=false PORT=$(PORT) $(BIN)/gunicorn -c python:dispatch.gunicorn_conf dispatch.wsgi

dev: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	MFA_REQUIRED=false DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy dispatch intake tests benchmarks

# Browser tests drive Debian's Chromium (Playwright's own browser download needs the internet).
browser:
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@test -x $(CHROMIUM) || { echo "chromium is missing: apt-get install chromium"; exit 1; }

test: lint typecheck browser
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest

# Speed figures at BENCH_CONTACTS contacts (default 1,000,000; the data set is built once and
# kept under DATA_DIR). Timed figures live here, never in `make test`.
bench: install
	$(PY) -m benchmarks

# Load and fault run: 32+ signed-in clients against gunicorn, the database stopped mid-run.
load: install
	$(PY) -m benchmarks.load

# A consistent dump with its checksum (BACKUP_DIR, default DATA_DIR/backups).
backup: install
	$(PY) manage.py backup

# Restore a dump into an empty database: make restore FILE=path/to/dump
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=path/to/backup.dump"; exit 2; }
	$(PY) manage.py restore "$(FILE)"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
