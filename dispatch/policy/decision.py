"""What the engine returns: findings per clause, and the decision they add up to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dispatch.policy.facts import Level


class Ground(StrEnum):
    """Why officers may be sent at all (listed in this order in every output)."""

    CRIMINAL_WARRANT = "criminal_warrant"
    CRIME = "crime"
    PUBLIC_DANGER = "public_danger"
    OFFICER_IN_DISTRESS = "officer_in_distress"


class Prerequisite(StrEnum):
    """What must be in place before units are assigned (listed in this order)."""

    CO_DECISION = "co_decision"
    RECORDED_LINE_CALLBACK = "recorded_line_callback"
    SUPERVISOR_NOTIFIED = "supervisor_notified"
    CO_ON_SCENE = "co_on_scene"


@dataclass(frozen=True, slots=True)
class Finding:
    """What one clause says about one contact, with a sentence a commanding officer can read aloud.

    ``permits`` raises the help allowed to at least that level; ``unmet`` names prerequisites
    the clause finds missing; ``immediate`` lets units go at once, whatever is unmet (P9).
    """

    clause: str
    reason: str
    grounds: tuple[Ground, ...] = ()
    permits: Level = Level.NONE
    unmet: tuple[Prerequisite, ...] = ()
    immediate: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    """The engine's answer for one set of facts."""

    permitted: Level
    grounds: tuple[Ground, ...]
    may_dispatch: bool
    unmet: tuple[Prerequisite, ...]
    findings: tuple[Finding, ...]
    policy: str

    @property
    def clauses(self) -> tuple[str, ...]:
        return tuple(finding.clause for finding in self.findings)

    @property
    def reasons(self) -> dict[str, str]:
        return {finding.clause: finding.reason for finding in self.findings}

    def allows(self, level: Level) -> bool:
        """Whether a commanding officer may decide ``level`` (never more than permitted)."""
        return level.rank <= self.permitted.rank

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of the command-line contract, plus each clause's reason."""
        return {
            "permitted": str(self.permitted),
            "grounds": [str(g) for g in self.grounds],
            "may_dispatch": self.may_dispatch,
            "unmet": [str(u) for u in self.unmet],
            "clauses": list(self.clauses),
            "policy": self.policy,
            "reasons": self.reasons,
        }
