"""The contact log: append-only, numbered without gaps, each entry hash-chained to the last.

Every entry's hash is SHA-256 over a canonical JSON serialisation of its content and the
previous entry's hash, so changing, removing or reordering any entry breaks the chain from
there on. PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE on the table (migration
``intake.0004``); ``manage.py verify_log`` walks the chain to prove nothing was changed
behind the triggers' back.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from dispatch.roles import user_role
from intake.models import Event, LogHead

GENESIS = "0" * 64

# The client's address for the request being served (set by AuditContextMiddleware), so
# services need not carry the request to their log entries.
source_ip: contextvars.ContextVar[str] = contextvars.ContextVar("source_ip", default="")


def jsonable(value: Any) -> Any:
    """Plain JSON values for a payload: model instances become their primary key."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        # jsonb may print a float back differently (1e16 -> 10000000000000000): keep the text.
        return repr(value)
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item) for item in value]
    if isinstance(value, models.Model):
        return value.pk
    return DjangoJSONEncoder().default(value)


def canonical(
    *,
    entry_id: int,
    at: datetime,
    actor_id: int | None,
    actor_role: str,
    source_ip: str | None,
    action: str,
    contact_id: int | None,
    object_type: str,
    object_id: str,
    payload: Any,
    prev_hash: str,
) -> bytes:
    """The exact bytes an entry's hash covers: sorted keys, no spaces, UTC microseconds."""
    return json.dumps(
        {
            "action": action,
            "actor": actor_id,
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "contact": contact_id,
            "id": entry_id,
            "ip": source_ip,
            "object": [object_type, object_id],
            "payload": payload,
            "prev": prev_hash,
            "role": actor_role,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def entry_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def event_record(
    *,
    action: str,
    actor: User | None,
    contact: Any = None,
    obj: models.Model | None = None,
    payload: Mapping[str, Any] | None = None,
) -> Event:
    """Append one entry to the log. The only writer of ``Event``: call it inside the change's
    own transaction, so the change and its record stand or fall together.

    The head row is locked until the transaction ends: appends take turns, numbers have no gap
    (a rolled-back append gives its number back) and the chain never forks."""
    head, _ = LogHead.objects.select_for_update().get_or_create(pk=1)
    role = user_role(actor) if actor is not None else None
    target = obj if obj is not None else contact
    entry = Event(
        id=head.count + 1,
        at=timezone.now(),
        actor=actor,
        actor_role=role.value if role else "",
        source_ip=source_ip.get(),
        action=action,
        contact=contact,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        payload={key: jsonable(value) for key, value in (payload or {}).items()},
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(
        canonical(
            entry_id=entry.id,
            at=entry.at,
            actor_id=actor.pk if actor is not None else None,
            actor_role=entry.actor_role,
            source_ip=entry.source_ip,
            action=action,
            contact_id=contact.pk if contact is not None else None,
            object_type=entry.object_type,
            object_id=entry.object_id,
            payload=entry.payload,
            prev_hash=entry.prev_hash,
        )
    )
    entry.save(force_insert=True)
    head.count, head.hash = entry.id, entry.hash
    head.save(update_fields=["count", "hash"])
    return entry


@dataclass(frozen=True)
class Verification:
    entries: int
    head: str
    problem: str | None = None  # the first break found, naming the entry

    @property
    def ok(self) -> bool:
        return self.problem is None


_COLUMNS = (
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


def _rows(batch: int = 20_000) -> Iterator[tuple[Any, ...]]:
    """Every entry in order, streamed through a server-side cursor (constant memory)."""
    with connection.cursor() as outer:  # ensures a connection, inside the caller's transaction
        raw = outer.connection
        with raw.cursor(name="verify_log") as cursor:
            cursor.itersize = batch
            cursor.execute(f"SELECT {', '.join(_COLUMNS)} FROM intake_event ORDER BY id")
            yield from cursor


def verify(
    rows: Iterable[tuple[Any, ...]] | None = None,
    *,
    anchor: tuple[int, str] | None = None,
    head: tuple[int, str] | None = None,
) -> Verification:
    """Walk the chain from the first entry; report the first gap, broken link or changed entry.

    ``anchor`` (count, hash), published earlier, must still be part of the chain. ``head`` is
    the recorded head; a log that stops short of it lost its last entries."""
    previous, expected = GENESIS, 1
    anchor_seen = anchor is None
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
    ) in rows if rows is not None else _rows():
        if entry_id != expected:
            return Verification(
                expected - 1, previous, f"entry {expected}: gap, the next entry is {entry_id}"
            )
        if prev_hash != previous:
            return Verification(
                expected - 1,
                previous,
                f"entry {entry_id}: broken link, it does not follow entry {entry_id - 1}",
            )
        computed = entry_hash(
            canonical(
                entry_id=entry_id,
                at=at,
                actor_id=actor_id,
                actor_role=role,
                source_ip=ip,
                action=action,
                contact_id=contact_id,
                object_type=object_type,
                object_id=object_id,
                # Django reads jsonb as text (its JSONField decodes it); so do we.
                payload=json.loads(payload) if isinstance(payload, str) else payload,
                prev_hash=prev_hash,
            )
        )
        if computed != stored:
            return Verification(
                expected - 1,
                previous,
                f"entry {entry_id}: changed content (its hash no longer matches what it holds)",
            )
        if anchor is not None and entry_id == anchor[0]:
            if stored != anchor[1]:
                return Verification(
                    entry_id, stored, f"entry {entry_id}: does not match the anchor {anchor[1]}"
                )
            anchor_seen = True
        previous, expected = stored, expected + 1
    count = expected - 1
    if not anchor_seen and anchor is not None:
        return Verification(
            count, previous, f"entry {anchor[0]}: missing, the log has only {count} entries"
        )
    if head is not None and (count, previous) != head:
        return Verification(
            count,
            previous,
            f"entry {count}: the log ends here but its head records {head[0]} entries",
        )
    return Verification(count, previous)


def log_head() -> tuple[int, str]:
    head = LogHead.objects.filter(pk=1).first()
    return (head.count, head.hash) if head is not None else (0, GENESIS)
