"""Contact-log figure: one append in its own transaction (verify_log runs on the data set)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.db import connection, transaction

from intake.log import event_record

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
