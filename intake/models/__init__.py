"""The intake app's records: contacts, their decisions, amendments and timeline events."""

from __future__ import annotations

from intake.models.contact import (
    Agency,
    Contact,
    ContactChannel,
    IdentityCheck,
    Outcome,
    ReferenceCounter,
)
from intake.models.records import (
    Amendment,
    Capability,
    CommanderDuty,
    Decision,
    Event,
    LogHead,
    Review,
    ReviewFinding,
)

__all__ = [
    "Agency",
    "Amendment",
    "Capability",
    "CommanderDuty",
    "Contact",
    "ContactChannel",
    "Decision",
    "Event",
    "IdentityCheck",
    "LogHead",
    "Outcome",
    "ReferenceCounter",
    "Review",
    "ReviewFinding",
]
