"""Walking the hash chain: each entry's number, link and hash, from a starting point on."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from intake.log.hashing import GENESIS, _canonical, _loads, _sha256

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Verification:
    entries: int
    head: str
    problem: str | None = None  # the first break found, naming the entry

    @property
    def ok(self) -> bool:
        return self.problem is None


# The time comes back already in the hashed form, so no row pays for datetime parsing.
_COLUMNS = (
    "id",
    """to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')""",
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


def _rows(
    batch: int = 5_000, *, raw: Any = None, where: str = "", params: Sequence[int] = ()
) -> Generator[Row, None, None]:
    """Entries in id order (those matching ``where``), streamed through a server-side cursor.

    ``raw`` is a psycopg connection inside a transaction; by default Django's, inside the
    caller's. A second thread fetches the next batch while this one hashes the current:
    psycopg waits for the network without the GIL, so reading and hashing overlap."""
    if raw is None:
        connection.ensure_connection()
        raw = connection.connection
    assert raw is not None
    with raw.cursor(name="verify_log") as cursor:
        cursor.execute(f"SELECT {', '.join(_COLUMNS)} FROM intake_event{where} ORDER BY id", params)
        batches: queue.Queue[list[Row] | BaseException | None] = queue.Queue(4)

        def fetch() -> None:
            try:
                while rows := cursor.fetchmany(batch):
                    batches.put(rows)
                batches.put(None)
            except BaseException as exc:  # handed to the reading thread, raised there
                batches.put(exc)

        reader = threading.Thread(target=fetch, name="verify_log-fetch", daemon=True)
        reader.start()
        try:
            while (rows := batches.get()) is not None:
                if isinstance(rows, BaseException):
                    raise rows
                yield from rows
        finally:
            while reader.is_alive():  # a consumer that stopped early: let the reader end
                with contextlib.suppress(queue.Empty):
                    batches.get(timeout=0.1)
            reader.join()


def walk(
    rows: Iterable[Row],
    *,
    after: tuple[int, str] = (0, GENESIS),
    anchor: tuple[int, str] | None = None,
) -> tuple[Verification, bool]:
    """Check ``rows`` as the entries following entry ``after`` = (id, stored hash).

    Returns the first gap, broken link, changed entry or anchor mismatch (naming the entry),
    or how far the chain got; and whether the anchor's entry was passed and matched."""
    previous, expected = after[1], after[0] + 1
    anchor_seen = False
    for (
        entry_id,
        at,
        actor_id,
        role,
        ip,
        action,
        contact_id,
        object_type,
        object_id,
        payload,
        prev_hash,
        stored,
    ) in rows:
        if entry_id != expected:
            return Verification(
                expected - 1, previous, f"entry {expected}: gap, the next entry is {entry_id}"
            ), anchor_seen
        if prev_hash != previous:
            return Verification(
                expected - 1,
                previous,
                f"entry {entry_id}: broken link, it does not follow entry {entry_id - 1}",
            ), anchor_seen
        # Django reads jsonb as text (its JSONField decodes it); so do we.
        data = _loads(payload) if isinstance(payload, str) else payload
        computed = _sha256(
            _canonical(
                action,
                actor_id,
                at,
                contact_id,
                entry_id,
                ip,
                object_type,
                object_id,
                data,
                prev_hash,
                role,
            )
        ).hexdigest()
        if computed != stored:
            return Verification(
                expected - 1,
                previous,
                f"entry {entry_id}: changed content (its hash no longer matches what it holds)",
            ), anchor_seen
        if anchor is not None and entry_id == anchor[0]:
            if stored != anchor[1]:
                return Verification(
                    entry_id, stored, f"entry {entry_id}: does not match the anchor {anchor[1]}"
                ), anchor_seen
            anchor_seen = True
        previous, expected = stored, expected + 1
    return Verification(expected - 1, previous), anchor_seen


def conclude(
    count: int,
    last: str,
    *,
    anchor_seen: bool,
    anchor: tuple[int, str] | None,
    head: tuple[int, str] | None,
) -> Verification:
    """The checks at the end of a chain walked without a break: its anchor and its head."""
    if anchor is not None and not anchor_seen:
        return Verification(
            count, last, f"entry {anchor[0]}: missing, the log has only {count} entries"
        )
    if head is not None and (count, last) != head:
        return Verification(
            count, last, f"entry {count}: the log ends here but its head records {head[0]} entries"
        )
    return Verification(count, last)


def verify(
    rows: Iterable[Row] | None = None,
    *,
    anchor: tuple[int, str] | None = None,
    head: tuple[int, str] | None = None,
) -> Verification:
    """Walk the chain from the first entry; report the first gap, broken link or changed entry.

    ``anchor`` (count, hash), published earlier, must still be part of the chain. ``head`` is
    the recorded head; a log that stops short of it lost its last entries."""
    walked, anchor_seen = walk(rows if rows is not None else _rows(), anchor=anchor)
    if not walked.ok:
        return walked
    return conclude(walked.entries, walked.head, anchor_seen=anchor_seen, anchor=anchor, head=head)
