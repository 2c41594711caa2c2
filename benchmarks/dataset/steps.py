"""A contact's recorded steps: caller, request, callback, supervisor; the engine's facts."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from benchmarks.dataset.chain import Row, _Cut
from benchmarks.dataset.choice import rng_minutes
from benchmarks.dataset.config import _from_us
from benchmarks.dataset.people import Person
from benchmarks.dataset.words import CRIMES, DANGERS, DIRECT, EXTRAS, REQUEST_WORDS, VEHICLES
from dispatch.policy import Channel, CoDecision, Crime, Facts, Request, Warrant

if TYPE_CHECKING:
    from benchmarks.dataset.generator import Generator


@functools.cache
def _facts(
    direct: bool,
    request: str,
    warrant: str,
    crime: str,
    public_danger: bool,
    officer_in_distress: bool,
    subject_danger: bool,
    callback: bool,
    supervisor: bool,
    on_scene: bool,
    co_decision: str,
) -> Facts:
    """The engine's facts from a contact's values (a few thousand combinations: cached)."""
    return Facts(
        channel=Channel.DIRECT_TO_OFFICER if direct else Channel.METROSAFE,
        request=Request(request),
        warrant=Warrant(warrant),
        crime=Crime(crime),
        public_danger=public_danger,
        officer_in_distress=officer_in_distress,
        subject_danger=subject_danger,
        recorded_line_callback=callback,
        supervisor_notified=supervisor,
        co_on_scene=on_scene,
        co_decision=CoDecision(co_decision),
    )


class _Steps:
    """A contact as its story goes: its row, its clock, and the steps that record values."""

    def __init__(
        self, gen: Generator, row: Row, entered: Person, commander: Person, taker: Person
    ) -> None:
        self.gen = gen
        self.rng = gen.rng
        self.row = row
        self.cid: int = row["id"]
        self.entered = entered
        self.commander = commander
        self.taker = taker
        self.t: int = row["received_at"]
        self.assignments: list[Row] = []
        self.decision_level: str | None = None

    def later(self, low: float, high: float) -> None:
        """Move the contact's clock on by ``low`` to ``high`` minutes (to a step after END:
        the story stops here)."""
        self.t += rng_minutes(self.rng, low, high)
        if self.t > self.gen.end:
            raise _Cut

    def event(
        self,
        action: str,
        actor: Person | None,
        payload: dict[str, Any] | None = None,
        *,
        at: int | None = None,
        obj: tuple[str, int] | None = None,
        ip: str | None = None,
    ) -> None:
        self.gen.event(self.t if at is None else at, action, actor, self.cid, payload, obj, ip)

    def facts(self, co_decision: str = "none") -> Facts:
        """The engine's view of the contact now (as ``intake.selectors.contact_facts``)."""
        row = self.row
        return _facts(
            row["channel"] in DIRECT,
            row["request_type"],
            row["warrant"],
            row["crime"],
            row["public_danger"],
            row["officer_in_distress"],
            row["subject_violent_history"]
            or row["subject_armed"]
            or row["subject_danger_to_agents"],
            bool(row["callback_recording_ref"]),
            row["supervisor_notified_at"] is not None,
            row["co_on_scene_at"] is not None,
            co_decision,
        )

    def caller(self, actor: Person, low: float, high: float) -> None:
        rng = self.rng
        agency = self.gen.agencies(rng)
        agent = self.gen.agents[agency](rng)
        if agency == "unverified":
            check = "not_verified"
        elif self.row["channel"] == "direct_in_person":
            check = "credential_seen" if rng.random() < 0.8 else "not_verified"
        else:
            check = "callback_known_number" if rng.random() < 0.65 else "not_verified"
        values = {
            "agency": agency,
            "agent_name": agent.name,
            "agent_badge": agent.badge,
            "agent_callback_number": agent.callback,
            "agent_supervisor": agent.supervisor,
            "identity_check": check,
        }
        self.later(low, high)
        self.step("contact.caller_recorded", actor, values, "caller_recorded_at")

    def request(self, actor: Person, low: float, high: float) -> None:
        rng = self.rng
        gen = self.gen
        warrant = gen.warrants(rng)
        request = gen.requests_without(rng) if warrant == "none" else gen.requests_with(rng)
        roll = rng.random()
        crime = "occurred" if roll < 0.08 else "occurring" if roll < 0.11 else "none"
        danger = rng.random() < 0.04
        subject = gen._person_name()
        location = gen._location()
        words = rng.choice(REQUEST_WORDS[request]).format(
            subject=subject, loc=location, vehicle=rng.choice(VEHICLES)
        )
        if rng.random() < 0.5:
            words += " " + rng.choice(EXTRAS)
        words += f" Operation {gen._words(1).capitalize()}, file {gen._words(rng.randrange(1, 3))}."
        year = str(_from_us(self.t).year)[2:]
        if warrant == "none":
            number, court = "", ""
        elif warrant == "local_criminal":
            number = f"{year}-{rng.choice('FM')}-{rng.randrange(1, 30_000):05d}"
            court = rng.choice(("Jefferson Circuit Court", "Jefferson District Court"))
        elif warrant == "federal_criminal":
            number, court = f"3:{year}-cr-{rng.randrange(1, 900):05d}", "W.D. Ky."
        elif warrant == "criminal_immigration":
            number = f"3:{year}-mj-{rng.randrange(1, 900):04d}"
            court = "W.D. Ky. (8 U.S.C. 1326)"
        else:
            number = "I-205 (no number given)"
            if rng.random() < 0.5:
                number = f"I-200 {rng.randrange(10**6, 10**7)}"
            court = "DHS (administrative)"
        roll = rng.random()
        people = 1 if roll < 0.75 else rng.randrange(2, 6) if roll < 0.95 else rng.randrange(6, 30)
        values = {
            "request_type": request,
            "agent_words": words,
            "location": location,
            "people_targeted": people,
            "subject_name": subject,
            "warrant": warrant,
            "warrant_number": number,
            "warrant_court": court,
            "crime": crime,
            "crime_description": rng.choice(CRIMES) if crime != "none" else "",
            "public_danger": danger,
            "public_danger_description": rng.choice(DANGERS) if danger else "",
            "subject_violent_history": rng.random() < 0.1,
            "subject_armed": rng.random() < 0.06,
            "subject_danger_to_agents": rng.random() < 0.05,
        }
        self.later(low, high)
        self.step("contact.request_recorded", actor, values, "request_recorded_at")

    def step(self, action: str, actor: Person, values: Row, stamp: str) -> None:
        """A recorded step: the changed fields as [before, after], the permitted level kept."""
        row = self.row
        changes = {name: [row[name], new] for name, new in values.items() if row[name] != new}
        first_time = row[stamp] is None
        self.event(action, actor, {"changes": changes, "first_time": first_time})
        row.update(values)
        row["permitted"] = self.gen._evaluate(self.facts())[0].permitted.value
        if first_time:
            row[stamp] = self.t

    def callback(self, actor: Person, low: float, high: float) -> None:
        row = self.row
        self.later(low, high)
        reference = f"REC-{_from_us(self.t).year}-{self.cid:07d}"
        self.event(
            "contact.callback_recorded",
            actor,
            {
                "recording_ref": reference,
                "previous": row["callback_recording_ref"],
                "at": self.gen._json_time(self.t),
            },
        )
        row["callback_recording_ref"] = reference
        row["callback_at"] = self.t
        row["callback_by_id"] = actor.id

    def supervisor(self, actor: Person, low: float, high: float) -> None:
        self.later(low, high)
        name = self.rng.choice(self.gen.supervisors)
        self.event(
            "contact.supervisor_notified",
            actor,
            {"supervisor": name, "at": self.gen._json_time(self.t)},
        )
        self.row["supervisor_name"] = name
        self.row["supervisor_notified_at"] = self.t
