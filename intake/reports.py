"""Aggregate figures: the auditor's dashboard and the public transparency report.

The public report reads only the whitelisted columns below, never a name, an address, a
narrative or a reference (a test checks the SQL), and shows every count under 3 as "<3".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from intake.filters import FLAGS, flag_filters
from intake.models import Agency, Contact, Decision, Outcome
from intake.models.contact import REQUEST_CHOICES

# The only contact columns the public report may read.
PUBLIC_COLUMNS = (
    "received_at",
    "agency",
    "request_type",
    "outcome",
    "people_targeted",
    "status",
    "decision__level",
)
SMALL = 3

DIMENSIONS: dict[str, tuple[str, list[tuple[str | None, str]]]] = {
    "agency": ("Agency", [*Agency.choices, ("", "Not recorded")]),
    "request_type": ("Request", list(REQUEST_CHOICES)),
    "decision__level": ("Decision", [*Decision.Level.choices, (None, "Not decided")]),
    "outcome": ("Outcome", [*Outcome.choices, ("", "Open or cancelled")]),
}


def shown(count: int) -> str:
    """A count as published: small non-zero counts could identify someone."""
    return f"<{SMALL}" if 0 < count < SMALL else str(count)


def _quarter(month: date) -> str:
    return f"{month.year} Q{(month.month - 1) // 3 + 1}"


@dataclass
class Period:
    label: str
    contacts: int = 0
    people: int = 0
    by: dict[str, dict[Any, int]] = field(default_factory=dict)


def transparency(*, months: int = 12) -> dict[str, Any]:
    """Counts per month and per quarter, by agency, request, decision and outcome."""
    base = Contact.objects.exclude(status=Contact.Status.CANCELLED).annotate(
        month=TruncMonth("received_at")
    )
    monthly: dict[date, Period] = {}
    for dimension in DIMENSIONS:
        rows = (
            base.values("month", dimension)
            .annotate(n=Count("id"), people=Sum("people_targeted"))
            .order_by()
        )
        for row in rows:
            month = row["month"].date()
            period = monthly.setdefault(month, Period(label=month.strftime("%Y-%m")))
            period.by.setdefault(dimension, defaultdict(int))
            period.by[dimension][row[dimension]] += row["n"]
            if dimension == "agency":
                period.contacts += row["n"]
                period.people += row["people"] or 0
    recent = sorted(monthly)[-months:]
    quarters: dict[str, Period] = {}
    for month in recent:
        source = monthly[month]
        quarter = quarters.setdefault(_quarter(month), Period(label=_quarter(month)))
        quarter.contacts += source.contacts
        quarter.people += source.people
        for dimension, counts in source.by.items():
            target = quarter.by.setdefault(dimension, defaultdict(int))
            for key, n in counts.items():
                target[key] += n
    return {"months": [monthly[m] for m in recent], "quarters": list(quarters.values())}


def public_table(periods: list[Period]) -> list[dict[str, Any]]:
    """Rows of (section, label, one shown value per period), small counts suppressed."""
    if not periods:
        return []
    rows: list[dict[str, Any]] = [
        {"section": "All", "label": "Contacts", "values": [shown(p.contacts) for p in periods]},
        {
            "section": "All",
            "label": "People targeted",
            "values": [
                str(p.people) if p.contacts >= SMALL else f"<{SMALL} contacts" for p in periods
            ],
        },
    ]
    for dimension, (section, choices) in DIMENSIONS.items():
        for key, label in choices:
            values = [p.by.get(dimension, {}).get(key, 0) for p in periods]
            if any(values):
                rows.append(
                    {"section": section, "label": str(label), "values": [shown(v) for v in values]}
                )
    return rows


def median_minutes_to_decision() -> float | None:
    """Median minutes from the call coming in to the commander's decision."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM"
            " d.decided_at - c.received_at)) / 60 FROM intake_decision d"
            " JOIN intake_contact c ON c.id = d.contact_id"
        )
        value = cursor.fetchone()[0]
    return round(float(value), 1) if value is not None else None


def monthly_by(dimension: str, *, months: int = 12) -> tuple[list[str], dict[str, list[int]]]:
    """Contacts per month split by one dimension, for the dashboard's chart and tables."""
    rows = (
        Contact.objects.exclude(status=Contact.Status.CANCELLED)
        .annotate(month=TruncMonth("received_at"))
        .values("month", dimension)
        .annotate(n=Count("id"))
        .order_by("month")
    )
    labels: list[str] = []
    series: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        label = row["month"].strftime("%Y-%m")
        if label not in labels:
            labels.append(label)
        series[str(row[dimension] or "none")][label] = row["n"]
    labels = labels[-months:]
    return labels, {key: [by_month.get(m, 0) for m in labels] for key, by_month in series.items()}


def exceptions() -> dict[str, list[Contact]]:
    """Open exceptions for auditors: each flag's contacts, newest first (50 at most)."""
    conditions = flag_filters()
    wanted = [key for key, _ in FLAGS if key != "officer_in_distress"]
    return {
        dict(FLAGS)[key]: list(
            Contact.objects.filter(conditions[key])
            .exclude(status=Contact.Status.CANCELLED)
            .order_by("-received_at")
            .only("reference", "received_at")[:50]
        )
        for key in wanted
    }
