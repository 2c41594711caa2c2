"""The intake services: each step, its event, and every refusal."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from intake.models import Contact, Decision, Event
from intake.services import contacts, escalation
from intake.services.common import ServiceError
from tests.intake.flows import CALLER, LOCAL_WARRANT, REQUEST, decided, handed_over

pytestmark = pytest.mark.django_db


def actions(contact: Contact) -> list[str]:
    return list(Event.objects.filter(contact=contact).values_list("action", flat=True))


def test_references_are_human_and_gap_free(ct_user):
    year = timezone.localdate().year
    first = contacts.contact_create(actor=ct_user, channel="metrosafe_911")
    second = contacts.contact_create(actor=ct_user, channel="radio")
    assert first.reference == f"FA-{year}-00001"
    assert second.reference == f"FA-{year}-00002"


def test_each_step_appends_its_event(ct_user, co_user):
    contact = handed_over(ct_user, co_user)
    assert actions(contact) == [
        "contact.created",
        "contact.caller_recorded",
        "contact.request_recorded",
        "contact.co_notified",
        "contact.handed_over",
    ]
    event = Event.objects.get(contact=contact, action="contact.caller_recorded")
    assert event.actor == ct_user and event.actor_role == "call_taker"
    assert event.payload["changes"]["agency"] == ["", "ice_ero"]


def test_missing_answers_are_all_named_and_nothing_is_saved(ct_user):
    contact = contacts.contact_create(actor=ct_user, channel="metrosafe_911")
    with pytest.raises(ServiceError) as raised:
        contacts.contact_request_record(
            contact=contact,
            actor=ct_user,
            values={
                **REQUEST,
                "agent_words": "",
                "location": " ",
                **LOCAL_WARRANT,
                "warrant_number": "",
                "crime": "occurring",
                "public_danger": True,
            },
        )
    assert set(raised.value.errors) == {
        "agent_words",
        "location",
        "warrant_number",
        "crime_description",
        "public_danger_description",
    }
    contact.refresh_from_db()
    assert contact.request_recorded_at is None and contact.crime == "none"
    assert actions(contact) == ["contact.created"]


def test_call_takers_never_decide(ct_user, co_user):
    contact = handed_over(ct_user, co_user, **LOCAL_WARRANT)
    with pytest.raises(PermissionDenied):
        escalation.decision_record(contact=contact, actor=ct_user, level="full", assessment="x")
    assert not Decision.objects.exists()


def test_officers_only_record_direct_contacts(officer_user):
    with pytest.raises(ServiceError) as raised:
        contacts.contact_create(actor=officer_user, channel="metrosafe_911")
    assert raised.value.code == "officer_direct_only"


def test_commander_must_be_on_duty(ct_user, co_user):
    co_user.duty.on_duty = False
    co_user.duty.save()
    contact = contacts.contact_create(actor=ct_user, channel="metrosafe_911")
    with pytest.raises(ServiceError) as raised:
        contacts.contact_co_notify(contact=contact, actor=ct_user, commanding_officer=co_user)
    assert raised.value.code == "commander_off_duty"


def test_hand_over_needs_every_step(ct_user):
    contact = contacts.contact_create(actor=ct_user, channel="metrosafe_911")
    contacts.contact_caller_record(contact=contact, actor=ct_user, values=CALLER)
    with pytest.raises(ServiceError) as raised:
        contacts.contact_hand_over(contact=contact, actor=ct_user)
    assert "the request, a commanding officer" in str(raised.value)


def test_decision_keeps_its_snapshot(ct_user, co_user):
    contact = decided(ct_user, co_user, **LOCAL_WARRANT)
    decision = contact.decision
    assert decision.level == "full"
    assert decision.policy == "lmpd-2017-09-22"
    assert decision.facts["warrant"] == "local_criminal"
    assert decision.facts["co_decision"] == "full"
    assert decision.evaluation["permitted"] == "full"
    assert decision.evaluation["unmet"] == ["co_on_scene"]
    event = Event.objects.get(contact=contact, action="decision.recorded")
    assert event.payload["decision"] == decision.pk


def test_decision_above_permitted_is_refused_with_the_clause(ct_user, co_user):
    contact = handed_over(ct_user, co_user)  # door knock, no ground: nothing permitted
    with pytest.raises(ServiceError) as raised:
        escalation.decision_record(
            contact=contact, actor=co_user, level="backup_only", assessment="They asked nicely."
        )
    assert raised.value.code == "exceeds_policy"
    assert "P2" in str(raised.value) and "P5" in str(raised.value)
    assert raised.value.errors == {"level": str(raised.value)}
    assert not Decision.objects.exists()
    escalation.decision_record(
        contact=contact,
        actor=co_user,
        level="deny",
        assessment="Civil immigration matter only (P5, P6).",
    )
    assert Decision.objects.get().level == "deny"


def test_backup_only_is_the_most_for_a_dangerous_subject(ct_user, co_user):
    contact = handed_over(ct_user, co_user, subject_armed=True)
    with pytest.raises(ServiceError):
        escalation.decision_record(
            contact=contact, actor=co_user, level="full", assessment="Armed subject."
        )
    escalation.decision_record(
        contact=contact,
        actor=co_user,
        level="backup_only",
        assessment="Armed subject: perimeter only.",
    )


def test_second_decision_names_the_first(ct_user, co_user):
    contact = decided(ct_user, co_user, **LOCAL_WARRANT)
    with pytest.raises(ServiceError) as raised:
        escalation.decision_record(
            contact=contact, actor=co_user, level="deny", assessment="Changed my mind."
        )
    assert raised.value.code == "already_decided"
    assert "Already decided by" in str(raised.value)


def test_assessment_is_required(ct_user, co_user):
    contact = handed_over(ct_user, co_user, **LOCAL_WARRANT)
    with pytest.raises(ServiceError) as raised:
        escalation.decision_record(contact=contact, actor=co_user, level="full", assessment="  ")
    assert set(raised.value.errors) == {"assessment"}


def test_only_the_handling_commander_acts(ct_user, co_user):
    from dispatch.roles import Role
    from tests.conftest import make_user

    other = make_user("co2", Role.COMMANDING_OFFICER)
    contact = handed_over(ct_user, co_user, **LOCAL_WARRANT)
    with pytest.raises(ServiceError) as raised:
        escalation.contact_on_scene_mark(contact=contact, actor=other)
    assert raised.value.code == "not_your_contact"


def test_direct_contact_needs_supervisor_and_callback_first(officer_user):
    contact = contacts.contact_create(actor=officer_user, channel="direct_phone")
    with pytest.raises(ServiceError) as raised:
        contacts.contact_caller_record(contact=contact, actor=officer_user, values=CALLER)
    assert raised.value.code == "direct_contact_steps_first"
    escalation.contact_supervisor_record(
        contact=contact, actor=officer_user, supervisor_name="Sgt Ray"
    )
    escalation.contact_callback_record(contact=contact, actor=officer_user, recording_ref="REC-77")
    contacts.contact_caller_record(contact=contact, actor=officer_user, values=CALLER)


def test_officers_see_only_their_own_reports(officer_user):
    from dispatch.roles import Role
    from tests.conftest import make_user

    other = make_user("off2", Role.OFFICER)
    contact = contacts.contact_create(actor=officer_user, channel="direct_in_person")
    with pytest.raises(PermissionDenied):
        escalation.contact_supervisor_record(
            contact=contact, actor=other, supervisor_name="Sgt Ray"
        )


def test_officer_in_distress_flags_for_review(ct_user):
    contact = contacts.contact_create(actor=ct_user, channel="radio")
    contact = contacts.contact_officer_in_distress(contact=contact, actor=ct_user)
    assert contact.officer_in_distress and contact.flagged_for_review
    assert actions(contact)[-2:] == ["contact.officer_in_distress", "review.opened"]
    [review] = contact.reviews.all()
    assert review.opened_by is None and "P9" in review.note
    assert contact.permitted == "full"


def test_cancel_needs_a_reason_and_keeps_the_record(ct_user):
    contact = contacts.contact_create(actor=ct_user, channel="metrosafe_911")
    with pytest.raises(ServiceError):
        contacts.contact_cancel(contact=contact, actor=ct_user, reason="")
    contacts.contact_cancel(contact=contact, actor=ct_user, reason="Wrong number")
    contact.refresh_from_db()
    assert contact.status == "cancelled" and contact.cancel_reason == "Wrong number"
    with pytest.raises(ServiceError) as raised:
        contacts.contact_caller_record(contact=contact, actor=ct_user, values=CALLER)
    assert raised.value.code == "contact_not_open"


def test_closed_contacts_take_amendments_not_edits(ct_user, co_user):
    contact = handed_over(ct_user, co_user)
    contacts.contact_close(
        contact=contact,
        actor=co_user,
        outcome="no_police_action",
        narrative="Denied: civil matter.",
        body_cameras={},
    )
    with pytest.raises(ServiceError):
        contacts.contact_request_record(contact=contact, actor=ct_user, values=REQUEST)
    amendment = contacts.contact_amend(
        contact=contact,
        actor=co_user,
        field="narrative",
        value="Denied: civil immigration matter only.",
        reason="Clarity",
    )
    contact.refresh_from_db()
    assert contact.narrative == "Denied: civil matter."  # the original stays
    assert amendment.old_value == "Denied: civil matter."
    assert actions(contact)[-1] == "contact.amended"


def test_a_resent_new_contact_form_opens_one_contact(ct_user):
    import uuid

    key = uuid.uuid4()
    first = contacts.contact_create(actor=ct_user, channel="radio", submission_key=key)
    again = contacts.contact_create(actor=ct_user, channel="radio", submission_key=key)
    assert again.pk == first.pk
    assert Contact.objects.count() == 1


def test_the_same_decision_submitted_twice_is_recorded_once(ct_user, co_user):
    contact = decided(ct_user, co_user, **LOCAL_WARRANT)
    again = escalation.decision_record(
        contact=contact,
        actor=co_user,
        level="full",
        assessment="Local felony warrant verified with the court.",
    )
    assert again.pk == contact.decision.pk
    assert Event.objects.filter(action="decision.recorded").count() == 1
