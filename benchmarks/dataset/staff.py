"""The generator's rota and small tables: shifts, users and groups, units, duty, counters."""

from __future__ import annotations

import contextlib
import random
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from benchmarks.dataset.chain import LogChain, _Cut
from benchmarks.dataset.choice import rng_minutes
from benchmarks.dataset.config import (
    DAY,
    DEFAULT_CONTACTS,
    HOUR,
    LOUISVILLE,
    MINUTE,
    SECOND,
    _from_us,
    _to_us,
)
from benchmarks.dataset.people import SHIFTS, Person


class Staffing(LogChain):
    """The generator's shifts and small tables (users, units, duty, reference counters)."""

    if TYPE_CHECKING:
        rng: random.Random
        contacts: int
        start: int
        people: list[Person]
        call_takers: list[Person]
        commanders: list[Person]
        auditors: list[Person]
        admin: Person
        group_ids: dict[str, int]
        units: list[str]
        unit_ids: dict[str, int]
        unit_free_at: dict[str, int]
        references: Counter[int]

        def _row(self, table: str, values: Sequence[Any]) -> None: ...

        def _ts(self, us: int | None) -> str | None: ...

    def on_duty(self, local: datetime) -> tuple[list[Person], list[Person]]:
        """The call-takers and commanders working at ``local`` time (a rota of three shifts,
        each worked every other day)."""
        hour = local.hour
        if 7 <= hour < 15:
            shift, day = 0, local.date()
        elif 15 <= hour < 23:
            shift, day = 1, local.date()
        else:
            shift, day = 2, local.date() if hour >= 23 else local.date() - timedelta(days=1)
        half = day.toordinal() % 2
        takers = self.call_takers[shift * 12 : shift * 12 + 12][half * 6 : half * 6 + 6]
        commanders = self.commanders[shift * 4 : shift * 4 + 4][half * 2 : half * 2 + 2]
        return takers, commanders

    def shift_day(self, day: date) -> None:
        """Sign-ins, duty changes and sign-outs of one day's shifts (kept in proportion to
        the number of contacts: every day at 1,000,000, a few days in a small data set)."""
        rng = self.rng
        if rng.random() >= self.contacts / DEFAULT_CONTACTS:
            return
        half = day.toordinal() % 2
        for shift, (first, last) in enumerate(SHIFTS):
            begin = _to_us(datetime(day.year, day.month, day.day, tzinfo=LOUISVILLE)) + (
                first * HOUR
            )
            finish = begin + (last - first) * HOUR
            commanders = self.commanders[shift * 4 : shift * 4 + 4][half * 2 : half * 2 + 2]
            for person in commanders:
                signed_in = begin - 10 * MINUTE + rng.randrange(5 * MINUTE)
                on = signed_in + rng.randrange(30 * SECOND, 2 * MINUTE)
                off = finish + rng.randrange(10 * MINUTE)
                signed_out = off + rng.randrange(30 * SECOND, MINUTE)
                self._shift_event(signed_in, "auth.signed_in", person)
                self._shift_event(on, "commander.duty_changed", person, {"on_duty": True})
                self._shift_event(off, "commander.duty_changed", person, {"on_duty": False})
                self._shift_event(signed_out, "auth.signed_out", person)
            takers = self.call_takers[shift * 12 : shift * 12 + 12][half * 6 : half * 6 + 6]
            for person in takers:
                self._shift_event(begin - rng.randrange(10 * MINUTE), "auth.signed_in", person)
                self._shift_event(finish + rng.randrange(10 * MINUTE), "auth.signed_out", person)
        if day.weekday() < 5:
            auditor = self.auditors[day.toordinal() % len(self.auditors)]
            morning = _to_us(datetime(day.year, day.month, day.day, 9, tzinfo=LOUISVILLE))
            self._shift_event(morning + rng.randrange(HOUR), "auth.signed_in", auditor)
            self._shift_event(morning + 8 * HOUR, "auth.signed_out", auditor)

    def _shift_event(
        self, at: int, action: str, person: Person, payload: dict[str, Any] | None = None
    ) -> None:
        """Sign-ins and -outs concern the user; duty changes concern nothing else."""
        obj = None if action.startswith("commander.") else ("auth.user", person.id)
        with contextlib.suppress(_Cut):  # the last shifts run past END
            self.event(at, action, person, None, payload, obj)

    # Small tables --------------------------------------------------------------------------

    def staff(self, password_hash: str) -> None:
        """Users with their role groups, created by an administrator (logged as Django's admin
        logs them), a month before the first contact."""
        at = self.start - 30 * DAY
        groups = self.group_ids
        for person in self.people:
            is_staff = person.role == "administrator"
            self._row(
                "auth_user",
                (
                    person.id,
                    password_hash,
                    None,
                    False,
                    person.username,
                    person.first,
                    person.last,
                    f"{person.username}@metrosafe.example",
                    is_staff,
                    True,
                    self._ts(at),
                ),
            )
            self._row("auth_user_groups", (person.id, person.id, groups[person.group]))
            creator = None if person is self.admin else self.admin
            changes = {
                "username": [None, person.username],
                "first_name": [None, person.first],
                "last_name": [None, person.last],
                "email": [None, f"{person.username}@metrosafe.example"],
                "is_active": [None, True],
                "is_staff": [None, is_staff],
                "is_superuser": [None, False],
            }
            user = ("auth.user", person.id)
            ip = creator.ip if creator else ""
            self.event(at, "user.created", creator, None, {"changes": changes}, user, ip)
            at += 2 * SECOND
            now = [person.group]
            self.event(
                at,
                "user.groups_changed",
                creator,
                None,
                {"change": "add", "groups": now, "now": now},
                user,
                ip,
            )
            at += 20 * SECOND

    def finish_small_tables(self) -> None:
        """Units (assigned when a contact in progress at END holds them), commanders' duty
        as the rota has it at END, and the reference counters."""
        created = self._ts(self.start - 30 * DAY)
        for sign in self.units:
            assigned = self.unit_free_at[sign] > self.end
            self._row(
                "dispatch_unit",
                (
                    self.unit_ids[sign],
                    sign,
                    "Special unit" if "-" in sign else f"Division {sign[0]} patrol",
                    "assigned" if assigned else "available",
                    created,
                    created,
                ),
            )
        end_local = _from_us(self.end).astimezone(LOUISVILLE)
        _, working = self.on_duty(end_local)
        for n, person in enumerate(self.commanders, start=1):
            on = person in working
            changed = self.end - rng_minutes(self.rng, 30, 480)
            self._row("intake_commanderduty", (n, person.id, on, self._ts(changed)))
        for year, last in sorted(self.references.items()):
            self._row("intake_referencecounter", (year, last))
