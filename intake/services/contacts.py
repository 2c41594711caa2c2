"""Recording a contact, step by step: create, caller, request, notify, hand over, close."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from dispatch.roles import Role, user_role
from intake.log import event_record
from intake.models import Amendment, Contact, ContactChannel, ReferenceCounter
from intake.selectors import commander_is_on_duty, contact_evaluate
from intake.services.common import (
    ServiceError,
    apply_changes,
    lock_contact,
    require_open,
    require_role,
    require_visible,
)
from intake.services.reviews import review_open_automatic

RECORDERS = (Role.CALL_TAKER, Role.OFFICER)
HANDLERS = (Role.CALL_TAKER, Role.OFFICER, Role.COMMANDING_OFFICER)

# Ordered as the forms show them.
CALLER_FIELDS = (
    "agency",
    "agent_name",
    "agent_badge",
    "agent_callback_number",
    "agent_supervisor",
    "identity_check",
)
REQUEST_FIELDS = (
    "request_type",
    "agent_words",
    "location",
    "people_targeted",
    "subject_name",
    "warrant",
    "warrant_number",
    "warrant_court",
    "crime",
    "crime_description",
    "public_danger",
    "public_danger_description",
    "subject_violent_history",
    "subject_armed",
    "subject_danger_to_agents",
)
AMENDABLE_FIELDS = {
    "narrative",
    "outcome",
    "location",
    "agent_name",
    "agent_badge",
    "agent_words",
    "subject_name",
}


def _next_reference(counter: ReferenceCounter) -> str:
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"FA-{counter.year}-{counter.last:05d}"


@transaction.atomic
def contact_create(
    *,
    actor: User,
    channel: str,
    officer_in_distress: bool = False,
    submission_key: uuid.UUID | None = None,
) -> Contact:
    """Open a new contact with its reference; officers may only open direct contacts (P4).

    A repeated ``submission_key`` (double click, resent form) returns the contact it opened."""
    role = require_role(actor, *RECORDERS)
    if channel not in ContactChannel.values:
        raise ServiceError("bad_channel", "Choose how the contact arrived.", field="channel")
    if role is Role.OFFICER and channel not in ContactChannel.direct():
        raise ServiceError(
            "officer_direct_only",
            "Officers report contacts made directly to them.",
            field="channel",
        )
    now = timezone.now()
    # The year's counter row is locked first: creations take turns, so references have no
    # gaps and a resent form finds the contact its first submission opened.
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        year=timezone.localdate(now).year
    )
    if submission_key is not None:
        existing = Contact.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            if existing.entered_by_id != actor.pk:
                raise ServiceError("duplicate_submission", "This form was already used.")
            return existing
    contact = Contact.objects.create(
        reference=_next_reference(counter),
        received_at=now,
        entered_by=actor,
        channel=channel,
        officer_in_distress=officer_in_distress,
        officer_in_distress_at=now if officer_in_distress else None,
        flagged_for_review=officer_in_distress,
        permitted="full" if officer_in_distress else "none",
        submission_key=submission_key,
    )
    event_record(
        action="contact.created",
        actor=actor,
        contact=contact,
        payload={"channel": channel, "reference": contact.reference},
    )
    if officer_in_distress:
        _distress_recorded(contact, actor)
    return contact


def _distress_recorded(contact: Contact, actor: User) -> None:
    event_record(
        action="contact.officer_in_distress",
        actor=actor,
        contact=contact,
        payload={"flagged_for_review": True},
    )
    review_open_automatic(
        contact=contact, reason="Officer in distress: units were sent before the usual steps (P9)."
    )


def caller_problems(values: Mapping[str, Any]) -> dict[str | None, str]:
    errors: dict[str | None, str] = {}
    if not values.get("agency"):
        errors["agency"] = "Choose the agency, or 'Unverified' if the caller will not say."
    if not values.get("identity_check"):
        errors["identity_check"] = "Say how the caller's identity was checked."
    if not (values.get("agent_name") or "").strip():
        errors["agent_name"] = "Ask for the agent's name."
    return errors


def request_problems(values: Mapping[str, Any]) -> dict[str | None, str]:
    errors: dict[str | None, str] = {}
    if not (values.get("agent_words") or "").strip():
        errors["agent_words"] = "Write down what the agent asked for, in their words."
    if not (values.get("location") or "").strip():
        errors["location"] = "Record where the help is asked for."
    if values.get("warrant", "none") != "none":
        if not (values.get("warrant_number") or "").strip():
            errors["warrant_number"] = "Give the warrant's number."
        if not (values.get("warrant_court") or "").strip():
            errors["warrant_court"] = "Give the court or authority that issued the warrant."
    if (
        values.get("crime", "none") != "none"
        and not (values.get("crime_description") or "").strip()
    ):
        errors["crime_description"] = "Describe the crime."
    if values.get("public_danger") and not (values.get("public_danger_description") or "").strip():
        errors["public_danger_description"] = "Describe the danger to the public."
    return errors


def require_direct_contact_steps(contact: Contact, role: Role) -> None:
    """P4: an officer contacted directly notifies a supervisor and calls back first."""
    if (
        role is Role.OFFICER
        and contact.is_direct
        and (contact.supervisor_notified_at is None or not contact.callback_recording_ref)
    ):
        raise ServiceError(
            "direct_contact_steps_first",
            "P4: notify a supervisor and call the agent back on a recorded line before "
            "anything else.",
        )


def _record_step(
    *,
    contact: Contact,
    actor: User,
    values: Mapping[str, Any],
    fields: tuple[str, ...],
    validate: Any,
    stamp: str,
    action: str,
) -> Contact:
    role = require_role(actor, *HANDLERS)
    contact = lock_contact(contact)
    require_visible(contact, actor, role)
    require_open(contact)
    require_direct_contact_steps(contact, role)
    errors = validate(values)
    if errors:
        raise ServiceError("invalid", "Some answers are missing.", errors=errors)
    changes = apply_changes(contact, values, set(fields))
    contact.permitted = contact_evaluate(contact).permitted.value
    first_time = getattr(contact, stamp) is None
    if first_time:
        setattr(contact, stamp, timezone.now())
    contact.save()
    event_record(
        action=action,
        actor=actor,
        contact=contact,
        payload={"changes": changes, "first_time": first_time},
    )
    return contact


@transaction.atomic
def contact_caller_record(*, contact: Contact, actor: User, values: Mapping[str, Any]) -> Contact:
    """Step: who is calling, for which agency, and how their identity was checked."""
    return _record_step(
        contact=contact,
        actor=actor,
        values=values,
        fields=CALLER_FIELDS,
        validate=caller_problems,
        stamp="caller_recorded_at",
        action="contact.caller_recorded",
    )


@transaction.atomic
def contact_request_record(*, contact: Contact, actor: User, values: Mapping[str, Any]) -> Contact:
    """Step: what is asked, where, and the facts the policy engine reads."""
    return _record_step(
        contact=contact,
        actor=actor,
        values=values,
        fields=REQUEST_FIELDS,
        validate=request_problems,
        stamp="request_recorded_at",
        action="contact.request_recorded",
    )


@transaction.atomic
def contact_co_notify(*, contact: Contact, actor: User, commanding_officer: User) -> Contact:
    """Step (P2): a commanding officer on duty is notified and now handles the contact."""
    role = require_role(actor, *HANDLERS)
    contact = lock_contact(contact)
    require_visible(contact, actor, role)
    require_open(contact)
    require_direct_contact_steps(contact, role)
    if user_role(commanding_officer) is not Role.COMMANDING_OFFICER:
        raise ServiceError(
            "not_a_commander", "Choose a commanding officer.", field="commanding_officer"
        )
    if not commander_is_on_duty(commanding_officer):
        raise ServiceError(
            "commander_off_duty",
            f"{commanding_officer.get_full_name()} is not on duty.",
            field="commanding_officer",
        )
    before = contact.commanding_officer_id
    contact.commanding_officer = commanding_officer
    contact.co_notified_at = timezone.now()
    contact.co_acknowledged_at = None  # a newly notified commander must acknowledge again
    contact.save()
    event_record(
        action="contact.co_notified",
        actor=actor,
        contact=contact,
        payload={"commanding_officer": commanding_officer.pk, "previous": before},
    )
    return contact


@transaction.atomic
def contact_hand_over(*, contact: Contact, actor: User) -> Contact:
    """Step: the caller is told a commanding officer will call back on a recorded line."""
    role = require_role(actor, *RECORDERS)
    contact = lock_contact(contact)
    require_visible(contact, actor, role)
    require_open(contact)
    missing = [
        name
        for name, at in (
            ("the caller", contact.caller_recorded_at),
            ("the request", contact.request_recorded_at),
            ("a commanding officer", contact.co_notified_at),
        )
        if at is None
    ]
    if missing:
        raise ServiceError("steps_missing", "Record " + ", ".join(missing) + " first.")
    if contact.handed_over_at is None:
        contact.handed_over_at = timezone.now()
        contact.save(update_fields=["handed_over_at"])
        event_record(action="contact.handed_over", actor=actor, contact=contact)
    return contact


@transaction.atomic
def contact_officer_in_distress(*, contact: Contact, actor: User) -> Contact:
    """P9: an officer or agent in immediate danger; units may go at once, review follows."""
    role = require_role(actor, *HANDLERS)
    contact = lock_contact(contact)
    require_visible(contact, actor, role)
    require_open(contact)
    if not contact.officer_in_distress:
        contact.officer_in_distress = True
        contact.officer_in_distress_at = timezone.now()
        contact.flagged_for_review = True
        contact.permitted = "full"
        contact.save()
        _distress_recorded(contact, actor)
    return contact


@transaction.atomic
def contact_cancel(*, contact: Contact, actor: User, reason: str) -> Contact:
    """Cancel an open contact (a wrong number, a duplicate); the record stays, with the reason."""
    role = require_role(actor, *HANDLERS)
    contact = lock_contact(contact)
    require_visible(contact, actor, role)
    require_open(contact)
    if not reason.strip():
        raise ServiceError("reason_required", "Say why the contact is cancelled.", field="reason")
    if contact.assignments.filter(released_at__isnull=True).exists():
        raise ServiceError(
            "units_assigned", "Units are assigned: close the contact with what they did instead."
        )
    contact.status = Contact.Status.CANCELLED
    contact.cancel_reason = reason.strip()
    contact.closed_by = actor
    contact.closed_at = timezone.now()
    contact.save()
    event_record(
        action="contact.cancelled",
        actor=actor,
        contact=contact,
        payload={"reason": contact.cancel_reason},
    )
    return contact


@transaction.atomic
def contact_close(
    *,
    contact: Contact,
    actor: User,
    outcome: str,
    narrative: str,
    body_cameras: Mapping[int, Mapping[str, str]],
) -> Contact:
    """Close-out (P11): what officers did, body camera per assigned unit, and a narrative."""
    from dispatch.services import assignments_release

    require_role(actor, Role.CALL_TAKER, Role.COMMANDING_OFFICER)
    contact = lock_contact(contact)
    require_open(contact)
    errors: dict[str | None, str] = {}
    if not outcome:
        errors["outcome"] = "Say what officers did."
    if not narrative.strip():
        errors["narrative"] = "Write a short narrative of the contact."
    if errors:
        raise ServiceError("invalid", "Some answers are missing.", errors=errors)
    released = assignments_release(contact=contact, actor=actor, body_cameras=body_cameras)
    contact.outcome = outcome
    contact.narrative = narrative.strip()
    contact.status = Contact.Status.CLOSED
    contact.closed_by = actor
    contact.closed_at = timezone.now()
    contact.save()
    event_record(
        action="contact.closed",
        actor=actor,
        contact=contact,
        payload={"outcome": outcome, "units_released": released},
    )
    return contact


@transaction.atomic
def contact_amend(
    *, contact: Contact, actor: User, field: str, value: str, reason: str
) -> Amendment:
    """After close, a correction is appended; the contact's original value is kept."""
    require_role(actor, Role.CALL_TAKER, Role.COMMANDING_OFFICER)
    contact = lock_contact(contact)
    if contact.is_open:
        raise ServiceError("still_open", "An open contact is corrected through its steps.")
    errors: dict[str | None, str] = {}
    if field not in AMENDABLE_FIELDS:
        errors["field"] = "Choose a field that may be corrected."
    if not value.strip():
        errors["value"] = "Give the corrected value."
    if not reason.strip():
        errors["reason"] = "Say why the correction is needed."
    if errors:
        raise ServiceError("invalid", "Some answers are missing.", errors=errors)
    current = contact.amendments.filter(field=field).order_by("-amended_at", "-id").first()
    old = current.new_value if current else str(getattr(contact, field))
    amendment = Amendment.objects.create(
        contact=contact,
        field=field,
        old_value=old,
        new_value=value.strip(),
        reason=reason.strip(),
        amended_by=actor,
    )
    event_record(
        action="contact.amended",
        actor=actor,
        contact=contact,
        payload={
            "amendment": amendment.pk,
            "field": field,
            "before": old,
            "after": amendment.new_value,
            "reason": amendment.reason,
        },
    )
    return amendment
