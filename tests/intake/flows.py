"""Walking a contact through its steps with the real services, for tests that start later on."""

from __future__ import annotations

from typing import Any

from intake.models import Contact
from intake.services import contacts, escalation

CALLER = {
    "agency": "ice_ero",
    "agent_name": "Dana Agent",
    "agent_badge": "ERO-4471",
    "agent_callback_number": "502-555-0100",
    "agent_supervisor": "SDDO Lee",
    "identity_check": "callback_known_number",
}
REQUEST = {
    "request_type": "door_knock",
    "agent_words": "We need officers to knock on the door at 12 Elm St.",
    "location": "12 Elm St, Louisville",
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
LOCAL_WARRANT = {
    "warrant": "local_criminal",
    "warrant_number": "22-F-0042",
    "warrant_court": "Jefferson Circuit Court",
}


def handed_over(ct, co, channel: str = "metrosafe_911", **request: Any) -> Contact:
    """A contact recorded by a call-taker and handed to ``co``."""
    contact = contacts.contact_create(actor=ct, channel=channel)
    contact = contacts.contact_caller_record(contact=contact, actor=ct, values=CALLER)
    contact = contacts.contact_request_record(
        contact=contact, actor=ct, values={**REQUEST, **request}
    )
    contact = contacts.contact_co_notify(contact=contact, actor=ct, commanding_officer=co)
    return contacts.contact_hand_over(contact=contact, actor=ct)


def decided(ct, co, level: str = "full", **request: Any) -> Contact:
    """Handed over, acknowledged, called back on a recorded line, supervisor told, decided."""
    contact = handed_over(ct, co, **request)
    escalation.contact_acknowledge(contact=contact, actor=co)
    escalation.contact_callback_record(contact=contact, actor=co, recording_ref="REC-1")
    escalation.contact_supervisor_record(contact=contact, actor=co, supervisor_name="Sgt Ray")
    escalation.decision_record(
        contact=contact,
        actor=co,
        level=level,
        assessment="Local felony warrant verified with the court.",
    )
    contact.refresh_from_db()
    return contact
