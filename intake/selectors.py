"""Reads of the intake app: the facts the engine sees, queues, and who may see what."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from dispatch.policy import Channel, CoDecision, Crime, Decision, Facts, Request, Warrant, evaluate
from dispatch.roles import Role, user_role
from intake.models import CommanderDuty, Contact, ContactChannel

# Contact fields the engine reads, for the live evaluation of a form not yet saved.
FACT_FIELDS = {
    "channel",
    "request_type",
    "warrant",
    "crime",
    "public_danger",
    "subject_violent_history",
    "subject_armed",
    "subject_danger_to_agents",
    "officer_in_distress",
}


def contact_facts(
    contact: Contact, *, co_decision: str | None = None, overrides: Mapping[str, Any] | None = None
) -> Facts:
    """The engine's view of a contact; ``overrides`` are unsaved form values (live preview)."""
    values = {name: getattr(contact, name) for name in FACT_FIELDS}
    values.update(overrides or {})
    decision = getattr(contact, "decision", None) if contact.pk else None
    if co_decision is None:
        co_decision = decision.level if decision is not None else CoDecision.NONE.value
    return Facts(
        channel=(
            Channel.DIRECT_TO_OFFICER
            if values["channel"] in ContactChannel.direct()
            else Channel.METROSAFE
        ),
        request=Request(values["request_type"]),
        warrant=Warrant(values["warrant"]),
        crime=Crime(values["crime"]),
        public_danger=bool(values["public_danger"]),
        officer_in_distress=bool(values["officer_in_distress"]),
        subject_danger=bool(
            values["subject_violent_history"]
            or values["subject_armed"]
            or values["subject_danger_to_agents"]
        ),
        recorded_line_callback=bool(contact.callback_recording_ref),
        supervisor_notified=contact.supervisor_notified_at is not None,
        co_on_scene=contact.co_on_scene_at is not None,
        co_decision=CoDecision(co_decision),
    )


def contact_evaluate(contact: Contact, **kwargs: Any) -> Decision:
    return evaluate(contact_facts(contact, **kwargs))


def refusal_reasons(decision: Decision) -> list[str]:
    """Why units may not go yet, in plain words with the clause: one line per missing step."""
    reasons = [f"{f.clause}: {f.reason}" for f in decision.findings if f.unmet]
    if decision.permitted.value == "none":
        reasons = [
            f"{f.clause}: {f.reason}" for f in decision.findings if f.clause in {"P1", "P5", "P6"}
        ] + reasons
    return reasons


def contact_for_user(*, reference: str, user: User) -> Contact:
    """A contact the user may see: officers only their own; 404 for what does not exist."""
    role = user_role(user)
    try:
        contact = Contact.objects.select_related(
            "entered_by", "commanding_officer", "callback_by", "closed_by"
        ).get(reference=reference)
    except Contact.DoesNotExist:
        raise Http404(f"No contact {reference}") from None
    if role is None or (role is Role.OFFICER and contact.entered_by_id != user.pk):
        raise PermissionDenied("Officers see only their own reports.")
    if role is Role.ADMINISTRATOR:
        raise PermissionDenied("Administrators do not see contacts.")
    return contact


def commanders_on_duty() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, groups__name=Role.COMMANDING_OFFICER.group, duty__on_duty=True
    ).order_by("last_name", "username")


def commanders_all() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=Role.COMMANDING_OFFICER.group).order_by(
        "last_name", "username"
    )


def commander_is_on_duty(user: User) -> bool:
    return CommanderDuty.objects.filter(user_id=user.pk, on_duty=True).exists()


@dataclass(frozen=True)
class QueueItem:
    contact: Contact
    ack_overdue: bool
    decision_overdue: bool
    waiting_since: datetime

    @property
    def overdue(self) -> bool:
        return self.ack_overdue or self.decision_overdue


def commander_queue(*, user: User, now: datetime | None = None) -> list[QueueItem]:
    """Open contacts waiting for this commanding officer, oldest first, overdue ones marked."""
    now = now or timezone.now()
    ack_limit = timedelta(minutes=settings.CO_ACK_MINUTES)
    decision_limit = timedelta(minutes=settings.CO_DECISION_MINUTES)
    contacts = (
        Contact.objects.filter(commanding_officer_id=user.pk, status=Contact.Status.OPEN)
        .select_related("decision", "entered_by")
        .order_by("co_notified_at", "received_at")
    )
    items = []
    for contact in contacts:
        since = contact.co_notified_at or contact.received_at
        decided = hasattr(contact, "decision")
        items.append(
            QueueItem(
                contact=contact,
                ack_overdue=contact.co_acknowledged_at is None and now - since > ack_limit,
                decision_overdue=not decided
                and not contact.officer_in_distress
                and now - since > decision_limit,
                waiting_since=since,
            )
        )
    return items


def contacts_entered_by(*, user: User, limit: int = 50) -> QuerySet[Contact]:
    return Contact.objects.filter(entered_by_id=user.pk).order_by("-received_at")[:limit]


def contacts_open(*, limit: int = 50) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(status=Contact.Status.OPEN)
        .select_related("commanding_officer")
        .order_by("-received_at")[:limit]
    )
