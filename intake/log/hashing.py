"""The contact log's canonical form: the exact bytes each entry's SHA-256 covers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

GENESIS = "0" * 64


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
