"""``manage.py restore FILE [--database-url URL]``: restore a backup into an empty database.

In order, stopping at the first problem with one plain line and a non-zero exit: the dump's
SHA-256 must match its ``.sha256`` file; the target must have no tables; ``pg_restore`` runs
in a single transaction (all or nothing); the restored log must verify and, when the backup's
``.json`` record is there, end at the head the backup recorded.
"""

from __future__ import annotations

import json
import subprocess
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import psycopg
from django.core.management.base import BaseCommand, CommandError

from dispatch.management.commands.backup import (
    file_sha256,
    first_error,
    libpq_params,
    pg_tool,
    tool_args,
)
from intake.log import _COLUMNS, GENESIS, verify

EMPTY_HOW = (
    "restore only into an empty database: create one (CREATE DATABASE name TEMPLATE template0;"
    " or, for the embedded server, a new DATA_DIR) and pass it with --database-url or"
    " DATABASE_URL"
)


class Command(BaseCommand):
    help = "Restore a backup dump into an empty database, then verify the restored contact log."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The .dump written by manage.py backup.")
        parser.add_argument(
            "--database-url",
            help="Restore into this (empty) database instead of the configured one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dump = Path(options["file"]).expanduser()
        recorded = self._check(dump)
        params = libpq_params(options["database_url"])
        name = params.get("dbname", "")
        started = time.perf_counter()
        try:
            with psycopg.connect(**params, autocommit=True) as conn:  # type: ignore[arg-type]
                version_num = conn.info.server_version
                tables = conn.execute(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
                ).fetchone()
        except psycopg.Error as exc:
            raise CommandError(f"cannot connect to the database: {first_error(str(exc))}") from None
        if tables is not None and tables[0]:
            raise CommandError(
                f"the database {name} is not empty ({tables[0]} relations in schema public); "
                + EMPTY_HOW
            )

        conninfo, env = tool_args(params)
        result = subprocess.run(
            [
                pg_tool("pg_restore", version_num),
                "--exit-on-error",
                "--single-transaction",  # a failed restore leaves the database empty
                # Objects belong to whoever restores; grants name roles the target may lack, so
                # the web role's are given again by `manage.py db_web_role` after a restore.
                "--no-owner",
                "--no-privileges",
                "--no-password",
                f"--dbname={conninfo}",
                str(dump),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed, nothing restored: {first_error(result.stderr)}")

        entries, head = self._verify(params)
        elapsed = time.perf_counter() - started
        if recorded is not None and (entries, head) != recorded:
            raise CommandError(
                f"restored log ends at {entries} entries, head {head}, but the backup recorded"
                f" {recorded[0]} entries, head {recorded[1]}"
            )
        as_recorded = ", as the backup recorded" if recorded is not None else ""
        self.stdout.write(
            f"Restored {dump.name} into {name} in {elapsed:.1f} s: log verified,"
            f" {entries} entries, head {head}{as_recorded}"
        )

    def _check(self, dump: Path) -> tuple[int, str] | None:
        """Refuse a missing or altered dump; return the log head its backup recorded, if known."""
        checksum = dump.with_name(dump.name + ".sha256")
        if not dump.is_file():
            raise CommandError(f"{dump}: no such file")
        if not checksum.is_file():
            raise CommandError(f"{checksum}: missing, refusing a dump whose checksum is unknown")
        expected = checksum.read_text().split(maxsplit=1)[:1]
        actual = file_sha256(dump)
        if expected != [actual]:
            raise CommandError(
                f"{dump}: checksum mismatch (sha256 {actual}, {checksum.name} says"
                f" {expected[0] if expected else 'nothing'}), refusing to restore"
            )
        sidecar = dump.with_name(dump.name + ".json")
        if not sidecar.is_file():
            return None
        try:
            log = json.loads(sidecar.read_text())["log"]
            return int(log["entries"]), str(log["head"])
        except (ValueError, KeyError, TypeError):
            raise CommandError(f"{sidecar}: not a backup record") from None

    def _verify(self, params: dict[str, str]) -> tuple[int, str]:
        """Walk the restored log's chain, in the restored database, up to its recorded head."""
        with (
            psycopg.connect(**params) as conn,  # type: ignore[arg-type]
            conn.transaction(),
        ):
            exists = conn.execute("SELECT to_regclass('public.intake_loghead') IS NOT NULL")
            if not (exists.fetchone() or (False,))[0]:
                raise CommandError("restored, but the dump holds no contact log (intake_loghead)")
            row = conn.execute("SELECT count, hash FROM intake_loghead WHERE id = 1").fetchone()
            head = (int(row[0]), str(row[1])) if row is not None else (0, GENESIS)
            # jsonb comes back as text, as through Django, so the hashed bytes are the same.
            conn.adapters.register_loader("jsonb", psycopg.types.string.TextLoader)
            with conn.cursor(name="restore_verify") as cursor:
                cursor.execute(f"SELECT {', '.join(_COLUMNS)} FROM intake_event ORDER BY id")
                result = verify(cursor, head=head)
        if not result.ok:
            raise CommandError(f"restored, but the log does not verify: {result.problem}")
        return result.entries, result.head
