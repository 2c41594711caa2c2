"""Plain words for codes: timeline actions, levels, prerequisites."""

from __future__ import annotations

from django import template

register = template.Library()

EVENT_WORDS = {
    "contact.created": "Contact opened",
    "contact.caller_recorded": "Caller identified",
    "contact.request_recorded": "Request and facts recorded",
    "contact.co_notified": "Commanding officer notified",
    "contact.handed_over": "Handed over to the commanding officer",
    "contact.co_acknowledged": "Commanding officer acknowledged",
    "contact.callback_recorded": "Recorded-line callback logged",
    "contact.supervisor_notified": "Supervisor notified",
    "contact.officer_in_distress": "OFFICER IN DISTRESS: flagged for review",
    "contact.co_on_scene": "Commanding officer on scene",
    "contact.cancelled": "Contact cancelled",
    "contact.closed": "Contact closed",
    "contact.amended": "Correction appended",
    "decision.recorded": "Decision recorded",
    "assignment.created": "Unit assigned",
    "assignment.refused": "Assignment REFUSED by the dispatch gate",
    "assignment.released": "Unit released",
    "commander.duty_changed": "Duty changed",
}
LEVEL_WORDS = {
    "none": "No help",
    "deny": "Denied",
    "backup_only": "Backup only: perimeter / observe",
    "full": "Full assistance",
}
PREREQUISITE_WORDS = {
    "co_decision": "a commanding officer's decision (P2)",
    "recorded_line_callback": "the recorded-line callback (P3)",
    "supervisor_notified": "a supervisor notified (P4, P10)",
    "co_on_scene": "the commanding officer on scene (P8)",
}


@register.filter
def event_label(action: str) -> str:
    return EVENT_WORDS.get(action, action)


@register.filter
def level_label(level: object) -> str:
    return LEVEL_WORDS.get(str(level), str(level))


@register.filter
def prerequisite_label(code: object) -> str:
    return PREREQUISITE_WORDS.get(str(code), str(code))
