"""A policy pack: one jurisdiction's policy, its clauses and the rules that apply them.

The engine knows nothing of any jurisdiction: a second pack is a new module in ``packs/`` and a
line in its registry, with no change to the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from dispatch.policy.decision import Finding
from dispatch.policy.facts import Facts, Level

# Ground rules read the facts alone and say what help the facts permit.
GroundRule = Callable[[Facts], Finding | None]
# Dispatch rules also see what is permitted, and name the prerequisites still missing.
DispatchRule = Callable[[Facts, Level], Finding | None]


@dataclass(frozen=True, slots=True)
class Clause:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class PolicyPack:
    id: str
    title: str
    jurisdiction: str
    effective: date
    clauses: tuple[Clause, ...]
    ground_rules: tuple[GroundRule, ...]
    dispatch_rules: tuple[DispatchRule, ...]
    _order: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ids = [clause.id for clause in self.clauses]
        if len(set(ids)) != len(ids):
            raise ValueError(f"policy pack {self.id}: duplicate clause ids")
        object.__setattr__(self, "_order", {clause_id: i for i, clause_id in enumerate(ids)})

    def clause(self, clause_id: str) -> Clause:
        return self.clauses[self._order[clause_id]]

    def position(self, clause_id: str) -> int:
        """Where a clause stands in the pack, so findings read in the policy's own order."""
        return self._order[clause_id]
