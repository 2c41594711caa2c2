"""The synthetic data: people, units and vocabulary, contacts in time order with their story."""

from __future__ import annotations

import contextlib
import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from benchmarks.dataset.chain import Row, Writer, _Cut
from benchmarks.dataset.choice import Weighted, _codewords, zipf
from benchmarks.dataset.columns import _CONTACT_TIME_INDEXES, CONTACT_COLUMNS
from benchmarks.dataset.config import END, EPOCH, LOUISVILLE, START, USERS, _from_us, _to_us, log
from benchmarks.dataset.people import ROLE_GROUPS, STAFF, Agent, Person
from benchmarks.dataset.server import _django
from benchmarks.dataset.staff import Staffing
from benchmarks.dataset.story import _Story
from benchmarks.dataset.words import (
    AGENCIES,
    CHANNELS,
    DIRECT,
    FIRST_NAMES,
    LAST_NAMES,
    REQUESTS_WITH_WARRANT,
    REQUESTS_WITHOUT,
    STREETS,
    WARRANTS,
)
from dispatch.policy import Decision as Evaluation
from dispatch.policy import Facts, evaluate


class Generator(Staffing):
    """Contacts in time order, each through the app's steps; its log entries merged in time
    order through a heap and chained as they leave it."""

    def __init__(self, contacts: int, seed: int, groups: dict[str, int]) -> None:
        _django()
        from django.core.serializers.json import DjangoJSONEncoder

        from intake.log import GENESIS, canonical, entry_hash, utc_text
        from intake.selectors import refusal_reasons

        self._canonical = canonical
        self._entry_hash = entry_hash
        self._utc_text = utc_text
        self._refusal_reasons = refusal_reasons
        self._json_default = DjangoJSONEncoder().default
        self.contacts = contacts
        self.rng = random.Random(seed)
        self.group_ids = groups
        # The big tables stream to their COPY (set by ``build``); small ones are kept here.
        self.write: dict[str, Writer] = {}
        self.small: dict[str, list[Sequence[Any]]] = {}
        self.start = _to_us(START)
        self.end = _to_us(END)
        self.counts: Counter[str] = Counter()
        self.heap: list[tuple[Any, ...]] = []
        self.seq = 0
        self.entry_id = 0
        self.head = GENESIS
        self.ids: Counter[str] = Counter()
        self.references: Counter[int] = Counter()
        self.evaluations: dict[Facts, tuple[Evaluation, str, str]] = {}
        self._people()
        self._units()
        self._vocabulary()

    # People and things ---------------------------------------------------------------------

    def _people(self) -> None:
        rng = self.rng
        self.people: list[Person] = []
        by_role: dict[str, list[Person]] = {role: [] for role in STAFF}
        for role, count in STAFF.items():
            base = USERS[role]
            for n in range(count):
                pid = len(self.people) + 1
                person = Person(
                    id=pid,
                    username=base if n == 0 else f"{base}{n + 1:02d}",
                    first=rng.choice(FIRST_NAMES),
                    last=rng.choice(LAST_NAMES),
                    role=role,
                    group=ROLE_GROUPS[role],
                    ip=(
                        f"10.60.{pid // 250}.{pid % 250 + 2}"
                        if role == "officer"
                        else f"10.40.{pid // 250}.{pid % 250 + 2}"
                    ),
                )
                self.people.append(person)
                by_role[role].append(person)
        self.call_takers = by_role["call_taker"]
        self.commanders = by_role["commanding_officer"]
        self.officers = zipf(by_role["officer"], 0.6)
        self.auditors = by_role["auditor"]
        self.admin = by_role["administrator"][0]
        self.supervisors = [
            f"Sgt. {rng.choice(FIRST_NAMES)[0]}. {rng.choice(LAST_NAMES)}" for _ in range(30)
        ]

    def _units(self) -> None:
        signs = [
            f"{division}{letter}{beat}{car}"
            for division, letter in zip(range(1, 9), "ABCDEFGH", strict=True)
            for beat in range(1, 5)
            for car in range(1, 4)
        ]
        self.units = [*signs, "SWAT-1", "SWAT-2", "K9-1", "K9-2"]
        self.unit_ids = {sign: n + 1 for n, sign in enumerate(self.units)}
        self.unit_free_at = dict.fromkeys(self.units, 0)
        self.unit_pick = Weighted([(sign, 0.05 if "-" in sign else 1.0) for sign in self.units])

    def _vocabulary(self) -> None:
        rng = self.rng
        self.codewords = zipf(_codewords(rng, 6000))
        self.streets = zipf(list(STREETS), 0.8)
        self.agencies = Weighted({key: share for key, (share, _) in AGENCIES.items()})
        self.channels = Weighted(CHANNELS)
        self.warrants = Weighted(WARRANTS)
        self.requests_with = Weighted(REQUESTS_WITH_WARRANT)
        self.requests_without = Weighted(REQUESTS_WITHOUT)
        self.agents: dict[str, Weighted[Agent]] = {}
        for agency, (_, prefix) in AGENCIES.items():
            pool = []
            for _ in range(70):
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                if agency == "unverified" and rng.random() < 0.5:
                    name = rng.choice(("Unknown caller", "Agent (no name given)", name.split()[1]))
                pool.append(
                    Agent(
                        name=name,
                        badge=f"{prefix}-{rng.randrange(1000, 9999)}" if prefix else "",
                        callback=f"502-555-{rng.randrange(0, 10_000):04d}",
                        supervisor=(
                            f"SDDO {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                            if prefix
                            else ""
                        ),
                    )
                )
            self.agents[agency] = zipf(pool, 0.9)

    def _location(self) -> str:
        return f"{self.rng.randrange(100, 9900)} {self.streets(self.rng)}"

    def _person_name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def _words(self, count: int) -> str:
        rng = self.rng
        return " ".join(self.codewords(rng) for _ in range(count))

    def _next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def _row(self, table: str, values: Sequence[Any]) -> None:
        writer = self.write.get(table)
        if writer is None:
            self.small.setdefault(table, []).append(values)
        else:
            writer(values)
        self.counts[table] += 1

    def _ts(self, us: int | None) -> str | None:
        return None if us is None else self._utc_text(_from_us(us))

    def _json_time(self, us: int) -> str:
        """A datetime inside a payload, exactly as the app's JSON encoder writes it."""
        return str(self._json_default(_from_us(us)))

    def _evaluate(self, facts: Facts) -> tuple[Evaluation, str, str]:
        """The engine's answer, with facts and evaluation as JSON (a few hundred distinct)."""
        found = self.evaluations.get(facts)
        if found is None:
            evaluation = evaluate(facts)
            found = (
                evaluation,
                json.dumps(facts.to_dict()),
                json.dumps(evaluation.to_dict()),
            )
            self.evaluations[facts] = found
        return found

    # Contacts ------------------------------------------------------------------------------

    def run(self) -> None:
        """Every contact, in time order, with the shifts around them and their log."""
        rng = self.rng
        n = self.contacts
        span = self.end - self.start
        day = START.date()
        next_day = _to_us(START)
        started = time.perf_counter()
        for index in range(n):
            # Stratified positions through a rising rate (three times as many contacts in
            # the last year as in the first): sorted by construction, no sort needed.
            u = (index + rng.random()) / n
            received = self.start + int(span * ((-1 + (1 + 8 * u) ** 0.5) / 2))
            while next_day <= received:
                self.shift_day(day)
                day += timedelta(days=1)
                next_day = _to_us(datetime(day.year, day.month, day.day, tzinfo=LOUISVILLE))
            self.drain(received)
            self.contact(index + 1, received)
            if (index + 1) % 100_000 == 0:
                log(f"generated {index + 1:,} contacts", self.entry_id, started)
        while day <= END.date():
            self.shift_day(day)
            day += timedelta(days=1)
        self.drain(self.end + 1)
        self.heap.clear()

    def contact(self, cid: int, received: int) -> None:
        """One contact from creation to close (or to where it stands at END)."""
        rng = self.rng
        local = _from_us(received).astimezone(LOUISVILLE)
        self.references[local.year] += 1
        reference = f"FA-{local.year}-{self.references[local.year]:05d}"
        channel = self.channels(rng)
        takers, commanders = self.on_duty(local)
        direct = channel in DIRECT
        entered = self.officers(rng) if direct else rng.choice(takers)
        row: Row = {
            "id": cid,
            "reference": reference,
            "received_at": received,
            "entered_by_id": entered.id,
            "channel": channel,
            "status": "open",
            "submission_key": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "agency": "",
            "agent_name": "",
            "agent_badge": "",
            "agent_callback_number": "",
            "agent_supervisor": "",
            "identity_check": "",
            "caller_recorded_at": None,
            "request_type": "other",
            "agent_words": "",
            "location": "",
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
            "officer_in_distress": False,
            "officer_in_distress_at": None,
            "request_recorded_at": None,
            "commanding_officer_id": None,
            "co_notified_at": None,
            "co_acknowledged_at": None,
            "handed_over_at": None,
            "callback_at": None,
            "callback_by_id": None,
            "callback_recording_ref": "",
            "supervisor_name": "",
            "supervisor_notified_at": None,
            "co_on_scene_at": None,
            "permitted": "none",
            "flagged_for_review": False,
            "outcome": "",
            "narrative": "",
            "closed_by_id": None,
            "closed_at": None,
            "cancel_reason": "",
        }
        story = _Story(self, row, entered, rng.choice(commanders), rng.choice(takers))
        with contextlib.suppress(_Cut):  # in progress at END: it stays as far as it got
            story.tell()
        values = [row[name] for name in CONTACT_COLUMNS]
        for index in _CONTACT_TIME_INDEXES:
            if values[index] is not None:
                values[index] = self._utc_text(EPOCH + timedelta(microseconds=values[index]))
        self._row("intake_contact", values)
        for assignment in story.assignments:
            self._row(
                "dispatch_assignment",
                (
                    assignment["id"],
                    self.unit_ids[assignment["unit"]],
                    cid,
                    assignment["level"],
                    assignment["by"].id,
                    self._ts(assignment["at"]),
                    self._ts(assignment["released_at"]),
                    assignment["body_camera"],
                    assignment["reason"],
                    assignment["reference"],
                ),
            )

    def free_unit(self, at: int) -> str | None:
        """A unit not busy at ``at`` (a unit is busy from assignment to its contact's close)."""
        rng = self.rng
        for _ in range(20):
            sign = self.unit_pick(rng)
            if self.unit_free_at[sign] <= at:
                return sign
        free = [sign for sign in self.units if self.unit_free_at[sign] <= at]
        return rng.choice(free) if free else None
