"""The centre's people, the agents who call, the roles, the staff numbers and the shifts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    first: str
    last: str
    role: str  # dispatch.roles.Role value
    group: str
    ip: str

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(frozen=True)
class Agent:
    name: str
    badge: str
    callback: str
    supervisor: str


ROLE_GROUPS = {
    "call_taker": "Call-takers",
    "commanding_officer": "Commanding officers",
    "officer": "Officers",
    "auditor": "Auditors",
    "administrator": "Administrators",
}
STAFF = {  # how many of each role the centre has
    "administrator": 2,
    "call_taker": 36,  # 12 per shift, half of them on a given day
    "commanding_officer": 12,  # 4 per shift, two on a given day
    "officer": 120,
    "auditor": 3,
}
SHIFTS = ((7, 15), (15, 23), (23, 31))  # local hours: day, evening, night (to 07:00)
