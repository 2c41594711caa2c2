"""Contact-log figures: one append (in its own transaction), and verify_log's walking speed."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction

from intake.log import canonical, entry_hash, event_record, log_head, verify
from intake.models import Event, LogHead

Emit = Callable[[str, float, str], None]


def _append_once() -> None:
    with transaction.atomic():
        event_record(action="bench.append", actor=None, payload={"n": 1, "text": "x" * 40})


def _median_append_us(batches: int, batch: int) -> float:
    for _ in range(batch):
        _append_once()
    samples = []
    for _ in range(batches):
        start = time.perf_counter_ns()
        for _ in range(batch):
            _append_once()
        samples.append((time.perf_counter_ns() - start) / batch / 1_000)
    return statistics.median(samples)


def bench_append(emit: Emit, *, batches: int = 20, batch: int = 100) -> None:
    """One append in its own transaction: the work (head lock, hash, insert, head update)
    without waiting for the disk, then with the durable commit an action pays anyway."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    emit("log_append_us", _median_append_us(batches, batch), "us")
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = on")
    emit("log_append_durable_us", _median_append_us(batches, batch), "us")


def _bulk_chain(count: int) -> None:
    """Append ``count`` entries with COPY, the chain computed exactly as the app computes it."""
    head_count, head_hash = log_head()
    at = datetime.now(UTC) - timedelta(days=1)
    columns = (
        "id",
        "at",
        "actor_id",
        "actor_role",
        "source_ip",
        "action",
        "contact_id",
        "object_type",
        "object_id",
        "payload",
        "prev_hash",
        "hash",
    )
    with connection.cursor() as cursor, transaction.atomic():
        raw = cursor.cursor
        with raw.copy(f"COPY intake_event ({', '.join(columns)}) FROM STDIN") as copy:
            previous = head_hash
            for entry_id in range(head_count + 1, head_count + count + 1):
                when = at + timedelta(microseconds=entry_id * 1000)
                payload = {"contact": entry_id // 5, "step": entry_id % 5, "note": "bench"}
                digest = entry_hash(
                    canonical(
                        entry_id=entry_id,
                        at=when,
                        actor_id=None,
                        actor_role="call_taker",
                        source_ip="127.0.0.1",
                        action="bench.bulk",
                        contact_id=None,
                        object_type="",
                        object_id="",
                        payload=payload,
                        prev_hash=previous,
                    )
                )
                copy.write_row(
                    (
                        entry_id,
                        when,
                        None,
                        "call_taker",
                        "127.0.0.1",
                        "bench.bulk",
                        None,
                        "",
                        "",
                        json.dumps(payload),
                        previous,
                        digest,
                    )
                )
                previous = digest
        LogHead.objects.filter(pk=1).update(count=head_count + count, hash=previous)


def bench_verify(emit: Emit, *, entries: int = 200_000) -> None:
    missing = entries - Event.objects.count()
    if missing > 0:
        _bulk_chain(missing)
    with transaction.atomic():
        start = time.perf_counter()
        result = verify(head=log_head())
        elapsed = time.perf_counter() - start
    if not result.ok:
        raise SystemExit(f"verify_log failed on the bench data: {result.problem}")
    emit("verify_log_entries_per_s", result.entries / elapsed, "entries/s")
