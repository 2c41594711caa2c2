"""The guided flows: one short screen per mandated step, with the words the policy requires."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from intake.models import Contact


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    clauses: tuple[str, ...]
    say: str  # the exact words, or the action, the policy requires at this step
    done: Callable[[Contact], bool]


CALLER = Step(
    "caller",
    "Identify the caller",
    ("P11",),
    "Say: \u201cMetroSafe, this line is recorded. Your name, agency, badge or credential number, "
    "a callback number and your supervisor, please.\u201d Check identity by calling back on a "
    "known agency number or seeing a credential. Never ask about or record anyone\u2019s "
    "immigration status, citizenship or nationality (P1).",
    lambda c: c.caller_recorded_at is not None,
)
REQUEST = Step(
    "request",
    "Capture the request and the facts",
    ("P5", "P6", "P7", "P9"),
    "Ask: \u201cWhat are you asking police to do, where, and for how many people? Is there a "
    "criminal warrant, its number and court? Has a crime occurred or is one occurring? Is anyone "
    "in danger? Is the subject armed or violent?\u201d Write the agent\u2019s own words.",
    lambda c: c.request_recorded_at is not None,
)
NOTIFY = Step(
    "notify",
    "Notify a commanding officer",
    ("P2", "P3"),
    "Notify a commanding officer on duty now: \u201cA federal immigration authority is asking "
    "for assistance; it needs a commanding officer on a recorded line.\u201d You do not decide "
    "(P2).",
    lambda c: c.co_notified_at is not None,
)
HAND_OVER = Step(
    "handover",
    "Hand over",
    ("P2", "P3", "P8"),
    "Tell the agent: \u201cA commanding officer will call you back on a recorded line. No "
    "officers are sent until the commanding officer decides.\u201d",
    lambda c: c.handed_over_at is not None,
)
SUPERVISOR = Step(
    "supervisor",
    "Notify your supervisor",
    ("P4",),
    "Before any help: notify your sergeant or a commanding officer that a federal agent "
    "contacted you directly. Give no help until this and the recorded callback are done.",
    lambda c: c.supervisor_notified_at is not None,
)
CALLBACK = Step(
    "callback",
    "Call back on a recorded line",
    ("P3", "P4"),
    "Tell the agent: \u201cI will call you back on a recorded line.\u201d Call back through "
    "MetroSafe's recorded line and note the recording's reference.",
    lambda c: bool(c.callback_recording_ref),
)

CALL_TAKER_FLOW = (CALLER, REQUEST, NOTIFY, HAND_OVER)
DIRECT_CONTACT_FLOW = (SUPERVISOR, CALLBACK, CALLER, REQUEST, NOTIFY, HAND_OVER)


def flow_for(contact: Contact) -> tuple[Step, ...]:
    return DIRECT_CONTACT_FLOW if contact.is_direct else CALL_TAKER_FLOW


def next_step(contact: Contact) -> Step | None:
    """The first step not yet done, or None when the flow is complete."""
    return next((step for step in flow_for(contact) if not step.done(contact)), None)
