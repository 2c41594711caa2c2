"""The contact log: append-only, numbered without gaps, each entry hash-chained to the last.

Every entry's hash is SHA-256 over a canonical JSON serialisation of its content and the
previous entry's hash, so changing, removing or reordering any entry breaks the chain from
there on. PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE on the table (migration
``intake.0004``); ``manage.py verify_log`` walks the chain to prove nothing was changed
behind the triggers' back.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import queue
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from dispatch.roles import user_role
from intake.models import Event, LogHead

GENESIS = "0" * 64

# The client's address for the request being served (set by AuditContextMiddleware), so
# services need not carry the request to their log entries.
source_ip: contextvars.ContextVar[str] = contextvars.ContextVar("source_ip", default="")
# Who is acting in this request, for changes made outside the services (Django's admin).
current_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("current_actor", default=None)


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


# json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False), with the C
# encoder built once rather than on every call.
if c_make_encoder is not None:
    _encode = c_make_encoder(None, None, encode_basestring, None, ":", ",", True, False, True)

    def _dumps(value: Any) -> str:
        return "".join(_encode(value, 0))

else:  # an interpreter without json's C speedups
    _encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    def _dumps(value: Any) -> str:
        return _encoder.encode(value)


_string = encode_basestring  # the C encoder json.dumps uses for one string
_FORMAT = (
    '{"action":%s,"actor":%s,"at":"%s","contact":%s,"id":%d,"ip":%s,'
    '"object":[%s,%s],"payload":%s,"prev":%s,"role":%s}'
)


def utc_text(at: datetime) -> str:
    """An entry's time as hashed: UTC, microseconds (``2026-11-21T18:28:21.525505+00:00``)."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(
    *,
    entry_id: int,
    at: datetime | str,
    actor_id: int | None,
    actor_role: str,
    source_ip: str,
    action: str,
    contact_id: int | None,
    object_type: str,
    object_id: str,
    payload: Any,
    prev_hash: str,
) -> bytes:
    """The exact bytes an entry's hash covers: compact JSON with its keys in sorted order.

    Written out by hand rather than through a dict because ``verify_log`` runs it for every
    entry (`make bench`: verify_log_entries_per_s); a test pins it to ``json.dumps``."""
    return _canonical(
        action,
        actor_id,
        at if isinstance(at, str) else utc_text(at),
        contact_id,
        entry_id,
        source_ip,
        object_type,
        object_id,
        payload,
        prev_hash,
        actor_role,
    )


def _canonical(
    action: str,
    actor_id: int | None,
    at_text: str,
    contact_id: int | None,
    entry_id: int,
    source_ip: str,
    object_type: str,
    object_id: str,
    payload: Any,
    prev_hash: str,
    actor_role: str,
) -> bytes:
    # Positional, in the keys' sorted order: verify_log calls this once per entry.
    return (
        _FORMAT
        % (
            _string(action),
            "null" if actor_id is None else int(actor_id),
            at_text,
            "null" if contact_id is None else int(contact_id),
            entry_id,
            _string(source_ip),
            _string(object_type),
            _string(object_id),
            _dumps(payload),
            _string(prev_hash),
            _string(actor_role),
        )
    ).encode()


_loads = json.loads
_sha256 = hashlib.sha256


def entry_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


_TAKE_NUMBER = "UPDATE intake_loghead SET count = count + 1 WHERE id = 1 RETURNING count, hash"
_APPEND = (
    "WITH entry AS (INSERT INTO intake_event (id, at, actor_id, actor_role, source_ip, action,"
    " contact_id, object_type, object_id, payload, prev_hash, hash)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s))"
    " UPDATE intake_loghead SET hash = %s WHERE id = 1"
)


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

    Taking the next number locks the head row until the transaction ends: appends take turns,
    numbers have no gap (a rolled-back append gives its number back) and the chain never
    forks. Two round trips of plain SQL, because every action pays for it (`make bench`)."""
    role = user_role(actor) if actor is not None else None
    target = obj if obj is not None else contact
    at = timezone.now()
    actor_role = role.value if role else ""
    ip = source_ip.get()
    object_type = target._meta.label_lower if target is not None else ""
    object_id = str(target.pk) if target is not None else ""
    data = {key: jsonable(value) for key, value in (payload or {}).items()}
    actor_id = actor.pk if actor is not None else None
    contact_id = contact.pk if contact is not None else None
    # Without a transaction the head's lock would end between taking the number and writing
    # the entry; savepoint=False costs nothing when the caller's transaction is already open.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_TAKE_NUMBER)
        taken = cursor.fetchone()
        if taken is None:  # a test database just flushed: the head row starts again at zero
            cursor.execute(
                "INSERT INTO intake_loghead (id, count, hash) VALUES (1, 0, %s)"
                " ON CONFLICT (id) DO NOTHING",
                [GENESIS],
            )
            cursor.execute(_TAKE_NUMBER)
            taken = cursor.fetchone()
        entry_id, prev_hash = taken
        digest = entry_hash(
            canonical(
                entry_id=entry_id,
                at=at,
                actor_id=actor_id,
                actor_role=actor_role,
                source_ip=ip,
                action=action,
                contact_id=contact_id,
                object_type=object_type,
                object_id=object_id,
                payload=data,
                prev_hash=prev_hash,
            )
        )
        cursor.execute(
            _APPEND,
            [
                entry_id,
                at,
                actor_id,
                actor_role,
                ip,
                action,
                contact_id,
                object_type,
                object_id,
                _dumps(data),
                prev_hash,
                digest,
                digest,
            ],
        )
    entry = Event(
        id=entry_id,
        at=at,
        actor_id=actor_id,
        actor_role=actor_role,
        source_ip=ip,
        action=action,
        contact_id=contact_id,
        object_type=object_type,
        object_id=object_id,
        payload=data,
        prev_hash=prev_hash,
        hash=digest,
    )
    entry._state.adding, entry._state.db = False, connection.alias
    return entry


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


def _rows(batch: int = 5_000) -> Iterator[tuple[Any, ...]]:
    """Every entry in order, streamed through a server-side cursor (constant memory).

    A second thread fetches the next batch while this one hashes the current: psycopg waits
    for the network without the GIL, so reading and hashing overlap."""
    connection.ensure_connection()  # Django's connection, inside the caller's transaction
    raw = connection.connection
    assert raw is not None
    with raw.cursor(name="verify_log") as cursor:
        cursor.execute(f"SELECT {', '.join(_COLUMNS)} FROM intake_event ORDER BY id")
        batches: queue.Queue[list[tuple[Any, ...]] | BaseException | None] = queue.Queue(4)

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
