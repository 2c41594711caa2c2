"""After the run: is every acknowledged submission in the database and in the contact log?"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from benchmarks.load.client import Submission

# Contact columns read for the checks, each "set" when not null / not empty.
COLUMNS = (
    "officer_in_distress",
    "caller_recorded_at",
    "request_recorded_at",
    "co_notified_at",
    "commanding_officer_id",
    "handed_over_at",
    "co_acknowledged_at",
    "callback_recording_ref",
    "supervisor_name",
    "co_on_scene_at",
    "status",
    "outcome",
)
# Actions that write a log entry every time they are acknowledged (not idempotent no-ops):
# these are checked by count, the others by presence.
COUNTED = {"assignment.refused", "auth.signed_in"}


@dataclass
class Stored:
    """What the database holds for the run's contacts."""

    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    decisions: dict[int, str] = field(default_factory=dict)
    assignments: dict[int, dict[str, bool]] = field(default_factory=dict)  # sign -> released
    events: dict[int, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)
    sign_ins: Counter[str] = field(default_factory=Counter)

    def logged(self, contact_id: int, action: str, **payload: Any) -> int:
        """How many log entries of ``action`` this contact has, with these payload values."""
        return sum(
            1
            for logged_action, data in self.events.get(contact_id, [])
            if logged_action == action and all(data.get(k) == v for k, v in payload.items())
        )


def read(database_url: str, references: Iterable[str]) -> Stored:
    import psycopg

    stored = Stored()
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            f"SELECT id, reference, {', '.join(COLUMNS)} FROM intake_contact"
            " WHERE reference = ANY(%s)",
            [sorted(set(references))],
        ).fetchall()
        for contact_id, reference, *values in rows:
            stored.contacts[reference] = {
                "id": contact_id,
                **dict(zip(COLUMNS, values, strict=True)),
            }
        ids = [row["id"] for row in stored.contacts.values()]
        for contact_id, level in conn.execute(
            "SELECT contact_id, level FROM intake_decision WHERE contact_id = ANY(%s)", [ids]
        ):
            stored.decisions[contact_id] = level
        for contact_id, sign, released in conn.execute(
            "SELECT a.contact_id, u.call_sign, a.released_at IS NOT NULL"
            " FROM dispatch_assignment a JOIN dispatch_unit u ON u.id = a.unit_id"
            " WHERE a.contact_id = ANY(%s)",
            [ids],
        ):
            stored.assignments.setdefault(contact_id, {})[sign] = released
        for contact_id, action, payload in conn.execute(
            "SELECT contact_id, action, payload FROM intake_event WHERE contact_id = ANY(%s)",
            [ids],
        ):
            stored.events.setdefault(contact_id, []).append((action, payload))
        for username, count in conn.execute(
            "SELECT u.username, count(*) FROM intake_event e JOIN auth_user u ON u.id = e.actor_id"
            " WHERE e.action = 'auth.signed_in' GROUP BY u.username"
        ):
            stored.sign_ins[username] = count
    return stored


Check = Callable[[Stored, dict[str, Any], Submission], bool]


def _field_and_log(column: str) -> Check:
    """The contact's column is set, and its action is in the log."""
    return lambda s, c, sub: bool(c[column]) and s.logged(c["id"], sub.action) > 0


CHECKS: dict[str, Check] = {
    "contact.created": lambda s, c, sub: s.logged(c["id"], "contact.created") > 0,
    "contact.officer_in_distress": lambda s, c, sub: (
        c["officer_in_distress"]
        and s.logged(c["id"], "contact.created") > 0
        and s.logged(c["id"], "contact.officer_in_distress") > 0
    ),
    "contact.caller_recorded": _field_and_log("caller_recorded_at"),
    "contact.request_recorded": _field_and_log("request_recorded_at"),
    "contact.co_notified": lambda s, c, sub: (
        c["co_notified_at"] is not None
        and c["commanding_officer_id"] == int(sub.detail)
        and s.logged(c["id"], sub.action, commanding_officer=int(sub.detail)) > 0
    ),
    "contact.handed_over": _field_and_log("handed_over_at"),
    "contact.co_acknowledged": _field_and_log("co_acknowledged_at"),
    "contact.callback_recorded": lambda s, c, sub: (
        c["callback_recording_ref"] == sub.detail
        and s.logged(c["id"], sub.action, recording_ref=sub.detail) > 0
    ),
    "contact.supervisor_notified": lambda s, c, sub: (
        c["supervisor_name"] == sub.detail
        and s.logged(c["id"], sub.action, supervisor=sub.detail) > 0
    ),
    "decision.recorded": lambda s, c, sub: (
        s.decisions.get(c["id"]) == sub.detail
        and s.logged(c["id"], sub.action, level=sub.detail) > 0
    ),
    "contact.co_on_scene": _field_and_log("co_on_scene_at"),
    "assignment.created": lambda s, c, sub: (
        sub.detail in s.assignments.get(c["id"], {})
        and s.logged(c["id"], sub.action, unit=sub.detail) > 0
    ),
    # Closed with its outcome, every unit released with its record, both in the log.
    "contact.closed": lambda s, c, sub: (
        c["status"] == "closed"
        and c["outcome"] == sub.detail
        and all(s.assignments.get(c["id"], {}).values())
        and s.logged(c["id"], sub.action, outcome=sub.detail) > 0
        and s.logged(c["id"], "assignment.released") == len(s.assignments.get(c["id"], {}))
    ),
}


@dataclass
class Result:
    stored: int = 0
    lost: list[Submission] = field(default_factory=list)
    by_action: Counter[str] = field(default_factory=Counter)


def check(database_url: str, acknowledged: list[Submission]) -> Result:
    """Each acknowledged submission found (stored) or not (lost)."""
    stored = read(database_url, (s.reference for s in acknowledged if s.reference))
    result = Result()
    counted: dict[tuple[str, str, str, str], list[Submission]] = defaultdict(list)
    for submission in acknowledged:
        result.by_action[submission.action] += 1
        if submission.action in COUNTED:
            key = (submission.action, submission.user, submission.reference, submission.detail)
            counted[key].append(submission)
            continue
        contact = stored.contacts.get(submission.reference)
        if contact is not None and CHECKS[submission.action](stored, contact, submission):
            result.stored += 1
        else:
            result.lost.append(submission)
    # A refusal or a sign-in logs an entry each time: as many entries as acknowledgements.
    for (action, user, reference, detail), submissions in counted.items():
        if action == "auth.signed_in":
            found = stored.sign_ins[user]
        else:
            contact = stored.contacts.get(reference)
            found = stored.logged(contact["id"], action, unit=detail) if contact else 0
        result.stored += min(found, len(submissions))
        result.lost.extend(submissions[found:])
    return result
