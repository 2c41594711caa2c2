"""Project-level pages: the sign-in landing, each role's home page, and the health check."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dispatch.models import Unit
from dispatch.roles import Role, role_required, user_role

logger = logging.getLogger(__name__)

# Where each role lands after sign-in.
ROLE_HOMES = {
    Role.CALL_TAKER: "intake-calltaker-home",
    Role.COMMANDING_OFFICER: "intake-commander-home",
    Role.OFFICER: "intake-officer-home",
    Role.AUDITOR: "intake-auditor-home",
    Role.ADMINISTRATOR: "dispatch-admin-home",
}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send a signed-in user to their role's home page."""
    role = user_role(request.user)
    if role is None:
        raise PermissionDenied(
            "Your account has no role yet. Ask an administrator to add you to a role group."
        )
    return redirect(ROLE_HOMES[role])


def _role_home(role: Role, template: str) -> Callable[[HttpRequest], HttpResponse]:
    @require_GET
    @role_required(role)
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, template, {"role": role})

    view.__name__ = f"{role.value}_home"
    return view


calltaker_home = _role_home(Role.CALL_TAKER, "home/call_taker.html")
commander_home = _role_home(Role.COMMANDING_OFFICER, "home/commanding_officer.html")
officer_home = _role_home(Role.OFFICER, "home/officer.html")
auditor_home = _role_home(Role.AUDITOR, "home/auditor.html")


@require_GET
@role_required(Role.ADMINISTRATOR)
def admin_home(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.only("call_sign", "description", "status")
    return render(request, "home/administrator.html", {"role": Role.ADMINISTRATOR, "units": units})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app and its database answer; 503 naming the part that failed."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to reach the database is an outage, whatever its type
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
