"""The contact log: append-only, numbered without gaps, each entry hash-chained to the last.

Every entry's hash is SHA-256 over a canonical JSON serialisation of its content and the
previous entry's hash, so changing, removing or reordering any entry breaks the chain from
there on. PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE on the table (migration
``intake.0004``); ``manage.py verify_log`` walks the chain (``intake.log.chain``, split across
processes by ``intake.log.parallel`` on a large log) to prove nothing was changed
behind the triggers' back.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone

from dispatch.roles import user_role
from intake.log.chain import _COLUMNS, Verification, _rows, verify
from intake.log.hashing import (
    GENESIS,
    _canonical,
    _dumps,
    _loads,
    _sha256,
    canonical,
    entry_hash,
    jsonable,
    utc_text,
)
from intake.log.parallel import verify_parallel
from intake.models import Event, LogHead

__all__ = [
    "GENESIS",
    "_COLUMNS",
    "Verification",
    "_canonical",
    "_dumps",
    "_loads",
    "_rows",
    "_sha256",
    "canonical",
    "current_actor",
    "entry_hash",
    "event_record",
    "jsonable",
    "log_head",
    "source_ip",
    "utc_text",
    "verify",
    "verify_parallel",
]


# The client's address for the request being served (set by AuditContextMiddleware), so
# services need not carry the request to their log entries.
source_ip: contextvars.ContextVar[str] = contextvars.ContextVar("source_ip", default="")
# Who is acting in this request, for changes made outside the services (Django's admin).
current_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("current_actor", default=None)

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


def log_head() -> tuple[int, str]:
    head = LogHead.objects.filter(pk=1).first()
    return (head.count, head.hash) if head is not None else (0, GENESIS)
