"""Project-level pages: the sign-in landing, each role's home page, and the health check."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from dispatch.models import Unit
from dispatch.roles import AuthenticatedRequest, Role, role_required, user_role
from dispatch.services import DispatchRefused, unit_assign
from intake.forms import AssignForm
from intake.selectors import contact_for_user
from intake.services.common import ServiceError
from intake.views.common import evaluation_context

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


@require_GET
@role_required(Role.ADMINISTRATOR)
def admin_home(request: AuthenticatedRequest) -> HttpResponse:
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


@require_http_methods(["GET", "POST"])
@role_required(Role.CALL_TAKER, Role.COMMANDING_OFFICER)
def contact_units(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """The dispatch gate for one contact: what policy allows now, and the units to assign."""
    contact = contact_for_user(reference=reference, user=request.user)
    refused: DispatchRefused | None = None
    if request.method == "POST":
        form = AssignForm(request.POST)
        unit = (
            Unit.objects.filter(pk=form.cleaned_data["unit"]).first() if form.is_valid() else None
        )
        if unit is None:
            messages.error(request, "Choose a unit.")
        else:
            try:
                assignment = unit_assign(contact=contact, unit=unit, actor=request.user)
            except DispatchRefused as exc:
                refused = exc  # shown with every reason beside the policy panel
            except ServiceError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"{unit.call_sign} assigned to {reference}"
                    + (" (perimeter / observe only)." if assignment.is_backup_only else "."),
                )
                return redirect("dispatch-contact-units", reference=reference)
        contact.refresh_from_db()
    return render(
        request,
        "dispatch/units.html",
        {
            "contact": contact,
            "refused": refused,
            "units": Unit.objects.exclude(status=Unit.Status.OUT_OF_SERVICE),
            "assignments": contact.assignments.select_related("unit"),
            **evaluation_context(contact),
        },
        status=409 if refused else 200,
    )
