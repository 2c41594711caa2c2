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


@register.simple_tag(takes_context=True)
def sort_link(context: dict, key: str, label: str) -> str:
    """A column header that sorts by ``key`` (again: reverses), keeping the filters."""
    from django.utils.html import format_html

    request = context["request"]
    params = request.GET.copy()
    params.pop("after", None)
    current, descending = context["sort"], context["descending"]
    params["sort"] = key
    params["dir"] = "asc" if current == key and descending else "desc"
    if current != key:
        params["dir"] = "desc" if key == "received" else "asc"
    arrow = (" ▼" if descending else " ▲") if current == key else ""
    sort = "descending" if descending else "ascending"
    aria = format_html(' aria-sort="{}"', sort) if current == key else ""
    return format_html('<a href="?{}"{}>{}{}</a>', params.urlencode(), aria, label, arrow)
