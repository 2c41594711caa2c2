"""Demo contacts in every state, made through the real services so each has its timeline."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User

from dispatch.models import Unit
from dispatch.services import unit_assign
from intake.models import Contact
from intake.services import contacts, escalation

CALLER = {
    "agency": "ice_ero",
    "agent_name": "Dana Whitfield",
    "agent_badge": "ERO-4471",
    "agent_callback_number": "502-555-0100",
    "agent_supervisor": "SDDO Marcus Lee",
    "identity_check": "callback_known_number",
}
BASE_REQUEST = {
    "request_type": "other",
    "agent_words": "",
    "location": "",
    "people_targeted": 1,
    "subject_name": "",
    "warrant": "none",
    "warrant_number": "",
    "warrant_court": "",
    "crime": "none",
    "crime_description": "",
    "public_danger": False,
    "public_danger_description": "",
    "subject_violent_history": False,
    "subject_armed": False,
    "subject_danger_to_agents": False,
}


def _request(**values: object) -> dict[str, object]:
    return {**BASE_REQUEST, **values}


def _age(contact: Contact, minutes: int) -> None:
    """Move a demo contact back in time, so queues and clocks have something to show."""
    shift = timedelta(minutes=minutes)
    fields = [
        "received_at",
        "caller_recorded_at",
        "request_recorded_at",
        "co_notified_at",
        "co_acknowledged_at",
        "handed_over_at",
        "callback_at",
        "supervisor_notified_at",
        "co_on_scene_at",
        "officer_in_distress_at",
        "closed_at",
    ]
    contact.refresh_from_db()
    for name in fields:
        value = getattr(contact, name)
        if value is not None:
            setattr(contact, name, value - shift)
    # The log is append-only: its entries keep the time they were really written.
    contact.save(update_fields=fields)


def _handed_over(ct: User, co: User, **request: object) -> Contact:
    contact = contacts.contact_create(actor=ct, channel="metrosafe_911")
    contacts.contact_caller_record(contact=contact, actor=ct, values=CALLER)
    contacts.contact_request_record(contact=contact, actor=ct, values=_request(**request))
    contacts.contact_co_notify(contact=contact, actor=ct, commanding_officer=co)
    return contacts.contact_hand_over(contact=contact, actor=ct)


def seed_contacts(*, calltaker: User, commander: User, officer: User) -> int:
    """Create the demo contacts once; returns how many were created (0 when already there)."""
    if Contact.objects.exists():
        return 0
    units = {unit.call_sign: unit for unit in Unit.objects.all()}

    # 1. Being recorded right now: only the caller is identified.
    started = contacts.contact_create(actor=calltaker, channel="metrosafe_non_emergency")
    contacts.contact_caller_record(
        contact=started,
        actor=calltaker,
        values={
            **CALLER,
            "agency": "cbp",
            "agent_name": "R. Ortiz",
            "identity_check": "not_verified",
        },
    )

    # 2. Waiting for the commander, overdue: a door knock on an administrative warrant.
    waiting = _handed_over(
        calltaker,
        commander,
        request_type="door_knock",
        agent_words="Need a uniform to knock at 4410 Bardstown Rd so the subject opens the door.",
        location="4410 Bardstown Rd",
        warrant="administrative_immigration",
        warrant_number="I-205 (no number given)",
        warrant_court="DHS (administrative)",
    )
    _age(waiting, 9)

    # 3. Decided full on a local criminal warrant; the commander is not on scene yet.
    decided = _handed_over(
        calltaker,
        commander,
        request_type="arrest_backup",
        agent_words="Subject has a Jefferson County felony assault warrant; "
        "we are at the address now.",
        location="1200 S 4th St",
        warrant="local_criminal",
        warrant_number="24-F-01187",
        warrant_court="Jefferson Circuit Court",
    )
    escalation.contact_acknowledge(contact=decided, actor=commander)
    escalation.contact_callback_record(
        contact=decided, actor=commander, recording_ref="REC-2026-1187"
    )
    escalation.contact_supervisor_record(
        contact=decided, actor=commander, supervisor_name="Sgt. K. Moore"
    )
    escalation.decision_record(
        contact=decided,
        actor=commander,
        level="full",
        assessment="Warrant verified with the clerk (G1). Supervisor "
        "notified (P10). I will be on scene first.",
    )
    _age(decided, 4)

    # 4. Backup only: an armed subject, no ground; perimeter unit assigned.
    backup = _handed_over(
        calltaker,
        commander,
        request_type="arrest_backup",
        agent_words="Target is known to carry a handgun; we want a perimeter.",
        location="3100 Preston Hwy",
        subject_armed=True,
        warrant="criminal_immigration",
        warrant_number="3:26-mj-0042",
        warrant_court="W.D. Ky. (8 U.S.C. 1326)",
    )
    escalation.contact_acknowledge(contact=backup, actor=commander)
    escalation.contact_callback_record(
        contact=backup, actor=commander, recording_ref="REC-2026-1190"
    )
    escalation.decision_record(
        contact=backup,
        actor=commander,
        level="backup_only",
        assessment="Armed subject, no ground under P5: perimeter and observe only (P7).",
    )
    escalation.contact_on_scene_mark(contact=backup, actor=commander)
    if "4C31" in units:
        unit_assign(contact=backup, unit=units["4C31"], actor=commander)
    _age(backup, 25)

    # 5. Denied and closed: a civil door knock.
    denied = _handed_over(
        calltaker,
        commander,
        request_type="door_knock",
        agent_words="Can an officer knock so the family opens up?",
        location="800 Camden Ave",
    )
    escalation.contact_callback_record(
        contact=denied, actor=commander, recording_ref="REC-2026-1150"
    )
    escalation.decision_record(
        contact=denied,
        actor=commander,
        level="deny",
        assessment="Civil immigration matter only: no ground (P5), door knocks are refused (P6).",
    )
    contacts.contact_close(
        contact=denied,
        actor=commander,
        outcome="no_police_action",
        narrative="Agent told no officers would be sent. No police action.",
        body_cameras={},
    )
    contacts.contact_amend(
        contact=denied,
        actor=commander,
        field="narrative",
        value="Agent told on the recorded line that no officers would be "
        "sent (P5, P6). No police action.",
        reason="Cite the clauses in the narrative.",
    )
    _age(denied, 60 * 26)

    # 6. Officer in distress: units went at once, flagged for review.
    distress = contacts.contact_create(actor=calltaker, channel="radio", officer_in_distress=True)
    if "6D41" in units:
        unit_assign(contact=distress, unit=units["6D41"], actor=calltaker)
    _age(distress, 2)

    # 7. An officer contacted directly, supervisor and recorded callback done.
    direct = contacts.contact_create(actor=officer, channel="direct_phone")
    escalation.contact_supervisor_record(
        contact=direct, actor=officer, supervisor_name="Sgt. K. Moore"
    )
    escalation.contact_callback_record(contact=direct, actor=officer, recording_ref="REC-2026-1201")
    contacts.contact_caller_record(
        contact=direct,
        actor=officer,
        values={
            **CALLER,
            "agency": "ice_hsi",
            "agent_name": "T. Grant",
            "identity_check": "credential_seen",
        },
    )
    _age(direct, 30)

    # 8. Cancelled: a wrong number.
    cancelled = contacts.contact_create(actor=calltaker, channel="metrosafe_911")
    contacts.contact_cancel(
        contact=cancelled, actor=calltaker, reason="Caller was not a federal agency (wrong number)."
    )
    _age(cancelled, 60 * 50)
    return Contact.objects.count()
