"""Each working role's home page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dispatch.roles import AuthenticatedRequest, Role, role_required
from intake import reports
from intake.charts import stacked_bars
from intake.models import Agency
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
    """The auditor's dashboard: contacts per month by decision and agency, time to decide,
    and the open exceptions."""
    labels, by_decision = reports.monthly_by("decision__level")
    agency_labels, by_agency = reports.monthly_by("agency")
    names = {"deny": "denied", "backup_only": "backup only", "full": "full", "none": "not decided"}
    return render(
        request,
        "home/auditor.html",
        {
            "role": Role.AUDITOR,
            "chart": stacked_bars(labels, by_decision, names=names),
            "agency_labels": agency_labels,
            "agency_rows": [
                (dict(Agency.choices).get(k, "Not recorded"), v)
                for k, v in sorted(by_agency.items())
            ],
            "median_minutes": reports.median_minutes_to_decision(),
            "exceptions": reports.exceptions(),
        },
    )
