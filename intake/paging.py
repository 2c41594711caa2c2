"""Keyset pagination: page 5,000 costs what page 1 costs (no OFFSET scan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import Model, Q, QuerySet

SALT = "intake.paging"


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_cursor: str | None
    bad_cursor: bool = False


def _value(row: Model, field: str) -> Any:
    value = getattr(row, field)
    return value.isoformat() if isinstance(value, datetime) else value


def keyset_page(
    queryset: QuerySet[Any], *, field: str, descending: bool, cursor: str | None, size: int
) -> Page:
    """Rows after ``cursor`` (a signed ``[value, id]`` of the previous page's last row)."""
    ordering = (f"-{field}", "-id") if descending else (field, "id")
    queryset = queryset.order_by(*ordering)
    bad = False
    if cursor:
        try:
            value, last_id, cursor_field = signing.loads(cursor, salt=SALT)
            if cursor_field != field:
                raise signing.BadSignature("cursor for another ordering")
            if field.endswith("_at"):
                value = datetime.fromisoformat(value)
        except (signing.BadSignature, ValueError, TypeError):
            bad = True  # a mangled or stale link: start again from the first page
        else:
            op = "lt" if descending else "gt"
            # The first condition repeats what the OR implies: PostgreSQL can then start the
            # index scan at the cursor instead of walking (and discarding) every earlier row.
            queryset = queryset.filter(**{f"{field}__{op}e": value}).filter(
                Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"id__{op}": last_id})
            )
    rows = list(queryset[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = signing.dumps([_value(last, field), last.pk, field], salt=SALT)
    return Page(rows=rows, next_cursor=next_cursor, bad_cursor=bad)
