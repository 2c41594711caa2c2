"""The hash-chained log: entries queued in time order, chained and written as they leave."""

from __future__ import annotations

import heapq
import json
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from benchmarks.dataset.config import EPOCH
from benchmarks.dataset.people import Person

# A payload as stored: any JSON of the same value verifies (jsonb keeps values, not text).
_PAYLOAD_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class _Cut(Exception):
    """The contact's next step would fall after END: it stays as it is (still in progress)."""


Row = dict[str, Any]
Writer = Callable[[Sequence[Any]], None]


class LogChain:
    """Log entries queued in a heap and chained (``intake.log``'s hash) as they leave it in
    time order; mixed into ``Generator``, which sets this state up."""

    if TYPE_CHECKING:
        end: int
        heap: list[tuple[Any, ...]]
        seq: int
        entry_id: int
        head: str
        counts: Counter[str]
        write: dict[str, Writer]
        _canonical: Callable[..., Any]
        _entry_hash: Callable[..., str]
        _utc_text: Callable[[datetime], str]

    def event(
        self,
        at: int,
        action: str,
        actor: Person | None,
        contact: int | None,
        payload: dict[str, Any] | None = None,
        obj: tuple[str, int] | None = None,
        ip: str | None = None,
    ) -> None:
        """Queue one log entry; ``obj`` defaults to the contact, as ``event_record`` does."""
        if at > self.end:
            raise _Cut
        if obj is None and contact is not None:
            obj = ("intake.contact", contact)
        self.seq += 1
        heapq.heappush(
            self.heap,
            (
                at,
                self.seq,
                action,
                actor,
                contact,
                obj[0] if obj else "",
                str(obj[1]) if obj else "",
                payload or {},
                (actor.ip if actor else "") if ip is None else ip,
            ),
        )

    def drain(self, before: int) -> None:
        """Chain and write every queued entry earlier than ``before``: nothing queued later
        can be earlier than that, so ids follow time."""
        heap, write, canonical, entry_hash, utc_text = (
            self.heap,
            self.write["intake_event"],
            self._canonical,
            self._entry_hash,
            self._utc_text,
        )
        previous = self.head
        entry_id = self.entry_id
        dumps = _PAYLOAD_JSON
        while heap and heap[0][0] < before:
            at, _, action, actor, contact, object_type, object_id, payload, ip = heapq.heappop(heap)
            entry_id += 1
            at_text = utc_text(EPOCH + timedelta(microseconds=at))
            actor_id = actor.id if actor else None
            role = actor.role if actor else ""
            digest = entry_hash(
                canonical(
                    entry_id=entry_id,
                    at=at_text,
                    actor_id=actor_id,
                    actor_role=role,
                    source_ip=ip,
                    action=action,
                    contact_id=contact,
                    object_type=object_type,
                    object_id=object_id,
                    payload=payload,
                    prev_hash=previous,
                )
            )
            write(
                (
                    entry_id,
                    at_text,
                    actor_id,
                    role,
                    ip,
                    action,
                    contact,
                    object_type,
                    object_id,
                    dumps(payload),
                    previous,
                    digest,
                )
            )
            previous = digest
        self.counts["intake_event"] += entry_id - self.entry_id
        self.entry_id, self.head = entry_id, previous
