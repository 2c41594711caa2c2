"""The dispatch gate: units are assigned only when the policy engine says ``may_dispatch``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from dispatch.models import Assignment, Unit
from dispatch.roles import Role
from intake.log import event_record
from intake.models import Contact
from intake.selectors import contact_evaluate, refusal_reasons
from intake.services.common import (
    ServiceError,
    lock_contact,
    require_open,
    require_role,
)

DISPATCHERS = (Role.CALL_TAKER, Role.COMMANDING_OFFICER)


@dataclass
class DispatchRefused(Exception):
    """The gate said no. The refusal is already recorded on the contact's timeline."""

    unit: str
    unmet: tuple[str, ...]
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.unit} may not be assigned yet: " + " ".join(self.reasons)


def unit_assign(*, contact: Contact, unit: Unit, actor: User) -> Assignment:
    """Assign ``unit`` to ``contact`` if policy allows now; otherwise record why not and raise."""
    result = _unit_assign(contact=contact, unit=unit, actor=actor)
    if isinstance(result, DispatchRefused):
        raise result  # raised after the commit, so the refusal's own record is kept
    return result


@transaction.atomic
def _unit_assign(*, contact: Contact, unit: Unit, actor: User) -> Assignment | DispatchRefused:
    require_role(actor, *DISPATCHERS)
    contact = lock_contact(contact)
    require_open(contact)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    evaluation = contact_evaluate(contact)
    if not evaluation.may_dispatch:
        refusal = DispatchRefused(
            unit=unit.call_sign,
            unmet=tuple(u.value for u in evaluation.unmet),
            reasons=tuple(refusal_reasons(evaluation)),
        )
        event_record(
            action="assignment.refused",
            actor=actor,
            contact=contact,
            payload={
                "unit": unit.call_sign,
                "unmet": list(refusal.unmet),
                "permitted": evaluation.permitted.value,
                "reasons": list(refusal.reasons),
                "policy": evaluation.policy,
            },
        )
        return refusal
    live = (
        Assignment.objects.filter(unit=unit, released_at__isnull=True)
        .select_related("contact")
        .first()
    )
    if live is not None and live.contact_id == contact.pk:
        return live  # the same assignment submitted twice (double click, resent form)
    if live is not None or unit.status != Unit.Status.AVAILABLE:
        where = f" to {live.contact.reference}" if live else ""
        raise ServiceError(
            "unit_unavailable",
            f"{unit.call_sign} is {unit.get_status_display().lower()}{where}.",
            field="unit",
        )
    decision = getattr(contact, "decision", None)
    level = (
        Assignment.Level.BACKUP_ONLY
        if decision is not None
        and decision.level == "backup_only"
        and not contact.officer_in_distress
        else Assignment.Level.FULL
    )
    assignment = Assignment.objects.create(
        unit=unit, contact=contact, level=level, assigned_by=actor, assigned_at=timezone.now()
    )
    unit.status = Unit.Status.ASSIGNED
    unit.save(update_fields=["status", "updated_at"])
    event_record(
        action="assignment.created",
        actor=actor,
        contact=contact,
        payload={
            "assignment": assignment.pk,
            "unit": unit.call_sign,
            "level": level,
            "policy": evaluation.policy,
            "clauses": list(evaluation.clauses),
        },
    )
    return assignment


def assignments_release(
    *, contact: Contact, actor: User, body_cameras: Mapping[int, Mapping[str, str]]
) -> list[str]:
    """Release the contact's units at close-out, with each unit's body-camera record (P11).

    Runs inside the caller's transaction (``contact_close``)."""
    live = list(
        Assignment.objects.select_for_update()
        .select_related("unit")
        .filter(contact=contact, released_at__isnull=True)
    )
    errors: dict[str | None, str] = {}
    for assignment in live:
        camera = body_cameras.get(assignment.pk, {})
        if camera.get("body_camera") not in Assignment.BodyCamera.values:
            errors[f"camera_{assignment.pk}"] = (
                f"{assignment.unit.call_sign}: was body-camera footage recorded?"
            )
        elif camera["body_camera"] == "no" and not camera.get("reason", "").strip():
            errors[f"camera_{assignment.pk}"] = (
                f"{assignment.unit.call_sign}: say why no footage was recorded."
            )
    if errors:
        raise ServiceError("body_camera_missing", "Body-camera records are missing.", errors=errors)
    now = timezone.now()
    for assignment in live:
        camera = body_cameras[assignment.pk]
        assignment.body_camera = camera["body_camera"]
        assignment.body_camera_reason = camera.get("reason", "").strip()
        assignment.body_camera_reference = camera.get("reference", "").strip()
        assignment.released_at = now
        assignment.save()
        Unit.objects.filter(pk=assignment.unit_id).update(
            status=Unit.Status.AVAILABLE, updated_at=now
        )
        event_record(
            action="assignment.released",
            actor=actor,
            contact=contact,
            payload={
                "assignment": assignment.pk,
                "unit": assignment.unit.call_sign,
                "body_camera": assignment.body_camera,
                "reason": assignment.body_camera_reason,
                "reference": assignment.body_camera_reference,
            },
        )
    return [a.unit.call_sign for a in live]
