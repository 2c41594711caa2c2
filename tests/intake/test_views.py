"""The intake pages through the test client: the flow, errors shown by field, every refusal."""

from __future__ import annotations

import re

import pytest

from dispatch.models import Unit
from dispatch.roles import Role
from intake.models import Contact, Decision, Event
from tests.conftest import make_user, signed_in
from tests.intake.flows import CALLER, LOCAL_WARRANT, REQUEST, decided, handed_over

pytestmark = pytest.mark.django_db


def form_key(page: str) -> str:
    match = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def as_post(values: dict) -> dict:
    """Form encoding: unchecked boxes are absent."""
    return {k: v for k, v in values.items() if v is not False}


def test_call_taker_walks_the_guided_flow(call_taker, co_user):
    page = call_taker.get("/intake/new/").content.decode()
    response = call_taker.post(
        "/intake/new/", {"channel": "metrosafe_911", "submission_key": form_key(page)}
    )
    contact = Contact.objects.get()
    assert response["Location"] == f"/intake/{contact.reference}/step/caller/"
    step = call_taker.get(response["Location"]).content.decode()
    assert "this line is recorded" in step and "immigration status" in step
    assert 'data-clock-since="' in step and "Officer in distress" in step

    response = call_taker.post(f"/intake/{contact.reference}/step/caller/", CALLER)
    assert response["Location"].endswith("/step/request/")
    response = call_taker.post(
        f"/intake/{contact.reference}/step/request/", as_post({**REQUEST, **LOCAL_WARRANT})
    )
    assert response["Location"].endswith("/step/notify/")
    notify = call_taker.get(response["Location"]).content.decode()
    assert "Commanding officer on duty" in notify and co_user.get_full_name() in notify
    response = call_taker.post(
        f"/intake/{contact.reference}/step/notify/", {"commanding_officer": co_user.pk}
    )
    assert response["Location"].endswith("/step/handover/")
    response = call_taker.post(f"/intake/{contact.reference}/step/handover/", {"told": "on"})
    assert response["Location"] == f"/intake/{contact.reference}/"
    contact.refresh_from_db()
    assert contact.handed_over_at is not None and contact.commanding_officer == co_user
    detail = call_taker.get(response["Location"]).content.decode()
    assert "Handed over to the commanding officer" in detail


