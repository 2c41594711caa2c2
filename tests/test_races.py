"""Races on the real PostgreSQL: concurrent requests on their own connections, released at once.

Each thread is a browser session (Django's test client) with its own database connection;
a barrier lets them go at the same moment, so the row locks are what decides the order.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections, transaction
from django.urls import reverse

from dispatch.models import Assignment, Unit
from dispatch.roles import Role
from intake.log import log_head, verify
from intake.models import Contact, Decision, Event
from intake.services import escalation
from tests.conftest import make_user, signed_in
from tests.intake.flows import LOCAL_WARRANT, decided, handed_over

pytestmark = pytest.mark.django_db(transaction=True)


def together(*actions: Callable[[], Any]) -> list[Any]:
    """Run each action in its own thread, all released at the same moment; their answers."""
    barrier = threading.Barrier(len(actions))
    answers: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            answers[index] = action()
        except Exception as exc:  # handed back: the test names it
            answers[index] = exc
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def ready_for_decision(ct, co) -> Contact:
    contact = handed_over(ct, co, **LOCAL_WARRANT)
    escalation.contact_acknowledge(contact=contact, actor=co)
    escalation.contact_callback_record(contact=contact, actor=co, recording_ref="REC-7")
    escalation.contact_supervisor_record(contact=contact, actor=co, supervisor_name="Sgt Ray")
    return contact


def test_two_commanders_deciding_at_once_record_exactly_one_decision(ct_user, co_user):
    other = make_user("co2", Role.COMMANDING_OFFICER)
    desk, mobile, colleague = signed_in(co_user), signed_in(co_user), signed_in(other)
    for round_ in range(4):  # several rounds, so both lock orders get their turn
        contact = ready_for_decision(ct_user, co_user)
        url = reverse("intake-decision-new", args=[contact.reference])
        typed = {
            desk: ("full", f"Desk assessment {round_}: felony warrant checked <ok>"),
            mobile: ("backup_only", f"Mobile assessment {round_}: only a perimeter"),
            colleague: ("deny", f"Colleague assessment {round_}: not ours"),
        }
        answers = together(
            *[
                lambda c=client, v=values, u=url: c.post(u, {"level": v[0], "assessment": v[1]})
                for client, values in typed.items()
            ]
        )
        assert Decision.objects.filter(contact=contact).count() == 1
        decision = Decision.objects.get(contact=contact)
        winners = [a for a in answers if a.status_code == 302]
        assert len(winners) == 1, [a.status_code for a in answers]
        assert decision.decided_by == co_user
        for (client, (_level, assessment)), answer in zip(typed.items(), answers, strict=True):
            if answer.status_code == 302:
                assert decision.assessment == assessment
                continue
            page = answer.content.decode()
            assert answer.status_code == 400
            said = re.search(r"Already decided by [^<]+ at \d\d:\d\d:\d\d", page) or (
                client is colleague and "handled by another commanding officer" in page
            )
            assert said, page
            # Their input is not lost: it is shown back to them.
            assert assessment.replace("<", "&lt;").replace(">", "&gt;") in page
        assert Event.objects.filter(contact=contact, action="decision.recorded").count() == 1


def test_two_dispatchers_assigning_one_unit_at_once_make_one_assignment(ct_user, co_user):
    unit = Unit.objects.create(call_sign="4-ADAM-12")
    contacts = []
    for _ in range(2):
        contact = decided(ct_user, co_user, **LOCAL_WARRANT)
        escalation.contact_on_scene_mark(contact=contact, actor=co_user)
        contacts.append(contact)
    # A call-taker and the commander both work the dispatch page.
    dispatchers = [signed_in(ct_user), signed_in(co_user)]
    answers = together(
        *[
            lambda c=client, k=contact: c.post(
                reverse("dispatch-contact-units", args=[k.reference]), {"unit": unit.pk}
            )
            for client, contact in zip(dispatchers, contacts, strict=True)
        ]
    )
    assert Assignment.objects.filter(unit=unit).count() == 1
    assert sorted(a.status_code for a in answers) == [200, 302]
    assignment = Assignment.objects.get(unit=unit)
    loser = next(a for a in answers if a.status_code == 200).content.decode()
    assert f"4-ADAM-12 is assigned to {assignment.contact.reference}" in loser
    assert Event.objects.filter(action="assignment.created").count() == 1


def test_the_same_new_contact_form_sent_four_times_at_once_opens_one_contact(ct_user):
    key = str(uuid.uuid4())
    client = signed_in(ct_user)
    url = reverse("intake-contact-new")
    answers = together(
        *[
            lambda: client.post(url, {"channel": "metrosafe_911", "submission_key": key})
            for _ in range(4)
        ]
    )
    assert Contact.objects.count() == 1
    contact = Contact.objects.get()
    # Every answer points to the one contact the first submission opened.
    assert {a.status_code for a in answers} == {302}
    assert {a["Location"] for a in answers} == {
        reverse("intake-contact-step", args=[contact.reference, "caller"])
    }
    assert Event.objects.filter(action="contact.created").count() == 1


def test_a_resent_decision_is_recorded_once_and_both_answers_show_it(ct_user, co_user):
    contact = ready_for_decision(ct_user, co_user)
    client = signed_in(co_user)
    url = reverse("intake-decision-new", args=[contact.reference])
    form = {"level": "full", "assessment": "Felony warrant verified."}
    answers = together(lambda: client.post(url, form), lambda: client.post(url, form))
    assert [a.status_code for a in answers] == [302, 302]
    assert Decision.objects.filter(contact=contact).count() == 1
    assert Event.objects.filter(contact=contact, action="decision.recorded").count() == 1


def test_many_writers_at_once_leave_one_unbroken_chain(ct_user, co_user):
    call_takers = [make_user(f"ct-race-{n}", Role.CALL_TAKER) for n in range(12)]
    before, _ = log_head()

    def work(user) -> list[int]:
        client = signed_in(user)
        return [
            client.post(
                reverse("intake-contact-new"),
                {"channel": "metrosafe_911", "submission_key": str(uuid.uuid4())},
            ).status_code
            for _ in range(4)
        ]

    answers = together(*[lambda u=user: work(u) for user in call_takers])
    assert answers == [[302] * 4] * 12
    head = log_head()
    assert head[0] == before + 48 + 12  # 48 contacts opened, 12 sign-ins
    assert Event.objects.filter(action="contact.created").count() == 48
    ids = list(Event.objects.order_by("id").values_list("id", flat=True))
    assert ids == list(range(1, head[0] + 1)), "numbered without gaps"
    assert len(set(Contact.objects.values_list("reference", flat=True))) == 48
    with transaction.atomic():  # the chain is read through a server-side cursor
        result = verify(head=head)
    assert result.ok, result.problem
