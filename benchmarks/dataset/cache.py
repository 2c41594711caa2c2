"""The build marker on the database: reuse a complete data set, else drop and build it again."""

from __future__ import annotations

import contextlib
import json
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from benchmarks.dataset.build import build
from benchmarks.dataset.config import DATASET_VERSION, SEED, log
from benchmarks.dataset.server import (
    _maintenance_url,
    _migrate,
    contacts_setting,
    database_name,
    migration_names,
    server_url,
)


@dataclass(frozen=True)
class Marker:
    """What a completed build wrote on its database (as the database's comment)."""

    contacts: int
    seed: int
    version: int
    migrations: list[str]
    seconds: float
    counts: dict[str, int]
    head: str  # the log's last hash: the same seed and size always give the same one
    built_at: str

    def matches(self, contacts: int, seed: int) -> bool:
        return (
            self.contacts == contacts
            and self.seed == seed
            and self.version == DATASET_VERSION
            and self.migrations == migration_names()
        )


MARKER_KIND = "metrosafe-bench-dataset"


def marker(database: str) -> Marker | None:
    """The build marker of ``database``, or None (no such database, or no completed build)."""
    with psycopg.connect(_maintenance_url(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [database],
        ).fetchone()
    if row is None or not row[0]:
        return None
    try:
        data = json.loads(row[0])
        if data.get("kind") != MARKER_KIND:
            return None
        return Marker(
            contacts=int(data["contacts"]),
            seed=int(data["seed"]),
            version=int(data["version"]),
            migrations=list(data["migrations"]),
            seconds=float(data["seconds"]),
            counts={str(k): int(v) for k, v in data["counts"].items()},
            head=str(data["head"]),
            built_at=str(data["built_at"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def drop_dataset(database: str) -> None:
    """Drop a data set's database (connections to it are ended)."""
    with psycopg.connect(_maintenance_url(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


@contextlib.contextmanager
def _build_lock(database: str) -> Iterator[None]:
    """One builder per data set at a time, across processes (a session advisory lock)."""
    key = zlib.crc32(f"bench-dataset:{database}".encode())
    with psycopg.connect(_maintenance_url(), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [key])


def ensure_dataset(
    contacts: int | None = None,
    *,
    database: str | None = None,
    seed: int = SEED,
    rebuild: bool = False,
) -> str:
    """The DATABASE_URL of a complete data set of ``contacts`` contacts (default
    BENCH_CONTACTS), built now if it is missing, partial, or made by other migrations."""
    contacts = contacts_setting() if contacts is None else contacts
    database = database or database_name(contacts)
    url = server_url(database)
    with _build_lock(database):
        found = marker(database)
        if not rebuild and found is not None and found.matches(contacts, seed):
            print(
                f"dataset: reusing {database} ({found.contacts:,} contacts, "
                f"{found.counts.get('intake_event', 0):,} log entries)",
                file=sys.stderr,
            )
            return url
        started = time.perf_counter()
        drop_dataset(database)
        try:
            with psycopg.connect(_maintenance_url(), autocommit=True) as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            _migrate(url)
            log(f"migrated {database}", None, started)
            counts, head = build(url, contacts, seed=seed)
            _mark(database, contacts, seed, counts, head, time.perf_counter() - started)
        except BaseException:
            # A half-built data set would be mistaken for a real one: never leave it.
            with contextlib.suppress(Exception):
                drop_dataset(database)
            raise
        log(f"built {database}", counts["intake_contact"], started)
    return url


def dataset_url(contacts: int | None = None) -> str:
    """The DATABASE_URL of the benchmark data set (BENCH_CONTACTS contacts), built if needed."""
    return ensure_dataset(contacts)


def _mark(
    database: str, contacts: int, seed: int, counts: dict[str, int], head: str, seconds: float
) -> None:
    data = {
        "kind": MARKER_KIND,
        "contacts": contacts,
        "seed": seed,
        "version": DATASET_VERSION,
        "migrations": migration_names(),
        "seconds": round(seconds, 1),
        "counts": counts,
        "head": head,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with psycopg.connect(_maintenance_url(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(database), sql.Literal(json.dumps(data))
            )
        )
