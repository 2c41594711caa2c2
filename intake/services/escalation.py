"""The commanding officer's part: duty, acknowledgement, recorded line, supervisor, decision,
arrival on scene."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from dispatch.policy import Level
from dispatch.roles import Role
from intake.log import event_record
from intake.models import CommanderDuty, Contact, Decision
from intake.selectors import contact_evaluate, contact_facts
from intake.services.common import (
    ServiceError,
    lock_contact,
    require_open,
    require_role,
    require_visible,
)


@transaction.atomic
def commander_duty_set(*, actor: User, on_duty: bool) -> CommanderDuty:
    """A commanding officer goes on or off duty (call-takers notify those on duty)."""
    require_role(actor, Role.COMMANDING_OFFICER)
    duty, _ = CommanderDuty.objects.select_for_update().get_or_create(user_id=actor.pk)
    if duty.on_duty != on_duty:
        duty.on_duty = on_duty
        duty.changed_at = timezone.now()
        duty.save()
        event_record(action="commander.duty_changed", actor=actor, payload={"on_duty": on_duty})
    return duty


def _require_handling_commander(contact: Contact, actor: User) -> None:
    if contact.commanding_officer_id != actor.pk:
        raise ServiceError(
            "not_your_contact", f"{contact.reference} is handled by another commanding officer."
        )


def _own_contact(contact: Contact, actor: User) -> Contact:
    contact = lock_contact(contact)
    require_open(contact)
    _require_handling_commander(contact, actor)
    return contact


@transaction.atomic
def contact_acknowledge(*, contact: Contact, actor: User) -> Contact:
    """The commanding officer takes the contact (stops the acknowledgement clock)."""
    require_role(actor, Role.COMMANDING_OFFICER)
    contact = _own_contact(contact, actor)
    if contact.co_acknowledged_at is None:
        contact.co_acknowledged_at = timezone.now()
        contact.save(update_fields=["co_acknowledged_at"])
        event_record(action="contact.co_acknowledged", actor=actor, contact=contact)
    return contact


def _when(at: datetime | None) -> datetime:
    now = timezone.now()
    if at is None:
        return now
    if at > now + timedelta(minutes=1):
        raise ServiceError("future_time", "That time is in the future.", field="at")
    return at


@transaction.atomic
def contact_callback_record(
    *, contact: Contact, actor: User, recording_ref: str, at: datetime | None = None
) -> Contact:
    """P3/P4: the callback to the agency on a recorded line, with the recording's reference."""
    role = require_role(actor, Role.COMMANDING_OFFICER, Role.OFFICER)
    contact = lock_contact(contact)
    require_visible(contact, actor, role)
    require_open(contact)
    if role is Role.COMMANDING_OFFICER:
        _require_handling_commander(contact, actor)
    if not recording_ref.strip():
        raise ServiceError(
            "recording_required", "Give the recording's reference.", field="recording_ref"
        )
    before = contact.callback_recording_ref
    contact.callback_recording_ref = recording_ref.strip()
    contact.callback_at = _when(at)
    contact.callback_by = actor
    contact.save()
    event_record(
        action="contact.callback_recorded",
        actor=actor,
        contact=contact,
        payload={
            "recording_ref": contact.callback_recording_ref,
            "previous": before,
            "at": contact.callback_at,
        },
    )
    return contact


@transaction.atomic
def contact_supervisor_record(
    *, contact: Contact, actor: User, supervisor_name: str, at: datetime | None = None
) -> Contact:
    """P4/P10: the supervisor who was notified, and when."""
    role = require_role(actor, Role.COMMANDING_OFFICER, Role.OFFICER)
    contact = lock_contact(contact)
    require_visible(contact, actor, role)
    require_open(contact)
    if not supervisor_name.strip():
        raise ServiceError(
            "supervisor_required", "Name the supervisor who was notified.", field="supervisor_name"
        )
    contact.supervisor_name = supervisor_name.strip()
    contact.supervisor_notified_at = _when(at)
    contact.save()
    event_record(
        action="contact.supervisor_notified",
        actor=actor,
        contact=contact,
        payload={"supervisor": contact.supervisor_name, "at": contact.supervisor_notified_at},
    )
    return contact


@transaction.atomic
def decision_record(*, contact: Contact, actor: User, level: str, assessment: str) -> Decision:
    """P2: the commanding officer decides; never above what the engine permits."""
    require_role(actor, Role.COMMANDING_OFFICER)
    # The row lock makes two commanders (or two tabs) take turns; whoever comes second is told
    # who decided and when, before any other check.
    contact = lock_contact(contact)
    existing = Decision.objects.filter(contact=contact).select_related("decided_by").first()
    if (
        existing is not None
        and existing.decided_by_id == actor.pk
        and existing.level == level
        and existing.assessment == assessment.strip()
    ):
        return existing  # the same decision submitted twice (double click, resent form)
    if existing is not None:
        raise ServiceError(
            "already_decided",
            f"Already decided by {existing.decided_by.get_full_name() or existing.decided_by}"
            f" at {date_format(timezone.localtime(existing.decided_at), 'H:i:s')}: "
            f"{existing.get_level_display()}.",
        )
    require_open(contact)
    _require_handling_commander(contact, actor)
    errors: dict[str | None, str] = {}
    if level not in Decision.Level.values:
        errors["level"] = "Choose deny, backup only or full."
    if not assessment.strip():
        errors["assessment"] = "Write your assessment: what you weighed and why."
    if errors:
        raise ServiceError("invalid", "Some answers are missing.", errors=errors)
    evaluation = contact_evaluate(contact, co_decision=level)
    requested = Level.NONE if level == Decision.Level.DENY else Level(level)
    if not evaluation.allows(requested):
        grounds = " ".join(
            f"{f.clause}: {f.reason}" for f in evaluation.findings if f.clause in {"P5", "P7"}
        )
        raise ServiceError(
            "exceeds_policy",
            f"P2: you may not decide more than policy permits ({evaluation.permitted.value}). "
            + grounds,
            field="level",
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                contact=contact,
                level=level,
                assessment=assessment.strip(),
                decided_by=actor,
                decided_at=now,
                policy=evaluation.policy,
                facts=contact_facts(contact, co_decision=level).to_dict(),
                evaluation=evaluation.to_dict(),
            )
    except IntegrityError:  # a concurrent decision won the race despite the lock
        raise ServiceError("already_decided", "This contact was just decided.") from None
    if contact.co_acknowledged_at is None:
        contact.co_acknowledged_at = now
        contact.save(update_fields=["co_acknowledged_at"])
    event_record(
        action="decision.recorded",
        actor=actor,
        contact=contact,
        payload={
            "decision": decision.pk,
            "level": level,
            "policy": decision.policy,
            "permitted": evaluation.permitted.value,
            "may_dispatch": evaluation.may_dispatch,
            "clauses": list(evaluation.clauses),
        },
    )
    return decision


@transaction.atomic
def contact_on_scene_mark(*, contact: Contact, actor: User) -> Contact:
    """P8: the commanding officer is on scene; officers may now be assigned."""
    require_role(actor, Role.COMMANDING_OFFICER)
    contact = _own_contact(contact, actor)
    if contact.co_on_scene_at is None:
        contact.co_on_scene_at = timezone.now()
        contact.save(update_fields=["co_on_scene_at"])
        event_record(action="contact.co_on_scene", actor=actor, contact=contact)
    return contact
