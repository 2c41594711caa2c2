"""The dispatch gate: each clause's effect, every refusal recorded, one unit one contact."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from dispatch.models import Assignment, Unit
from dispatch.services import DispatchRefused, unit_assign
from intake.models import Event
from intake.services import contacts, escalation
from intake.services.common import ServiceError
from tests.intake.flows import LOCAL_WARRANT, decided, handed_over

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(db) -> Unit:
    return Unit.objects.create(call_sign="1A11")


def refusals(contact):
    return list(Event.objects.filter(contact=contact, action="assignment.refused"))


def test_refused_before_the_commander_is_on_scene_then_allowed(ct_user, co_user, unit):
    contact = decided(ct_user, co_user, **LOCAL_WARRANT)
    with pytest.raises(DispatchRefused) as raised:
        unit_assign(contact=contact, unit=unit, actor=ct_user)
    assert raised.value.unmet == ("co_on_scene",)
    assert any(reason.startswith("P8:") for reason in raised.value.reasons)
    [refusal] = refusals(contact)  # the refusal survived the failed action
    assert refusal.payload["unmet"] == ["co_on_scene"] and refusal.payload["unit"] == "1A11"
    assert not Assignment.objects.exists()

    escalation.contact_on_scene_mark(contact=contact, actor=co_user)
    assignment = unit_assign(contact=contact, unit=unit, actor=ct_user)
    assert assignment.level == "full"
    unit.refresh_from_db()
    assert unit.status == "assigned"
    assert Event.objects.filter(contact=contact, action="assignment.created").count() == 1


def test_nothing_permitted_names_the_grounds_clause(ct_user, co_user, unit):
    contact = handed_over(ct_user, co_user)  # a door knock on no ground
    with pytest.raises(DispatchRefused) as raised:
        unit_assign(contact=contact, unit=unit, actor=ct_user)
    assert any(r.startswith("P5:") for r in raised.value.reasons)
    assert any(r.startswith("P6:") for r in raised.value.reasons)


@pytest.mark.parametrize(
    ("missing", "unmet"),
    [
        ("callback", "recorded_line_callback"),
        ("supervisor", "supervisor_notified"),
        ("decision", "co_decision"),
    ],
)
def test_each_prerequisite_blocks_the_gate(ct_user, co_user, unit, missing, unmet):
    contact = handed_over(ct_user, co_user, **LOCAL_WARRANT)
    escalation.contact_acknowledge(contact=contact, actor=co_user)
    if missing != "callback":
        escalation.contact_callback_record(contact=contact, actor=co_user, recording_ref="R")
    if missing != "supervisor":
        escalation.contact_supervisor_record(
            contact=contact, actor=co_user, supervisor_name="Sgt Ray"
        )
    if missing != "decision":
        escalation.decision_record(
            contact=contact, actor=co_user, level="full", assessment="Verified warrant."
        )
    escalation.contact_on_scene_mark(contact=contact, actor=co_user)
    with pytest.raises(DispatchRefused) as raised:
        unit_assign(contact=contact, unit=unit, actor=ct_user)
    assert raised.value.unmet == (unmet,)


def test_denied_contact_is_never_dispatched(ct_user, co_user, unit):
    contact = decided(ct_user, co_user, level="deny", **LOCAL_WARRANT)
    escalation.contact_on_scene_mark(contact=contact, actor=co_user)
    with pytest.raises(DispatchRefused) as raised:
        unit_assign(contact=contact, unit=unit, actor=ct_user)
    assert raised.value.unmet == ("co_decision",)


def test_backup_only_assignments_are_labelled_perimeter_observe(ct_user, co_user, unit):
    contact = decided(ct_user, co_user, level="backup_only", subject_violent_history=True)
    escalation.contact_on_scene_mark(contact=contact, actor=co_user)
    assignment = unit_assign(contact=contact, unit=unit, actor=co_user)
    assert assignment.level == "backup_only"
    assert assignment.get_level_display() == "Perimeter / observe only"


def test_officer_in_distress_opens_the_gate_at_once(ct_user, unit):
    contact = contacts.contact_create(actor=ct_user, channel="radio", officer_in_distress=True)
    assignment = unit_assign(contact=contact, unit=unit, actor=ct_user)
    assert assignment.level == "full"
    contact.refresh_from_db()
    assert contact.flagged_for_review


def test_a_unit_cannot_be_assigned_twice(ct_user, unit):
    first = contacts.contact_create(actor=ct_user, channel="radio", officer_in_distress=True)
    second = contacts.contact_create(actor=ct_user, channel="radio", officer_in_distress=True)
    unit_assign(contact=first, unit=unit, actor=ct_user)
    with pytest.raises(ServiceError) as raised:
        unit_assign(contact=second, unit=unit, actor=ct_user)
    assert raised.value.code == "unit_unavailable"
    assert first.reference in str(raised.value)
    assert Assignment.objects.count() == 1


def test_database_refuses_a_second_live_assignment(ct_user, unit):
    from django.db import IntegrityError, transaction

    first = contacts.contact_create(actor=ct_user, channel="radio", officer_in_distress=True)
    Assignment.objects.create(unit=unit, contact=first, level="full", assigned_by=ct_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(unit=unit, contact=first, level="full", assigned_by=ct_user)


@pytest.mark.parametrize("who", ["officer_user", "auditor_user", "admin_account"])
def test_only_call_takers_and_commanders_dispatch(request, ct_user, unit, who):
    contact = contacts.contact_create(actor=ct_user, channel="radio", officer_in_distress=True)
    with pytest.raises(PermissionDenied):
        unit_assign(contact=contact, unit=unit, actor=request.getfixturevalue(who))


def test_close_releases_units_with_a_body_camera_record_each(ct_user, unit):
    contact = contacts.contact_create(actor=ct_user, channel="radio", officer_in_distress=True)
    assignment = unit_assign(contact=contact, unit=unit, actor=ct_user)
    with pytest.raises(ServiceError) as raised:
        contacts.contact_close(
            contact=contact,
            actor=ct_user,
            outcome="other",
            narrative="Officer safe.",
            body_cameras={assignment.pk: {"body_camera": "no"}},
        )
    assert f"camera_{assignment.pk}" in raised.value.errors
    contacts.contact_close(
        contact=contact,
        actor=ct_user,
        outcome="other",
        narrative="Officer safe.",
        body_cameras={assignment.pk: {"body_camera": "yes", "reference": "BWC-9"}},
    )
    unit.refresh_from_db()
    assignment.refresh_from_db()
    assert unit.status == "available" and assignment.released_at is not None
    assert assignment.body_camera_reference == "BWC-9"


def test_the_same_assignment_submitted_twice_makes_one(ct_user, unit):
    contact = contacts.contact_create(actor=ct_user, channel="radio", officer_in_distress=True)
    first = unit_assign(contact=contact, unit=unit, actor=ct_user)
    assert unit_assign(contact=contact, unit=unit, actor=ct_user) == first
    assert Assignment.objects.count() == 1
