"""``verify_log`` on every core: the ids cut into contiguous segments, one process each.

Each entry's check is local (its own hash, its link to the entry before, its number), so a
segment can be walked on its own once seeded with the stored hash of the entry just before it.
All segments read one snapshot, exported by the caller's REPEATABLE READ transaction; the
results are stitched in id order, so the answer is the sequential walk's, to the message.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import traceback
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import psycopg
from django.db import connection
from psycopg import sql

from intake.log.chain import Row, Verification, _rows, conclude, verify, walk
from intake.log.hashing import GENESIS

# Below this many entries one process is as quick: forking and connecting cost ~0.1 s.
PARALLEL_MIN_ENTRIES = 200_000
# Beyond this, more processes only queue for the same disk and server.
MAX_WORKERS = 8


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def cuts(count: int, workers: int) -> list[int]:
    """Where each segment starts: after entry ``cuts[k]``; strictly increasing from 0."""
    return [count * k // workers for k in range(workers)]


@dataclass(frozen=True)
class Segment:
    """One segment's walk, as the parent needs it to stitch."""

    first_id: int | None  # the first entry after the segment's start; None: there is none
    walked: Verification | None  # None: the entry it starts after is missing, nothing to seed
    anchor_seen: bool = False


def stitch(
    starts: Sequence[int],
    segments: Iterable[Segment],
    *,
    anchor: tuple[int, str] | None,
    head: tuple[int, str] | None,
) -> Verification:
    """The sequential walk's answer from the segments' (consumed in order, stopping early)."""
    count, last, anchor_seen = 0, GENESIS, False
    for start, segment in zip(starts, segments, strict=True):
        if segment.first_id is None:
            continue  # nothing in its range: the chain goes on in the next segment
        if segment.walked is None or count != start:
            # The chain stopped short of this segment's start, so its first entry is a gap.
            return Verification(
                count, last, f"entry {count + 1}: gap, the next entry is {segment.first_id}"
            )
        if not segment.walked.ok:
            return segment.walked
        count, last = segment.walked.entries, segment.walked.head
        anchor_seen = anchor_seen or segment.anchor_seen
    return conclude(count, last, anchor_seen=anchor_seen, anchor=anchor, head=head)


def _walk_segment(
    params: dict[str, Any],
    snapshot: str,
    start: int,
    end: int | None,
    anchor: tuple[int, str] | None,
) -> Segment:
    """Walk the entries after ``start`` up to ``end`` (None: to the last) in ``snapshot``."""
    # The first segment has no lower bound (an id below 1 is a gap too); the others read from
    # entry ``start`` itself, whose stored hash seeds the walk. The last has no upper bound,
    # so entries past the recorded head are still caught.
    conditions, bounds = [], []
    if start > 0:
        conditions.append("id >= %s")
        bounds.append(start)
    if end is not None:
        conditions.append("id <= %s")
        bounds.append(end)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    seed = GENESIS if start == 0 else None
    with psycopg.connect(**params) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        # psycopg sends the BEGIN first: the snapshot must be set before the first query.
        conn.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
        with contextlib.closing(_rows(raw=conn, where=where, params=bounds)) as rows:
            if seed is None:
                first = next(rows, None)
                if first is None or first[0] != start:
                    return Segment(None if first is None else first[0], None)
                seed = first[-1]
            following = next(rows, None)
            if following is None:
                return Segment(None, Verification(start, seed))
            walked, anchor_seen = walk(
                _prepend(following, rows), after=(start, seed), anchor=anchor
            )
            return Segment(following[0], walked, anchor_seen)


def _prepend(row: Row, rows: Iterator[Row]) -> Iterator[Row]:
    yield row
    yield from rows


def _worker(
    send: Connection,
    params: dict[str, Any],
    snapshot: str,
    start: int,
    end: int | None,
    anchor: tuple[int, str] | None,
) -> None:
    """A forked child: never touches the parent's Django connection, only its own."""
    try:
        outcome: Segment | str = _walk_segment(params, snapshot, start, end, anchor)
    except BaseException:
        outcome = traceback.format_exc()
    send.send(outcome)
    send.close()


def _segments(
    params: dict[str, Any], snapshot: str, starts: Sequence[int], anchor: tuple[int, str] | None
) -> Generator[Segment, None, None]:
    """Fork one process per segment; yield their results in id order."""
    context = multiprocessing.get_context("fork")
    children: list[tuple[BaseProcess, Connection]] = []
    try:
        for start, end in zip(starts, [*starts[1:], None], strict=True):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(
                target=_worker,
                args=(send, params, snapshot, start, end, anchor),
                name=f"verify_log after entry {start}",
                daemon=True,
            )
            process.start()
            send.close()  # the child's end: its exit then reads as EOF here
            children.append((process, receive))
        for child, receive in children:
            try:
                outcome = receive.recv()
            except EOFError:
                child.join()
                raise RuntimeError(f"{child.name}: died (exit code {child.exitcode})") from None
            if isinstance(outcome, str):
                raise RuntimeError(f"{child.name}: failed\n{outcome}")
            yield outcome
    finally:
        # Also reached when the stitching stopped at a break: later segments no longer matter.
        for child, receive in children:
            receive.close()
            if child.is_alive():
                child.terminate()
            child.join()


def verify_parallel(
    *,
    anchor: tuple[int, str] | None = None,
    head: tuple[int, str],
    workers: int | None = None,
    min_entries: int | None = None,
) -> Verification:
    """``verify(anchor=, head=)`` split across ``workers`` processes, with the same answer.

    Call it inside a REPEATABLE READ transaction on Django's connection, in which ``head``
    was read. A small log, one worker, or a transaction that has written (its entries are
    invisible to other connections) or does not hold one snapshot is walked here instead."""
    workers = default_workers() if workers is None else workers
    threshold = PARALLEL_MIN_ENTRIES if min_entries is None else min_entries
    count = head[0]
    workers = min(workers, count)  # at least one entry per segment: the cuts never repeat
    if workers < 2 or count < threshold or not connection.in_atomic_block:
        return verify(anchor=anchor, head=head)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_export_snapshot(), current_setting('transaction_isolation'),"
            " pg_current_xact_id_if_assigned() IS NULL"
        )
        row = cursor.fetchone()
    assert row is not None
    snapshot, isolation, unwritten = row
    if isolation not in ("repeatable read", "serializable") or not unwritten:
        return verify(anchor=anchor, head=head)
    # Computed here, before forking: the children never open Django's connection.
    params = connection.get_connection_params()
    starts = cuts(count, workers)
    with contextlib.closing(_segments(params, snapshot, starts, anchor)) as segments:
        return stitch(starts, segments, anchor=anchor, head=head)
