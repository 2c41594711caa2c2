"""Loading by COPY: column checks, bulk tables' keys and indexes dropped and restored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import sql

from benchmarks.dataset.columns import BULK_TABLES, COLUMNS
from benchmarks.dataset.config import log

if TYPE_CHECKING:
    from benchmarks.dataset.generator import Generator


def _copy_sql(table: str) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, COLUMNS[table]))
    )


def _check_columns(conn: psycopg.Connection[Any]) -> None:
    """Every column that must be given a value is one this package fills: a column added by a
    later migration stops the build with its name, rather than loading a wrong data set."""
    missing = []
    for table, columns in COLUMNS.items():
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND table_name = %s AND is_nullable = 'NO' AND column_default IS NULL"
            " AND is_generated = 'NEVER' AND is_identity = 'NO'",
            [table],
        ).fetchall()
        missing += [f"{table}.{name}" for (name,) in rows if name not in columns]
    if missing:
        raise RuntimeError(
            "benchmarks/dataset does not fill " + ", ".join(missing) + ": teach it these"
        )


@dataclass
class _Schema:
    """The keys, indexes and foreign keys of the bulk tables, to drop and make again."""

    foreign_keys: list[tuple[str, str, str]]
    keys: list[tuple[str, str, str]]
    indexes: list[tuple[str, str]]

    @classmethod
    def read(cls, conn: psycopg.Connection[Any]) -> _Schema:
        tables = list(BULK_TABLES)
        constraint = (
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
        )
        foreign_keys = conn.execute(
            constraint + " AND contype = 'f' AND (conrelid::regclass::text = ANY(%s)"
            " OR confrelid::regclass::text = ANY(%s)) ORDER BY 1, 2",
            [tables, tables],
        ).fetchall()
        keys = conn.execute(
            constraint + " AND contype IN ('p', 'u', 'x') AND conrelid::regclass::text = ANY(%s)"
            " ORDER BY contype, 1, 2",
            [tables],
        ).fetchall()
        indexes = conn.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid::regclass::text = ANY(%s)"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid"
            " AND k.contype IN ('p', 'u', 'x'))"
            " ORDER BY 1",
            [tables],
        ).fetchall()
        return cls(list(foreign_keys), list(keys), list(indexes))

    def drop(self, conn: psycopg.Connection[Any]) -> None:
        for table, name, _ in self.foreign_keys + self.keys:
            conn.execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
            )
        for name, _ in self.indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))

    def restore(self, conn: psycopg.Connection[Any], started: float) -> None:
        for table, name, definition in self.keys:
            conn.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
                + sql.SQL(definition)
            )
            conn.commit()
            log(f"key {name}", None, started)
        for name, definition in self.indexes:
            conn.execute(sql.SQL(definition))
            conn.commit()
            log(f"index {name}", None, started)
        for table, name, definition in self.foreign_keys:
            conn.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
                + sql.SQL(definition)
            )
            conn.commit()
        log("foreign keys", len(self.foreign_keys), started)


def _copy_small(conn: psycopg.Connection[Any], gen: Generator) -> None:
    """The small tables' rows kept by the generator, one COPY each, committed."""
    with conn.cursor() as cursor:
        for table, rows in gen.small.items():
            with cursor.copy(_copy_sql(table)) as copy:
                for values in rows:
                    copy.write_row(values)
    conn.commit()
    gen.small.clear()


def _session(conn: psycopg.Connection[Any]) -> None:
    # A lost commit costs only a rebuild; index builds get the memory to sort in one pass.
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("SET work_mem = '256MB'")
