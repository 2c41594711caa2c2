"""The contact log's filters: everything lives in the URL, so a filtered view can be shared."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.postgres.search import SearchQuery
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from dispatch.models import Assignment
from dispatch.roles import Role
from intake.models import Agency, Contact, ContactChannel, Decision, Outcome, ReviewFinding
from intake.models.contact import REQUEST_CHOICES
from intake.models.records import Review


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


LEVELS = [("none", "None"), ("backup_only", "Backup only"), ("full", "Full")]
FLAGS = [
    ("officer_in_distress", "Officer in distress"),
    ("overdue", "Overdue escalation"),
    ("body_camera_missing", "Body camera missing"),
    ("callback_missing", "Recorded callback missing"),
    ("under_review", "Under review"),
]


def flag_filters() -> dict[str, Q]:
    """Each flag as a condition on contacts (shared with the dashboard's exceptions list)."""
    ack = timedelta(minutes=settings.CO_ACK_MINUTES)
    decide = timedelta(minutes=settings.CO_DECISION_MINUTES)
    now = timezone.now()
    open_review = Review.objects.filter(contact=OuterRef("pk")).exclude(
        Exists(ReviewFinding.objects.filter(review=OuterRef("pk")))
    )
    camera_missing = Assignment.objects.filter(
        contact=OuterRef("pk"), released_at__isnull=False, body_camera=""
    )
    return {
        "officer_in_distress": Q(officer_in_distress=True),
        "overdue": Q(co_notified_at__isnull=False)
        & (
            Q(
                co_acknowledged_at__isnull=True,
                co_notified_at__lt=now - ack,
                status=Contact.Status.OPEN,
            )
            | Q(co_acknowledged_at__gt=F("co_notified_at") + ack)
            | Q(
                decision__isnull=True,
                officer_in_distress=False,
                co_notified_at__lt=now - decide,
                status=Contact.Status.OPEN,
            )
            | Q(decision__decided_at__gt=F("co_notified_at") + decide)
        ),
        "body_camera_missing": Q(Exists(camera_missing)),
        "callback_missing": Q(callback_recording_ref="") & ~Q(status=Contact.Status.CANCELLED),
        "under_review": Q(Exists(open_review)),
    }


class ContactLogFilter(django_filters.FilterSet):
    # Bounded: PostgreSQL's websearch parser recurses per term, and a 200 kB query exhausted
    # its stack (an error page instead of a refusal beside the box).
    q = django_filters.CharFilter(label="Search", method="search", max_length=200)
    received_from = django_filters.DateFilter(method="received_from_day", label="Received from")
    received_to = django_filters.DateFilter(method="received_to_day", label="Received to")
    agency = django_filters.ChoiceFilter(choices=Agency.choices)
    channel = django_filters.ChoiceFilter(choices=ContactChannel.choices)
    request_type = django_filters.ChoiceFilter(choices=REQUEST_CHOICES, label="Request")
    permitted = django_filters.ChoiceFilter(choices=LEVELS, label="Policy permitted")
    decision = django_filters.ChoiceFilter(
        choices=[("undecided", "Not decided"), *Decision.Level.choices], method="by_decision"
    )
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    commanding_officer = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(groups__name=Role.COMMANDING_OFFICER.group).order_by(
            "last_name"
        ),
        label="Commanding officer",
    )
    flag = django_filters.MultipleChoiceFilter(
        choices=FLAGS, method="by_flags", label="Flags", widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Contact
        fields: list[str] = []

    # Days are local days, turned into a range of instants: ``received_at__date`` would wrap the
    # column in a time-zone conversion and no index could serve it.
    def received_from_day(
        self, queryset: QuerySet[Contact], name: str, value: date
    ) -> QuerySet[Contact]:
        return queryset.filter(received_at__gte=_local_midnight(value))

    def received_to_day(
        self, queryset: QuerySet[Contact], name: str, value: date
    ) -> QuerySet[Contact]:
        if value == date.max:  # the last day a date can name: nothing comes after it
            return queryset
        return queryset.filter(received_at__lt=_local_midnight(value + timedelta(days=1)))

    def search(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        value = value.strip()
        if not value:
            return queryset
        query = SearchQuery(value, search_type="websearch", config="english")
        # References are stored upper-case: an exact match uses the unique index, so the two
        # conditions combine as a bitmap OR of two index scans, not a scan of every row.
        return queryset.filter(Q(search=query) | Q(reference=value.upper()))

    def by_decision(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        if value == "undecided":
            return queryset.filter(decision__isnull=True)
        return queryset.filter(decision__level=value)

    def by_flags(self, queryset: QuerySet[Contact], name: str, values: list[str]) -> Any:
        conditions = flag_filters()
        for value in values:
            queryset = queryset.filter(conditions[value])
        return queryset
