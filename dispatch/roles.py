"""The five roles, each a Django group, and the role check every view makes."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
    from django.http.response import HttpResponseBase


class AuthenticatedRequest(HttpRequest):
    """What a view behind ``role_required`` receives: a signed-in user (for type checking)."""

    user: User


class Role(StrEnum):
    CALL_TAKER = "call_taker"
    COMMANDING_OFFICER = "commanding_officer"
    OFFICER = "officer"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"

    @property
    def group(self) -> str:
        """The name of the Django group that carries the role (created by a migration)."""
        return _GROUPS[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_GROUPS = {
    Role.CALL_TAKER: "Call-takers",
    Role.COMMANDING_OFFICER: "Commanding officers",
    Role.OFFICER: "Officers",
    Role.AUDITOR: "Auditors",
    Role.ADMINISTRATOR: "Administrators",
}
_LABELS = {
    Role.CALL_TAKER: "Call-taker",
    Role.COMMANDING_OFFICER: "Commanding officer",
    Role.OFFICER: "Officer",
    Role.AUDITOR: "Auditor",
    Role.ADMINISTRATOR: "Administrator",
}
_BY_GROUP = {group: role for role, group in _GROUPS.items()}


def user_role(user: AbstractBaseUser | AnonymousUser) -> Role | None:
    """The user's role, from their group; None for anonymous users and users with no role.

    A user is meant to hold one role. Should they hold several, the first in the order of
    ``Role`` wins, so the answer never depends on database ordering.
    """
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_dispatch_role", False)
    if cached is not False:
        return cast("Role | None", cached)
    names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
    role = next((r for r in Role if r.group in names), None)
    if role is None and getattr(user, "is_superuser", False):
        role = Role.ADMINISTRATOR
    setattr(user, "_dispatch_role", role)  # noqa: B010 (a per-request cache on the user object)
    return role


View = TypeVar("View", bound=Callable[..., "HttpResponseBase"])


def role_required(*roles: Role) -> Callable[[View], View]:
    """Refuse (403) any signed-in user whose role is not one of ``roles``."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if user_role(request.user) not in roles:
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


def role_context(request: HttpRequest) -> dict[str, Role | bool | None]:
    """Template context: the signed-in user's role, for the navigation bar."""
    from django.conf import settings

    return {"user_role": user_role(request.user), "mfa_required": settings.MFA_REQUIRED}
