"""The policy engine: pure Python, no Django, testable without a database.

>>> from dispatch.policy import Facts, evaluate
>>> evaluate(Facts.from_mapping({"warrant": "administrative_immigration"})).permitted
<Level.NONE: 'none'>
"""

from __future__ import annotations

from dispatch.policy.decision import Decision, Finding, Ground, Prerequisite
from dispatch.policy.engine import evaluate
from dispatch.policy.facts import (
    Channel,
    CoDecision,
    Crime,
    Facts,
    FactsError,
    Level,
    Request,
    Warrant,
)
from dispatch.policy.pack import Clause, PolicyPack
from dispatch.policy.packs import DEFAULT_PACK, PACKS, get_pack

__all__ = [
    "DEFAULT_PACK",
    "PACKS",
    "Channel",
    "Clause",
    "CoDecision",
    "Crime",
    "Decision",
    "Facts",
    "FactsError",
    "Finding",
    "Ground",
    "Level",
    "PolicyPack",
    "Prerequisite",
    "Request",
    "Warrant",
    "evaluate",
    "get_pack",
]
