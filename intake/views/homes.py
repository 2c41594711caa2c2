"""Each working role's home page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dispatch.roles import AuthenticatedRequest, Role, role_required
from intake.models import Contact
from intake.selectors import contacts_entered_by, contacts_open


@require_GET
@role_required(Role.CALL_TAKER)
def calltaker_home(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "home/call_taker.html",
        {
            "role": Role.CALL_TAKER,
            "open_contacts": contacts_open(),
        },
    )


@require_GET
@role_required(Role.OFFICER)
def officer_home(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "home/officer.html",
        {
            "role": Role.OFFICER,
            "reports": contacts_entered_by(user=request.user),
        },
    )


@require_GET
@role_required(Role.AUDITOR)
def auditor_home(request: AuthenticatedRequest) -> HttpResponse:
    recent = Contact.objects.select_related("commanding_officer").order_by("-received_at")[:50]
    return render(request, "home/auditor.html", {"role": Role.AUDITOR, "contacts": recent})