def test_a_double_submitted_new_contact_opens_one(call_taker):
    key = form_key(call_taker.get("/intake/new/").content.decode())
    first = call_taker.post("/intake/new/", {"channel": "radio", "submission_key": key})
    second = call_taker.post("/intake/new/", {"channel": "radio", "submission_key": key})
    assert Contact.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_step_errors_are_named_next_to_each_field_and_nothing_saved(call_taker, ct_user):
    from intake.services.contacts import contact_create

    contact = contact_create(actor=ct_user, channel="metrosafe_911")
    response = call_taker.post(
        f"/intake/{contact.reference}/step/request/",
        as_post(
            {
                **REQUEST,
                "agent_words": "",
                "location": "",
                "warrant": "local_criminal",
                "people_targeted": "-4",
            }
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    for field in ("agent_words", "people_targeted"):
        assert f'id="error_1_id_{field}"' in page, field
    # the business rules run once the form itself is valid
    response = call_taker.post(
        f"/intake/{contact.reference}/step/request/",
        as_post({**REQUEST, "agent_words": "", "location": "", "warrant": "local_criminal"}),
    )
    page = response.content.decode()
    for field in ("agent_words", "location", "warrant_number", "warrant_court"):
        assert f'id="error_1_id_{field}"' in page, field
    assert "Local criminal warrant" in page  # the input is kept
    contact.refresh_from_db()
    assert contact.request_recorded_at is None


def test_live_evaluation_previews_unsaved_facts(call_taker, ct_user):
    from intake.services.contacts import contact_create

    contact = contact_create(actor=ct_user, channel="metrosafe_911")
    response = call_taker.post(
        f"/intake/{contact.reference}/evaluate/",
        as_post({**REQUEST, "subject_armed": "on"}),
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "Backup only: perimeter / observe" in page and "P7" in page
    assert "preview, not saved" in page
    contact.refresh_from_db()
    assert contact.subject_armed is False


def test_commander_decides_and_a_decision_above_policy_is_refused(
    ct_user, co_user, commanding_officer
):
    contact = handed_over(ct_user, co_user)  # door knock, no ground
    screen = commanding_officer.get(f"/commander/{contact.reference}/").content.decode()
    assert "No officers may be sent on these facts." in screen and "P5" in screen
    response = commanding_officer.post(
        f"/commander/{contact.reference}/decide/", {"level": "full", "assessment": "Please help."}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "P2: you may not decide more than policy permits" in page
    assert "Please help." in page  # what the commander typed is shown back
    assert not Decision.objects.exists()
    response = commanding_officer.post(
        f"/commander/{contact.reference}/decide/",
        {"level": "deny", "assessment": "Civil matter (P5)."},
    )
    assert response.status_code == 302
    assert Decision.objects.get().level == "deny"


def test_assessment_is_required_on_the_decision_screen(ct_user, co_user, commanding_officer):
    contact = handed_over(ct_user, co_user, **LOCAL_WARRANT)
    response = commanding_officer.post(
        f"/commander/{contact.reference}/decide/", {"level": "full", "assessment": ""}
    )
    assert response.status_code == 400
    assert 'id="error_1_id_assessment"' in response.content.decode()


def test_gate_page_refuses_then_allows(ct_user, co_user, call_taker, commanding_officer):
    unit = Unit.objects.create(call_sign="2B21")
    contact = decided(ct_user, co_user, **LOCAL_WARRANT)
    response = call_taker.post(f"/dispatch/{contact.reference}/", {"unit": unit.pk})
    assert response.status_code == 409
    page = response.content.decode()
    assert "2B21 was not assigned" in page and "P8: A commanding officer must be on scene" in page
    assert Event.objects.filter(action="assignment.refused").count() == 1
    commanding_officer.post(f"/commander/{contact.reference}/on-scene/")
    response = call_taker.post(f"/dispatch/{contact.reference}/", {"unit": unit.pk})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.status == "assigned"


def test_backup_only_is_labelled_everywhere(ct_user, co_user, commanding_officer):
    unit = Unit.objects.create(call_sign="4C31")
    contact = decided(ct_user, co_user, level="backup_only", subject_armed=True)
    commanding_officer.post(f"/commander/{contact.reference}/on-scene/")
    commanding_officer.post(f"/dispatch/{contact.reference}/", {"unit": unit.pk})
    for url in (f"/dispatch/{contact.reference}/", f"/intake/{contact.reference}/"):
        assert "Perimeter / observe only" in commanding_officer.get(url).content.decode()


def test_officer_in_distress_button_goes_straight_to_dispatch(call_taker):
    key = form_key(call_taker.get("/intake/new/").content.decode())
    response = call_taker.post(
        "/intake/distress/", {"channel": "metrosafe_911", "submission_key": key}
    )
    contact = Contact.objects.get()
    assert response["Location"] == f"/dispatch/{contact.reference}/"
    assert contact.officer_in_distress and contact.flagged_for_review
    page = call_taker.get(response["Location"]).content.decode()
    assert "Units may be assigned now." in page


def test_officer_direct_contact_starts_with_supervisor_and_callback(officer):
    key = form_key(officer.get("/officer/direct/new/").content.decode())
    response = officer.post(
        "/officer/direct/new/", {"channel": "direct_phone", "submission_key": key}
    )
    contact = Contact.objects.get()
    assert response["Location"].endswith("/step/supervisor/")
    response = officer.post(f"/intake/{contact.reference}/step/caller/", CALLER)
    assert "P4: notify a supervisor" in response.content.decode()
    officer.post(f"/intake/{contact.reference}/step/supervisor/", {"supervisor_name": "Sgt Ray"})
    response = officer.post(
        f"/intake/{contact.reference}/step/callback/", {"recording_ref": "REC-5"}
    )
    assert response["Location"].endswith("/step/caller/")


def test_officers_see_only_their_own_reports(officer, officer_user):
    from intake.services.contacts import contact_create

    other = make_user("off2", Role.OFFICER)
    mine = contact_create(actor=officer_user, channel="direct_phone")
    theirs = contact_create(actor=other, channel="direct_phone")
    assert officer.get(f"/intake/{mine.reference}/").status_code == 200
    assert officer.get(f"/intake/{theirs.reference}/").status_code == 403
    assert theirs.reference not in officer.get("/officer/").content.decode()


def test_nobody_edits_a_closed_contact(ct_user, co_user, call_taker):
    contact = handed_over(ct_user, co_user)
    call_taker.post(
        f"/intake/{contact.reference}/close/",
        {"outcome": "no_police_action", "narrative": "Denied."},
    )
    contact.refresh_from_db()
    assert contact.status == "closed"
    response = call_taker.post(
        f"/intake/{contact.reference}/step/caller/", {**CALLER, "agent_name": "Someone else"}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.agent_name == "Dana Agent"


def test_contact_page_shows_the_whole_timeline(ct_user, co_user, auditor):
    contact = decided(ct_user, co_user, **LOCAL_WARRANT)
    page = auditor.get(f"/intake/{contact.reference}/").content.decode()
    for words in (
        "Contact opened",
        "Caller identified",
        "Commanding officer notified",
        "Recorded-line callback logged",
        "Decision recorded",
    ):
        assert words in page
    assert "Cancel" not in page and "Dispatch units" not in page  # auditors are read-only


# Every intake and dispatch page, and the roles allowed on it. Others get 403.
def pages(reference: str) -> list[tuple[str, str, set[Role]]]:
    ct, co, off, aud = (Role.CALL_TAKER, Role.COMMANDING_OFFICER, Role.OFFICER, Role.AUDITOR)
    return [
        ("get", "/intake/new/", {ct}),
        ("get", "/officer/direct/new/", {off}),
        ("post", "/intake/distress/", {ct}),
        ("get", f"/intake/{reference}/", {ct, co, aud}),
        ("get", f"/intake/{reference}/step/caller/", {ct}),
        ("post", f"/intake/{reference}/evaluate/", {ct, co}),
        ("get", f"/intake/{reference}/evaluation/", {ct, co, aud}),
        ("post", f"/intake/{reference}/distress/", {ct, co}),
        ("get", f"/intake/{reference}/cancel/", {ct, co}),
        ("get", f"/intake/{reference}/close/", {ct, co}),
        ("get", f"/intake/{reference}/amend/", {ct, co}),
        ("get", "/commander/", {co}),
        ("post", "/commander/duty/", {co}),
        ("get", f"/commander/{reference}/", {co}),
        ("post", f"/commander/{reference}/acknowledge/", {co}),
        ("post", f"/commander/{reference}/callback/", {co}),
        ("post", f"/commander/{reference}/supervisor/", {co}),
        ("post", f"/commander/{reference}/decide/", {co}),
        ("post", f"/commander/{reference}/on-scene/", {co}),
        ("get", f"/dispatch/{reference}/", {ct, co}),
        ("post", f"/dispatch/{reference}/", {ct, co}),
    ]


def test_every_page_refuses_the_wrong_roles(ct_user, co_user, personas):
    # The contact was entered by a call-taker, so the officer persona is refused it too.
    contact = handed_over(ct_user, co_user)
    for method, url, allowed in pages(contact.reference):
        for role, client in personas.items():
            response = getattr(client, method)(url)
            if role in allowed:
                assert response.status_code != 403, (url, role)
            else:
                assert response.status_code == 403, (url, role, response.status_code)


def test_anonymous_visitors_are_sent_to_sign_in(ct_user, co_user, client):
    contact = handed_over(ct_user, co_user)
    for method, url, _allowed in pages(contact.reference):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/"
        ), url


def test_commander_home_shows_the_queue_oldest_first_with_overdue(
    ct_user, co_user, commanding_officer, settings
):
    from datetime import timedelta

    from django.utils import timezone

    old = handed_over(ct_user, co_user)
    Contact.objects.filter(pk=old.pk).update(co_notified_at=timezone.now() - timedelta(minutes=5))
    new = handed_over(ct_user, co_user)
    page = commanding_officer.get("/commander/").content.decode()
    assert page.index(old.reference) < page.index(new.reference)
    assert page.count("not acknowledged") == 1
    settings.CO_DECISION_MINUTES = 3
    assert "no decision" in commanding_officer.get("/commander/").content.decode()


def test_commander_goes_on_and_off_duty(commanding_officer, co_user):
    commanding_officer.post("/commander/duty/", {"on_duty": "false"})
    co_user.duty.refresh_from_db()
    assert co_user.duty.on_duty is False
    assert signed_in(co_user).get("/commander/").status_code == 200
