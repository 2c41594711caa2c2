"""Where the data set lives: Django set up, the server's URLs, the migrations and running them."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from benchmarks.dataset.config import DEFAULT_CONTACTS
from benchmarks.processes import manage


def _django() -> None:
    """Set Django up (settings, apps) once: the log's functions and the migrations need it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dispatch.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def contacts_setting() -> int:
    """BENCH_CONTACTS from the environment (default 1,000,000)."""
    raw = os.environ.get("BENCH_CONTACTS", "").replace("_", "").replace(",", "").strip()
    if not raw:
        return DEFAULT_CONTACTS
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"BENCH_CONTACTS must be a positive whole number, not {raw!r}")
    return int(raw)


def database_name(contacts: int) -> str:
    return f"bench_{contacts}"


def server_url(database: str) -> str:
    """The URL of ``database`` on the app's server: the embedded one (started if needed, kept
    running while this process lives) or the one ``DATABASE_URL`` names."""
    _django()
    from django.conf import settings

    from dispatch import embedded_pg

    default = settings.DATABASES["default"]
    if "DATA_DIR" in default:
        server = embedded_pg.ensure_started(
            Path(str(default["DATA_DIR"])), database=str(default["EMBEDDED_DATABASE"])
        )
        return server.url(database)
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


@functools.cache
def _maintenance_url() -> str:
    """Where to CREATE and DROP data sets and take the build lock: the server's ``postgres``
    database, else the app's own (never a data set, which may be the one being dropped)."""
    _django()
    from django.conf import settings

    candidate = server_url("postgres")
    if "DATA_DIR" in settings.DATABASES["default"]:
        return candidate
    try:
        psycopg.connect(candidate, connect_timeout=10).close()
    except psycopg.Error:
        return os.environ["DATABASE_URL"]
    return candidate


def migration_names() -> list[str]:
    """Every migration the code has (``app.name``), as a fresh ``migrate`` applies them."""
    _django()
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.nodes)


def _migrate(url: str) -> None:
    """The app's own migrations, run by ``manage.py`` against the new database."""
    manage("migrate", "--noinput", "-v", "0", env={**os.environ, "DATABASE_URL": url})
