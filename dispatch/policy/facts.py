"""The facts of a contact, as the policy engine reads them: typed, immutable, validated."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    METROSAFE = "metrosafe"
    DIRECT_TO_OFFICER = "direct_to_officer"


class Request(StrEnum):
    OTHER = "other"
    WARRANT_SERVICE = "warrant_service"
    ARREST_BACKUP = "arrest_backup"
    DOOR_KNOCK = "door_knock"
    CLEAR_RESIDENCE = "clear_residence"
    TRAFFIC_STOP = "traffic_stop"
    TRANSPORT = "transport"
    INFORMATION = "information"


class Warrant(StrEnum):
    NONE = "none"
    LOCAL_CRIMINAL = "local_criminal"
    FEDERAL_CRIMINAL = "federal_criminal"
    CRIMINAL_IMMIGRATION = "criminal_immigration"
    ADMINISTRATIVE_IMMIGRATION = "administrative_immigration"


class Crime(StrEnum):
    NONE = "none"
    OCCURRED = "occurred"
    OCCURRING = "occurring"


class Level(StrEnum):
    """How much help: what policy permits, and what a commanding officer may decide."""

    NONE = "none"
    BACKUP_ONLY = "backup_only"
    FULL = "full"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.NONE: 0, Level.BACKUP_ONLY: 1, Level.FULL: 2}


class CoDecision(StrEnum):
    NONE = "none"  # not decided yet
    DENY = "deny"
    BACKUP_ONLY = "backup_only"
    FULL = "full"

    @property
    def level(self) -> Level:
        """The help this decision grants (deny and undecided grant none)."""
        return _DECISION_LEVEL[self]


_DECISION_LEVEL = {
    CoDecision.NONE: Level.NONE,
    CoDecision.DENY: Level.NONE,
    CoDecision.BACKUP_ONLY: Level.BACKUP_ONLY,
    CoDecision.FULL: Level.FULL,
}


class FactsError(ValueError):
    """Facts that do not fit the table; ``problems`` maps each bad key to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        # json.dumps keeps a hostile key (newlines, control characters) on one line.
        super().__init__(
            "; ".join(f"{json.dumps(key)} {message}" for key, message in problems.items())
        )


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known about a contact. Every field defaults to the first value of its table."""

    channel: Channel = Channel.METROSAFE
    request: Request = Request.OTHER
    warrant: Warrant = Warrant.NONE
    crime: Crime = Crime.NONE
    public_danger: bool = False
    officer_in_distress: bool = False
    subject_danger: bool = False
    recorded_line_callback: bool = False
    supervisor_notified: bool = False
    co_on_scene: bool = False
    co_decision: CoDecision = CoDecision.NONE

    @classmethod
    def from_mapping(cls, data: object) -> Facts:
        """Validate a JSON-like object; every problem is reported at once, by key."""
        if not isinstance(data, Mapping):
            raise FactsError({"facts": "must be a JSON object, not " + _show(data)})
        problems: dict[str, str] = {}
        values: dict[str, Any] = {}
        for key, raw in data.items():
            kind = _FIELD_TYPES.get(key) if isinstance(key, str) else None
            if kind is None:
                problems[str(key)] = "is not a known key"
            elif kind is bool:
                # JSON true/false only: 0, 1 and "true" are the kind of slip that hides a bug.
                if isinstance(raw, bool):
                    values[key] = raw
                else:
                    problems[key] = f"must be true or false, not {_show(raw)}"
            else:
                allowed = _CHOICES[key]
                if isinstance(raw, str) and raw in allowed:
                    values[key] = allowed[raw]
                else:
                    choices = ", ".join(allowed)
                    problems[key] = f"must be one of {choices}, not {_show(raw)}"
        if problems:
            raise FactsError(problems)
        return cls(**values)

    def to_dict(self) -> dict[str, str | bool]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


def _plain(value: object) -> str | bool:
    return value if isinstance(value, bool) else str(value)


def _show(value: object) -> str:
    text = json.dumps(value, default=repr)
    return text if len(text) <= 40 else text[:37] + "..."


_FIELD_TYPES: dict[str, type] = {
    "channel": Channel,
    "request": Request,
    "warrant": Warrant,
    "crime": Crime,
    "public_danger": bool,
    "officer_in_distress": bool,
    "subject_danger": bool,
    "recorded_line_callback": bool,
    "supervisor_notified": bool,
    "co_on_scene": bool,
    "co_decision": CoDecision,
}
_CHOICES: dict[str, dict[str, StrEnum]] = {
    key: {member.value: member for member in kind}  # type: ignore[attr-defined]
    for key, kind in _FIELD_TYPES.items()
    if kind is not bool
}
