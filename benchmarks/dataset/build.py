"""The build: generate the data set and load it into a migrated, empty database."""

from __future__ import annotations

import contextlib
import time

import psycopg
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

from benchmarks.dataset.columns import BULK_TABLES, COLUMNS
from benchmarks.dataset.config import BENCH_PASSWORD, SEED, log
from benchmarks.dataset.generator import Generator
from benchmarks.dataset.load import _check_columns, _copy_small, _copy_sql, _Schema, _session
from benchmarks.dataset.server import _django


def build(url: str, contacts: int, *, seed: int = SEED) -> tuple[dict[str, int], str]:
    """Load ``contacts`` contacts and their story into the migrated, empty database at
    ``url``; returns the rows written per table and the log's head hash."""
    _django()
    from django.contrib.auth.hashers import make_password

    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        _session(conn)
        _check_columns(conn)
        (entries,) = conn.execute("SELECT count(*) FROM intake_event").fetchone() or (0,)
        if entries:
            raise RuntimeError("the bench database's log is not empty")
        groups: dict[str, int] = dict(conn.execute("SELECT name, id FROM auth_group").fetchall())
        schema = _Schema.read(conn)
        schema.drop(conn)
        conn.commit()

        gen = Generator(contacts, seed, groups)
        gen.staff(make_password(BENCH_PASSWORD))
        _copy_small(conn, gen)  # committed first: the small tables' foreign keys stay on
        with contextlib.ExitStack() as stack:
            for table in BULK_TABLES:
                # One connection per table: their COPYs run side by side, each in its own
                # server process, while this one generates the rows.
                copy_conn = stack.enter_context(psycopg.connect(url))
                copy_conn.execute("SET synchronous_commit = off")
                cursor = stack.enter_context(copy_conn.cursor())
                # A writer thread sends the data: generating never waits for the socket.
                writer = QueuedLibpqWriter(cursor)
                copy = stack.enter_context(cursor.copy(_copy_sql(table), writer=writer))
                gen.write[table] = copy.write_row
            gen.run()
            log("generated", gen.counts["intake_contact"], started)
        log("copied", gen.counts["intake_event"], started)
        gen.write.clear()
        gen.finish_small_tables()
        _copy_small(conn, gen)
        counts = dict(sorted(gen.counts.items()))

        conn.execute(
            "UPDATE intake_loghead SET count = %s, hash = %s WHERE id = 1",
            [gen.entry_id, gen.head],
        )
        for table in COLUMNS:
            if table in {"intake_event", "intake_referencecounter"}:
                continue  # entries are numbered by the log itself; counters keyed by year
            conn.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({table}, 'id'),"
                    " coalesce(max(id), 1), max(id) IS NOT NULL) FROM {name}"
                ).format(table=sql.Literal(table), name=sql.Identifier(table))
            )
        conn.commit()
        schema.restore(conn, started)
    with psycopg.connect(url, autocommit=True) as conn:
        _session(conn)
        conn.execute("VACUUM ANALYZE")
    log("vacuum analyze", None, started)
    return counts, gen.head
