"""gunicorn settings: ``gunicorn -c python:dispatch.gunicorn_conf dispatch.wsgi``.

With no ``DATABASE_URL``, the master process starts the embedded PostgreSQL once, before any
worker is forked, and hands its address to the workers through ``DATABASE_URL``; the server
stops when the master exits.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from dispatch.env import env_int, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PORT = env_int("PORT", 8000, minimum=1, maximum=65535)
BIND_ADDRESS = env_str("BIND_ADDRESS", "127.0.0.1")

bind = f"{BIND_ADDRESS}:{PORT}"
workers = env_int("WEB_CONCURRENCY", 3, minimum=1, maximum=64)
threads = env_int("WEB_THREADS", 1, minimum=1, maximum=64)
timeout = 30
accesslog = "-"
errorlog = "-"

logger = logging.getLogger("gunicorn.error")


def on_starting(server: Any) -> None:
    if env_str("DATABASE_URL") is not None:
        return
    from dispatch import embedded_pg

    data_dir = env_path("DATA_DIR", Path(".data"), base=BASE_DIR)
    embedded = embedded_pg.ensure_started(data_dir, database="dispatch")
    # Workers read DATABASE_URL like any configured server: none of them starts its own.
    os.environ["DATABASE_URL"] = embedded.url("dispatch")
    logger.info("embedded PostgreSQL running under %s", embedded.pgdata)


def when_ready(server: Any) -> None:
    host = "127.0.0.1" if BIND_ADDRESS in {"0.0.0.0", "::"} else BIND_ADDRESS
    logger.info("Serving on http://%s:%s/", host, PORT)
