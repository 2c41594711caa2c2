"""What every service shares: the error it raises, the role check, the row lock, the event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from dispatch.roles import Role, user_role
from intake.log import jsonable
from intake.models import Contact


class ServiceError(Exception):
    """A refusal that a form can show: ``errors`` maps field names (or ``None``) to messages."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        errors: Mapping[str | None, str] | None = None,
    ) -> None:
        self.code = code
        self.errors: dict[str | None, str] = dict(errors or {field: message})
        super().__init__(message)


def require_role(actor: User, *roles: Role) -> Role:
    """The actor's role, or PermissionDenied: services check roles too, not only views."""
    role = user_role(actor)
    if role not in roles:
        raise PermissionDenied(f"{role.label if role else 'No role'} may not do this.")
    return role


def lock_contact(contact: Contact) -> Contact:
    """The contact re-read under a row lock: two users acting at once take turns."""
    return Contact.objects.select_for_update().get(pk=contact.pk)


def require_open(contact: Contact) -> None:
    if not contact.is_open:
        raise ServiceError(
            "contact_not_open",
            f"{contact.reference} is {contact.get_status_display().lower()}; "
            "corrections are made as amendments.",
        )


def require_visible(contact: Contact, actor: User, role: Role) -> None:
    """Officers act only on their own reports."""
    if role is Role.OFFICER and contact.entered_by_id != actor.pk:
        raise PermissionDenied("Officers see only their own reports.")


def apply_changes(contact: Contact, values: Mapping[str, Any], allowed: set[str]) -> dict[str, Any]:
    """Set ``values`` on the contact; return ``{field: [before, after]}`` for what changed."""
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not fields of this step: {sorted(unknown)}")
    changes: dict[str, Any] = {}
    for name, new in values.items():
        old = getattr(contact, name)
        if old != new:
            changes[name] = [jsonable(old), jsonable(new)]
            setattr(contact, name, new)
    return changes
