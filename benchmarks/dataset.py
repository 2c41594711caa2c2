"""The benchmark data set: BENCH_CONTACTS contacts with their whole story, built once, kept.

``ensure_dataset()`` returns the ``DATABASE_URL`` of a database ``bench_<N>`` on the app's own
PostgreSQL server (the embedded one under ``DATA_DIR``, or the ``DATABASE_URL`` server): made
by the app's migrations, then loaded with COPY. Each contact goes through the app's real steps
(the actions and payloads the services write, the policy engine deciding what is permitted),
with its decision, assignments, reviews and amendments, and every step is an entry of the
hash-chained log, computed with ``intake.log``'s own functions so ``verify_log`` passes.

The database's comment records that a build completed (contacts, seed, data set version and
the migrations it was made with); a database without it, or made by other migrations or another
version of this file, is dropped and built again. ``python -m benchmarks.dataset`` builds or
reuses one and prints its URL.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import functools
import heapq
import json
import os
import random
import subprocess
import sys
import time
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import psycopg
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

from dispatch.policy import Channel, CoDecision, Crime, Facts, Request, Warrant, evaluate
from dispatch.policy import Decision as Evaluation

# Bump when the generator changes what it writes: cached data sets are then built again.
DATASET_VERSION = 2
DEFAULT_CONTACTS = 1_000_000
SEED = 20170922  # the policy's date
BENCH_PASSWORD = "MetroSafe-bench-2026"
# One user per role whose username matches the demo's (every bench user has BENCH_PASSWORD).
USERS = {
    "call_taker": "calltaker",
    "commanding_officer": "commander",
    "officer": "officer",
    "auditor": "auditor",
    "administrator": "admin",
}

BASE_DIR = Path(__file__).resolve().parent.parent
LOUISVILLE = ZoneInfo("America/Kentucky/Louisville")
# Six years of contacts, fixed dates so the data set is the same whenever it is built.
START = datetime(2020, 11, 1, tzinfo=LOUISVILLE)
END = datetime(2026, 11, 1, tzinfo=LOUISVILLE)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SECOND = 1_000_000  # times are integer microseconds since the epoch
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# Tables loaded by COPY with their keys, indexes and foreign keys dropped first and made again
# after: building an index once is several times faster than maintaining it row by row.
BULK_TABLES = (
    "intake_contact",
    "intake_decision",
    "dispatch_assignment",
    "intake_review",
    "intake_reviewfinding",
    "intake_amendment",
    "intake_event",
)

CONTACT_COLUMNS = (
    "id",
    "reference",
    "received_at",
    "entered_by_id",
    "channel",
    "status",
    "submission_key",
    "agency",
    "agent_name",
    "agent_badge",
    "agent_callback_number",
    "agent_supervisor",
    "identity_check",
    "caller_recorded_at",
    "request_type",
    "agent_words",
    "location",
    "people_targeted",
    "subject_name",
    "warrant",
    "warrant_number",
    "warrant_court",
    "crime",
    "crime_description",
    "public_danger",
    "public_danger_description",
    "subject_violent_history",
    "subject_armed",
    "subject_danger_to_agents",
    "officer_in_distress",
    "officer_in_distress_at",
    "request_recorded_at",
    "commanding_officer_id",
    "co_notified_at",
    "co_acknowledged_at",
    "handed_over_at",
    "callback_at",
    "callback_by_id",
    "callback_recording_ref",
    "supervisor_name",
    "supervisor_notified_at",
    "co_on_scene_at",
    "permitted",
    "flagged_for_review",
    "outcome",
    "narrative",
    "closed_by_id",
    "closed_at",
    "cancel_reason",
)
_CONTACT_TIME_INDEXES = [n for n, name in enumerate(CONTACT_COLUMNS) if name.endswith("_at")]
EVENT_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_role",
    "source_ip",
    "action",
    "contact_id",
    "object_type",
    "object_id",
    "payload",
    "prev_hash",
    "hash",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "auth_user": (
        "id",
        "password",
        "last_login",
        "is_superuser",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "date_joined",
    ),
    "auth_user_groups": ("id", "user_id", "group_id"),
    "dispatch_unit": ("id", "call_sign", "description", "status", "created_at", "updated_at"),
    "intake_commanderduty": ("id", "user_id", "on_duty", "changed_at"),
    "intake_referencecounter": ("year", "last"),
    "intake_contact": CONTACT_COLUMNS,
    "intake_decision": (
        "id",
        "contact_id",
        "level",
        "assessment",
        "decided_by_id",
        "decided_at",
        "policy",
        "facts",
        "evaluation",
    ),
    "dispatch_assignment": (
        "id",
        "unit_id",
        "contact_id",
        "level",
        "assigned_by_id",
        "assigned_at",
        "released_at",
        "body_camera",
        "body_camera_reason",
        "body_camera_reference",
    ),
    "intake_review": ("id", "contact_id", "note", "opened_by_id", "opened_at"),
    "intake_reviewfinding": ("id", "review_id", "finding", "note", "closed_by_id", "closed_at"),
    "intake_amendment": (
        "id",
        "contact_id",
        "field",
        "old_value",
        "new_value",
        "reason",
        "amended_by_id",
        "amended_at",
    ),
    "intake_event": EVENT_COLUMNS,
}


def log(stage: str, rows: int | None, started: float) -> None:
    """One progress line on standard error: stage, rows, seconds since ``started``."""
    count = f"{rows:,} rows, " if rows is not None else ""
    print(f"dataset: {stage}: {count}{time.perf_counter() - started:.1f} s", file=sys.stderr)


# --- Where the data set lives ----------------------------------------------------------------


def _django() -> None:
    """Set Django up (settings, apps) once: the log's functions and the migrations need it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dispatch.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def contacts_setting() -> int:
    """BENCH_CONTACTS from the environment (default 1,000,000)."""
    raw = os.environ.get("BENCH_CONTACTS", "").replace("_", "").replace(",", "").strip()
    if not raw:
        return DEFAULT_CONTACTS
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"BENCH_CONTACTS must be a positive whole number, not {raw!r}")
    return int(raw)


def database_name(contacts: int) -> str:
    return f"bench_{contacts}"


def server_url(database: str) -> str:
    """The URL of ``database`` on the app's server: the embedded one (started if needed, kept
    running while this process lives) or the one ``DATABASE_URL`` names."""
    _django()
    from django.conf import settings

    from dispatch import embedded_pg

    default = settings.DATABASES["default"]
    if "DATA_DIR" in default:
        server = embedded_pg.ensure_started(
            Path(str(default["DATA_DIR"])), database=str(default["EMBEDDED_DATABASE"])
        )
        return server.url(database)
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


@functools.cache
def _maintenance_url() -> str:
    """Where to CREATE and DROP data sets and take the build lock: the server's ``postgres``
    database, else the app's own (never a data set, which may be the one being dropped)."""
    _django()
    from django.conf import settings

    candidate = server_url("postgres")
    if "DATA_DIR" in settings.DATABASES["default"]:
        return candidate
    try:
        psycopg.connect(candidate, connect_timeout=10).close()
    except psycopg.Error:
        return os.environ["DATABASE_URL"]
    return candidate


def migration_names() -> list[str]:
    """Every migration the code has (``app.name``), as a fresh ``migrate`` applies them."""
    _django()
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.nodes)


@dataclass(frozen=True)
class Marker:
    """What a completed build wrote on its database (as the database's comment)."""

    contacts: int
    seed: int
    version: int
    migrations: list[str]
    seconds: float
    counts: dict[str, int]
    head: str  # the log's last hash: the same seed and size always give the same one
    built_at: str

    def matches(self, contacts: int, seed: int) -> bool:
        return (
            self.contacts == contacts
            and self.seed == seed
            and self.version == DATASET_VERSION
            and self.migrations == migration_names()
        )


MARKER_KIND = "metrosafe-bench-dataset"


def marker(database: str) -> Marker | None:
    """The build marker of ``database``, or None (no such database, or no completed build)."""
    with psycopg.connect(_maintenance_url(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [database],
        ).fetchone()
    if row is None or not row[0]:
        return None
    try:
        data = json.loads(row[0])
        if data.get("kind") != MARKER_KIND:
            return None
        return Marker(
            contacts=int(data["contacts"]),
            seed=int(data["seed"]),
            version=int(data["version"]),
            migrations=list(data["migrations"]),
            seconds=float(data["seconds"]),
            counts={str(k): int(v) for k, v in data["counts"].items()},
            head=str(data["head"]),
            built_at=str(data["built_at"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def drop_dataset(database: str) -> None:
    """Drop a data set's database (connections to it are ended)."""
    with psycopg.connect(_maintenance_url(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


@contextlib.contextmanager
def _build_lock(database: str) -> Iterator[None]:
    """One builder per data set at a time, across processes (a session advisory lock)."""
    key = zlib.crc32(f"bench-dataset:{database}".encode())
    with psycopg.connect(_maintenance_url(), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [key])


def ensure_dataset(
    contacts: int | None = None,
    *,
    database: str | None = None,
    seed: int = SEED,
    rebuild: bool = False,
) -> str:
    """The DATABASE_URL of a complete data set of ``contacts`` contacts (default
    BENCH_CONTACTS), built now if it is missing, partial, or made by other migrations."""
    contacts = contacts_setting() if contacts is None else contacts
    database = database or database_name(contacts)
    url = server_url(database)
    with _build_lock(database):
        found = marker(database)
        if not rebuild and found is not None and found.matches(contacts, seed):
            print(
                f"dataset: reusing {database} ({found.contacts:,} contacts, "
                f"{found.counts.get('intake_event', 0):,} log entries)",
                file=sys.stderr,
            )
            return url
        started = time.perf_counter()
        drop_dataset(database)
        try:
            with psycopg.connect(_maintenance_url(), autocommit=True) as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            _migrate(url)
            log(f"migrated {database}", None, started)
            counts, head = build(url, contacts, seed=seed)
            _mark(database, contacts, seed, counts, head, time.perf_counter() - started)
        except BaseException:
            # A half-built data set would be mistaken for a real one: never leave it.
            with contextlib.suppress(Exception):
                drop_dataset(database)
            raise
        log(f"built {database}", counts["intake_contact"], started)
    return url


def dataset_url(contacts: int | None = None) -> str:
    """The DATABASE_URL of the benchmark data set (BENCH_CONTACTS contacts), built if needed."""
    return ensure_dataset(contacts)


def _migrate(url: str) -> None:
    """The app's own migrations, run by ``manage.py`` against the new database."""
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrate failed on the bench database:\n{result.stderr[-4000:]}")


def _mark(
    database: str, contacts: int, seed: int, counts: dict[str, int], head: str, seconds: float
) -> None:
    data = {
        "kind": MARKER_KIND,
        "contacts": contacts,
        "seed": seed,
        "version": DATASET_VERSION,
        "migrations": migration_names(),
        "seconds": round(seconds, 1),
        "counts": counts,
        "head": head,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with psycopg.connect(_maintenance_url(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(database), sql.Literal(json.dumps(data))
            )
        )


# --- Word lists: seeded text, so full-text search has rare and common words -----------------


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _split(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Carlos Karen Daniel Lisa Matthew Nancy Anthony "
    "Betty Mark Sandra Donald Ashley Steven Kimberly Andrew Emily Paul Donna Joshua Michelle "
    "Kenneth Carol Kevin Amanda Brian Melissa José Angela Timothy Zoë Marcus Dana Terrence "
    "Keisha Raymond Lucia Darnell Hannah Tyrone Rosa Wesley Imani"
)
LAST_NAMES = _split(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
    "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter "
    "Roberts Whitfield Ortiz Grant Moreno Kowalski Okafor Brennan Lindqvist Haddad Petrov "
    "Castellanos Delacroix Abernathy Fairbanks Quintero Yamamoto Oyelaran Whitaker Sutherland "
    "McAllister Beauregard Thibodeaux Vasquez Osei Nakamura Fitzgerald Holloway Pemberton "
    "Rutherford Stallworth Calloway Breckinridge Shelby Boone Crittenden Hardin Marshall Logan"
)
STREETS = (
    "Bardstown Rd",
    "Preston Hwy",
    "S 4th St",
    "Camden Ave",
    "Dixie Hwy",
    "W Broadway",
    "Frankfort Ave",
    "Shelbyville Rd",
    "Taylorsville Rd",
    "Poplar Level Rd",
    "Westport Rd",
    "Brownsboro Rd",
    "E Market St",
    "W Main St",
    "River Rd",
    "Algonquin Pkwy",
    "Southern Pkwy",
    "Manslick Rd",
    "National Tpke",
    "Fern Valley Rd",
    "Outer Loop",
    "Hurstbourne Pkwy",
    "Breckenridge Ln",
    "Cane Run Rd",
    "Greenwood Rd",
    "Crums Ln",
    "Blankenbaker Pkwy",
    "Hikes Ln",
    "Newburg Rd",
    "Bashford Manor Ln",
    "Eastern Pkwy",
    "Cardinal Blvd",
    "W Oak St",
    "Hill St",
    "Magnolia Ave",
    "S Jefferson St",
    "Muhammad Ali Blvd",
    "E Chestnut St",
    "Garland Ave",
    "W Kentucky St",
    "Woodlawn Ave",
    "Berry Blvd",
    "Wilson Ave",
    "Valley Station Rd",
    "Johnson Rd",
    "Stonestreet Rd",
    "Terry Rd",
    "Lower Hunters Trce",
    "Bells Ln",
    "Old Shepherdsville Rd",
    "Beulah Church Rd",
    "Smyrna Pkwy",
    "Goldsmith Ln",
    "Produce Rd",
    "Gagel Ave",
)
VEHICLES = (
    "grey Toyota Camry",
    "black Ford F-150",
    "white Honda Civic",
    "silver Nissan Altima",
    "red Chevrolet Malibu",
    "blue Dodge Caravan",
    "green Jeep Cherokee",
    "white box truck",
)
CRIMES = (
    "Assault reported at the address an hour ago",
    "Shots fired in the parking lot behind the building",
    "Stolen vehicle parked at the scene",
    "Burglary in progress, back door forced",
    "Domestic violence call from a neighbour",
    "Drug sales observed from the front porch",
    "Robbery at the convenience store on the corner",
    "Vandalism of the agents' vehicle",
)
DANGERS = (
    "Subject waving a firearm in the street",
    "Car driven at pedestrians in the lot",
    "Armed standoff with agents at the door",
    "Fire set in the stairwell of the building",
    "Subject threatening neighbours with a knife",
)
EXTRAS = (
    "The subject may have children at home.",
    "Agents are parked two blocks away.",
    "They say a judge signed it this morning.",
    "The agent would not give a supervisor's name at first.",
    "Neighbours have already called about the agents' cars.",
    "The agent asked us not to tell the family.",
    "They want marked cars for visibility.",
    "Spanish speaker needed on scene.",
    "The agent called the non-emergency line twice.",
    "The address is a duplex; unit B.",
)
CANCEL_REASONS = (
    "Caller was not a federal agency (wrong number).",
    "Duplicate of a contact already open.",
    "The agent hung up before saying what they wanted.",
    "Test call from the agency's new dispatch desk.",
)
CAMERA_REASONS = (
    "Camera battery failed on scene.",
    "Officer stayed at the perimeter in the car; camera not activated.",
    "Camera docked for an update at the start of the shift.",
)
AMEND_REASONS = (
    "Cite the clauses in the narrative.",
    "Correct the address after checking the recording.",
    "Spelling of the agent's name checked against the credential.",
    "Add what the supervisor said afterwards.",
)
REVIEW_NOTES = (
    "Check the callback recording against the decision.",
    "Random quarterly review of a decided contact.",
    "Complaint received from a community group about this call.",
    "Confirm that the commander was on scene before units arrived.",
)
FINDING_NOTES = {
    "proper": "Steps followed in order; the decision matches what policy permitted.",
    "improper": "Units were requested before the recorded callback; discussed with the commander.",
    "policy_gap": "The policy does not say what to do when the agency will not give a name.",
    "needs_training": "Call-taker should read the request back to the agent; training booked.",
}
AUTOMATIC_REVIEW = "Officer in distress: units were sent before the usual steps (P9)."
SYLLABLES = _split("ka lo ve ri tan mor sel dun ba zi kel or an ti pa rex vo lin gar mu")

AGENCIES = {  # the app's agencies, with their share of contacts and their badge prefix
    "ice_ero": (40, "ERO"),
    "ice_hsi": (18, "HSI"),
    "cbp": (12, "CBP"),
    "border_patrol": (8, "USBP"),
    "other_dhs": (7, "DHS"),
    "dhs_contractor": (5, "CTR"),
    "unverified": (10, ""),
}
CHANNELS = {
    "metrosafe_911": 45,
    "metrosafe_non_emergency": 33,
    "radio": 7,
    "direct_phone": 9,
    "direct_in_person": 6,
}
DIRECT = frozenset({"direct_phone", "direct_in_person"})
WARRANTS = {
    "none": 45,
    "administrative_immigration": 25,
    "criminal_immigration": 10,
    "federal_criminal": 8,
    "local_criminal": 12,
}
CRIMINAL_WARRANTS = frozenset({"local_criminal", "federal_criminal"})
REQUESTS_WITH_WARRANT = {"warrant_service": 35, "arrest_backup": 35, "door_knock": 25, "other": 5}
REQUESTS_WITHOUT = {
    "door_knock": 25,
    "information": 20,
    "transport": 12,
    "traffic_stop": 12,
    "clear_residence": 8,
    "arrest_backup": 13,
    "other": 10,
}
REQUEST_WORDS = {
    "warrant_service": (
        "We have a warrant for {subject} and need a unit at {loc} to serve it.",
        "Serving papers on {subject} at {loc}; asking for a marked car.",
    ),
    "arrest_backup": (
        "Planning to arrest {subject} at {loc} this morning and want backup.",
        "Target {subject} is at {loc} now; requesting officers for the arrest.",
    ),
    "door_knock": (
        "Need a uniform to knock at {loc} so the subject opens the door.",
        "Can an officer knock at {loc}? The family will not open for us.",
    ),
    "clear_residence": ("Requesting officers to clear the apartment at {loc} before we enter.",),
    "traffic_stop": (
        "Asking for a traffic stop on a {vehicle} leaving {loc}.",
        "Subject is driving a {vehicle} near {loc}; can a patrol car pull it over?",
    ),
    "transport": ("Need a transport for one detainee from {loc} to the federal building.",),
    "information": (
        "Asking whether {subject} has any local contacts or address history near {loc}.",
        "Want to know if officers have been called to {loc} recently.",
    ),
    "other": (
        "Agent asked for help at {loc}; details unclear.",
        "Agent wants to talk to a supervisor about an operation near {loc}.",
    ),
}
NARRATIVES = {
    "no_police_action": (
        "Agent told on the recorded line that no officers would be sent (P5, P6). "
        "No police action.",
        "Request refused; the agent was told why. No officers went to {loc}.",
    ),
    "perimeter_observe": (
        "{units} held a perimeter at {loc} and observed; no contact with the subject.",
        "{units} stayed at the corner of {loc} for traffic and watched; agents made the arrest.",
    ),
    "warrant_served": (
        "{units} served the criminal warrant on {subject} at {loc}; taken to LMDC.",
        "{units} assisted serving warrant {warrant}; subject in custody without injury.",
    ),
    "local_arrest": ("{units} arrested a person at {loc} for the reported crime.",),
    "other": (
        "{units} attended {loc}; the agents had left before officers arrived.",
        "{units} spoke with the agents at {loc}; no enforcement by officers.",
    ),
}
ASSESSMENTS = {
    "deny": (
        "No ground under P5: {why}. Civil immigration matters and door knocks are refused (P6).",
        "Nothing permits officers here ({why}); agent told on the recorded line (P3).",
    ),
    "backup_only": (
        "Dangerous subject and no ground (P7): perimeter and observe only.",
        "Backup only: {why}; officers stay at the perimeter.",
    ),
    "full": (
        "Ground verified ({why}); supervisor notified where needed. I will be on scene first.",
        "Full assistance: {why}. Officers go after I arrive (P8).",
    ),
}

T = TypeVar("T")


class Weighted(Generic[T]):
    """A weighted choice through a cumulative table (one bisect per pick)."""

    def __init__(self, weights: Mapping[T, float] | Sequence[tuple[T, float]]) -> None:
        pairs = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        self.items = [item for item, _ in pairs]
        self.cumulative: list[float] = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]


FINDINGS = Weighted({"proper": 6, "improper": 1, "policy_gap": 1, "needs_training": 1})


def zipf(items: Sequence[T], exponent: float = 1.07) -> Weighted[T]:
    """A few items are common, most are rare: full-text search gets both kinds of word."""
    return Weighted([(item, 1 / (rank + 1) ** exponent) for rank, item in enumerate(items)])


def _codewords(rng: random.Random, count: int) -> list[str]:
    words = {
        "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3)))) for _ in range(count)
    }
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered


# --- People, units, shifts ---------------------------------------------------------------------


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


def _to_us(moment: datetime) -> int:
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds


def _from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


# --- The generator -----------------------------------------------------------------------------


# A payload as stored: any JSON of the same value verifies (jsonb keeps values, not text).
_PAYLOAD_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class _Cut(Exception):
    """The contact's next step would fall after END: it stays as it is (still in progress)."""


Row = dict[str, Any]
Writer = Callable[[Sequence[Any]], None]


class Generator:
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

    # The log -------------------------------------------------------------------------------

    def event(
        self,
        at: int,
        action: str,
        actor: Person | None,
        contact: int | None,
        payload: dict[str, Any] | None = None,
        obj: tuple[str, int] | None = None,
        ip: str | None = None,
    ) -> None:
        """Queue one log entry; ``obj`` defaults to the contact, as ``event_record`` does."""
        if at > self.end:
            raise _Cut
        if obj is None and contact is not None:
            obj = ("intake.contact", contact)
        self.seq += 1
        heapq.heappush(
            self.heap,
            (
                at,
                self.seq,
                action,
                actor,
                contact,
                obj[0] if obj else "",
                str(obj[1]) if obj else "",
                payload or {},
                (actor.ip if actor else "") if ip is None else ip,
            ),
        )

    def drain(self, before: int) -> None:
        """Chain and write every queued entry earlier than ``before``: nothing queued later
        can be earlier than that, so ids follow time."""
        heap, write, canonical, entry_hash, utc_text = (
            self.heap,
            self.write["intake_event"],
            self._canonical,
            self._entry_hash,
            self._utc_text,
        )
        previous = self.head
        entry_id = self.entry_id
        dumps = _PAYLOAD_JSON
        while heap and heap[0][0] < before:
            at, _, action, actor, contact, object_type, object_id, payload, ip = heapq.heappop(heap)
            entry_id += 1
            at_text = utc_text(EPOCH + timedelta(microseconds=at))
            actor_id = actor.id if actor else None
            role = actor.role if actor else ""
            digest = entry_hash(
                canonical(
                    entry_id=entry_id,
                    at=at_text,
                    actor_id=actor_id,
                    actor_role=role,
                    source_ip=ip,
                    action=action,
                    contact_id=contact,
                    object_type=object_type,
                    object_id=object_id,
                    payload=payload,
                    prev_hash=previous,
                )
            )
            write(
                (
                    entry_id,
                    at_text,
                    actor_id,
                    role,
                    ip,
                    action,
                    contact,
                    object_type,
                    object_id,
                    dumps(payload),
                    previous,
                    digest,
                )
            )
            previous = digest
        self.counts["intake_event"] += entry_id - self.entry_id
        self.entry_id, self.head = entry_id, previous

    # Shifts --------------------------------------------------------------------------------

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


def rng_minutes(rng: random.Random, low: float, high: float) -> int:
    """A random duration between ``low`` and ``high`` minutes, in microseconds."""
    return int((low + (high - low) * rng.random()) * MINUTE)


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


class _Story:
    """One contact's steps, in the order and with the records the services make."""

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

    # The story -----------------------------------------------------------------------------

    def tell(self) -> None:
        rng = self.rng
        row = self.row
        direct = row["channel"] in DIRECT
        distress = not direct and rng.random() < 0.007
        self.event(
            "contact.created",
            self.entered,
            {"channel": row["channel"], "reference": row["reference"]},
        )
        if distress:
            self.distress()
            return
        if not direct and rng.random() < 0.04:
            self.cancel()
            return
        if direct:
            # P4: an officer contacted directly notifies a supervisor and calls back first.
            self.supervisor(self.entered, 1, 10)
            self.callback(self.entered, 2, 20)
        self.caller(self.entered, 0.5, 2)
        self.request(self.entered, 1, 5)
        self.later(0.3, 1.5)
        self.event(
            "contact.co_notified",
            self.entered,
            {"commanding_officer": self.commander.id, "previous": None},
        )
        row["commanding_officer_id"] = self.commander.id
        row["co_notified_at"] = self.t
        self.later(0.2, 1)
        self.event("contact.handed_over", self.entered)
        row["handed_over_at"] = self.t
        co = self.commander
        if rng.random() < 0.85:
            # Some acknowledgements come late (overdue after CO_ACK_MINUTES); some never
            # come before the decision, which then stamps the acknowledgement itself.
            if rng.random() < 0.8:
                self.later(0.3, 1.8)
            else:
                self.later(2, 9)
            self.event("contact.co_acknowledged", co)
            row["co_acknowledged_at"] = self.t
        if not row["callback_recording_ref"] and rng.random() < 0.93:
            self.callback(co, 1, 8)
        if not row["supervisor_notified_at"] and (
            (row["warrant"] in CRIMINAL_WARRANTS and rng.random() < 0.9) or rng.random() < 0.05
        ):
            self.supervisor(co, 1, 5)
        if rng.random() < 0.001:
            return  # never decided: an open exception on the auditors' dashboard
        level = self.decide(co)
        if level == "deny":
            self.later(2, 20)
            self.close(co if rng.random() < 0.75 else self.taker)
            return
        if rng.random() < 0.12:
            self.later(0.5, 3)
            self.refuse(co)  # a unit asked for before the commander is on scene (P8)
        if rng.random() < 0.97:
            self.later(5, 30)
            self.event("contact.co_on_scene", co)
            row["co_on_scene_at"] = self.t
        self.later(1, 5)
        facts = self.facts(level)
        evaluation = self.gen._evaluate(facts)[0]
        if evaluation.may_dispatch:
            count = 1 if level == "backup_only" else rng.choice((1, 1, 2, 2, 3))
            for _ in range(count):
                self.assign(co, evaluation, level)
        else:
            self.refuse(co)
        self.later(30, 240)
        self.close(co if rng.random() < 0.75 else self.taker)

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

    def decide(self, co: Person) -> str:
        """The commander's decision: never above what the engine permits (P2)."""
        rng = self.rng
        gen = self.gen
        row = self.row
        if rng.random() < 0.85:
            self.later(1, 12)
        else:
            self.later(12, 40)  # overdue after CO_DECISION_MINUTES
        permitted = gen._evaluate(self.facts())[0].permitted.value
        roll = rng.random()
        if permitted == "full":
            level = "full" if roll < 0.75 else "backup_only" if roll < 0.85 else "deny"
        elif permitted == "backup_only":
            level = "backup_only" if roll < 0.7 else "deny"
        else:
            level = "deny"
        evaluation, facts_json, evaluation_json = gen._evaluate(self.facts(level))
        decision_id = gen._next("intake_decision")
        if evaluation.grounds:
            why = ", ".join(str(g).replace("_", " ") for g in evaluation.grounds)
        elif row["warrant"] != "none":
            why = row["warrant"].replace("_", " ") + " warrant only"
        else:
            why = "no warrant, no crime, no danger"
        assessment = rng.choice(ASSESSMENTS[level]).format(why=why)
        self.event(
            "decision.recorded",
            co,
            {
                "decision": decision_id,
                "level": level,
                "policy": evaluation.policy,
                "permitted": evaluation.permitted.value,
                "may_dispatch": evaluation.may_dispatch,
                "clauses": list(evaluation.clauses),
            },
        )
        gen._row(
            "intake_decision",
            (
                decision_id,
                self.cid,
                level,
                assessment,
                co.id,
                gen._ts(self.t),
                evaluation.policy,
                facts_json,
                evaluation_json,
            ),
        )
        if row["co_acknowledged_at"] is None:
            row["co_acknowledged_at"] = self.t
        self.decision_level = level
        return level

    def refuse(self, actor: Person) -> None:
        """The gate says no (P8 mostly: the commander is not on scene yet); recorded."""
        gen = self.gen
        evaluation = gen._evaluate(self.facts(self.decision_level or "none"))[0]
        unit = gen.unit_pick(self.rng)
        self.event(
            "assignment.refused",
            actor,
            {
                "unit": unit,
                "unmet": [u.value for u in evaluation.unmet],
                "permitted": evaluation.permitted.value,
                "reasons": gen._refusal_reasons(evaluation),
                "policy": evaluation.policy,
            },
        )

    def assign(self, actor: Person, evaluation: Evaluation, level: str | None) -> None:
        gen = self.gen
        self.t += int(self.rng.random() * 40 * SECOND)
        unit = gen.free_unit(self.t)
        if unit is None:
            return
        if self.t > gen.end:
            raise _Cut
        assignment_id = gen._next("dispatch_assignment")
        kind = (
            "backup_only"
            if level == "backup_only" and not self.row["officer_in_distress"]
            else "full"
        )
        self.event(
            "assignment.created",
            actor,
            {
                "assignment": assignment_id,
                "unit": unit,
                "level": kind,
                "policy": evaluation.policy,
                "clauses": list(evaluation.clauses),
            },
        )
        gen.unit_free_at[unit] = gen.end + 1  # busy until the close releases it
        self.assignments.append(
            {
                "id": assignment_id,
                "unit": unit,
                "level": kind,
                "by": actor,
                "at": self.t,
                "released_at": None,
                "body_camera": "",
                "reason": "",
                "reference": "",
            }
        )

    def close(self, actor: Person) -> None:
        """Close-out (P11): each unit released with its body-camera record, then the close."""
        rng = self.rng
        gen = self.gen
        row = self.row
        last = self.t + len(self.assignments) * 1000 + 1000
        if last > gen.end:
            raise _Cut
        released = []
        for assignment in self.assignments:
            self.t += 1000  # the same request: a millisecond apart
            camera = "yes" if rng.random() < 0.94 else "no"
            reason = rng.choice(CAMERA_REASONS) if camera == "no" else ""
            reference = f"BWC-{assignment['unit']}-{assignment['id']}" if camera == "yes" else ""
            self.event(
                "assignment.released",
                actor,
                {
                    "assignment": assignment["id"],
                    "unit": assignment["unit"],
                    "body_camera": camera,
                    "reason": reason,
                    "reference": reference,
                },
            )
            assignment.update(
                released_at=self.t, body_camera=camera, reason=reason, reference=reference
            )
            gen.unit_free_at[assignment["unit"]] = self.t
            released.append(assignment["unit"])
        self.t += 1000
        outcome = self.outcome()
        narrative = rng.choice(NARRATIVES[outcome]).format(
            units=", ".join(released) or "Officers",
            loc=row["location"] or "the address",
            subject=row["subject_name"] or "the subject",
            warrant=row["warrant_number"] or "(number not given)",
        )
        if rng.random() < 0.3:
            narrative += f" Note: {gen._words(rng.randrange(1, 4))}."
        self.event("contact.closed", actor, {"outcome": outcome, "units_released": released})
        row.update(
            outcome=outcome,
            narrative=narrative,
            status="closed",
            closed_by_id=actor.id,
            closed_at=self.t,
        )
        if rng.random() < 0.01:
            self.amend(actor)
        if rng.random() < 0.005:
            self.review(rng.choice(gen.auditors), rng.choice(REVIEW_NOTES), automatic=False)

    def outcome(self) -> str:
        rng = self.rng
        level = self.decision_level
        if self.row["officer_in_distress"]:
            return rng.choice(("local_arrest", "other", "no_police_action"))
        if level == "backup_only" and self.assignments:
            return "perimeter_observe" if rng.random() < 0.85 else "no_police_action"
        if level == "full" and self.assignments:
            if self.row["warrant"] in CRIMINAL_WARRANTS and rng.random() < 0.7:
                return "warrant_served"
            if self.row["crime"] != "none" and rng.random() < 0.6:
                return "local_arrest"
            return "other" if rng.random() < 0.5 else "no_police_action"
        return "no_police_action"

    def amend(self, actor: Person) -> None:
        """A correction after close (days later); the contact keeps its original value."""
        rng = self.rng
        gen = self.gen
        row = self.row
        field = rng.choice(("narrative", "narrative", "location", "agent_name"))
        before = row[field]
        after = {
            "narrative": f"{before} {rng.choice(EXTRAS)}",
            "location": gen._location(),
            "agent_name": gen._person_name(),
        }[field]
        reason = rng.choice(AMEND_REASONS)
        at = self.t + rng_minutes(rng, 60, 14 * 24 * 60)
        if at > gen.end:
            return
        amendment_id = gen._next("intake_amendment")
        self.event(
            "contact.amended",
            actor,
            {
                "amendment": amendment_id,
                "field": field,
                "before": before,
                "after": after,
                "reason": reason,
            },
            at=at,
        )
        gen._row(
            "intake_amendment",
            (amendment_id, self.cid, field, before, after, reason, actor.id, gen._ts(at)),
        )

    def review(self, auditor: Person | None, note: str, *, automatic: bool) -> None:
        """A review: opened (by an auditor, or by the system on a distress), maybe closed."""
        rng = self.rng
        gen = self.gen
        opened = self.t + 1000 if automatic else self.t + rng_minutes(rng, 60, 20 * 24 * 60)
        if opened > gen.end:
            return
        review_id = gen._next("intake_review")
        payload: dict[str, Any] = {"review": review_id, "note": note}
        if automatic:
            payload["automatic"] = True
        ip = self.entered.ip if automatic else None
        obj = ("intake.review", review_id)
        self.event("review.opened", auditor, payload, at=opened, obj=obj, ip=ip)
        gen._row(
            "intake_review",
            (review_id, self.cid, note, auditor.id if auditor else None, gen._ts(opened)),
        )
        closed = opened + rng_minutes(rng, 60, 30 * 24 * 60)
        if rng.random() < 0.85 and closed <= gen.end:
            closer = rng.choice(gen.auditors)
            finding = FINDINGS(rng)
            finding_id = gen._next("intake_reviewfinding")
            note = FINDING_NOTES[finding]
            self.event(
                "review.closed",
                closer,
                {"review": review_id, "finding": finding, "note": note},
                at=closed,
                obj=("intake.reviewfinding", finding_id),
            )
            gen._row(
                "intake_reviewfinding",
                (finding_id, review_id, finding, note, closer.id, gen._ts(closed)),
            )

    def distress(self) -> None:
        """P9: an officer in distress; units go at once and a review opens by itself."""
        rng = self.rng
        row = self.row
        taker = self.entered
        row.update(
            officer_in_distress=True,
            officer_in_distress_at=self.t,
            flagged_for_review=True,
            permitted="full",
        )
        self.t += 1000
        self.event("contact.officer_in_distress", taker, {"flagged_for_review": True})
        self.review(None, AUTOMATIC_REVIEW, automatic=True)
        self.t += 2000
        evaluation = self.gen._evaluate(self.facts())[0]
        for _ in range(rng.choice((1, 2, 2, 3))):
            self.assign(taker, evaluation, None)
        if rng.random() < 0.8:
            self.caller(taker, 5, 20)
            self.request(taker, 1, 5)
        self.later(30, 180)
        self.close(taker if rng.random() < 0.5 else self.commander)

    def cancel(self) -> None:
        rng = self.rng
        if rng.random() < 0.6:
            self.caller(self.entered, 0.5, 2)
        self.later(0.5, 6)
        reason = rng.choice(CANCEL_REASONS)
        self.event("contact.cancelled", self.entered, {"reason": reason})
        self.row.update(
            status="cancelled", cancel_reason=reason, closed_by_id=self.entered.id, closed_at=self.t
        )


# --- Loading -----------------------------------------------------------------------------------


def _copy_sql(table: str) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, COLUMNS[table]))
    )


def _check_columns(conn: psycopg.Connection[Any]) -> None:
    """Every column that must be given a value is one this file fills: a column added by a
    later migration stops the build with its name, rather than loading a wrong data set."""
    missing = []
    for table, columns in COLUMNS.items():
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND table_name = %s AND is_nullable = 'NO' AND column_default IS NULL"
            " AND is_generated = 'NEVER' AND is_identity = 'NO'",
            [table],
        ).fetchall()
        missing += [f"{table}.{name}" for (name,) in rows if name not in columns]
    if missing:
        raise RuntimeError(
            "benchmarks/dataset.py does not fill " + ", ".join(missing) + ": teach it these"
        )


@dataclass
class _Schema:
    """The keys, indexes and foreign keys of the bulk tables, to drop and make again."""

    foreign_keys: list[tuple[str, str, str]]
    keys: list[tuple[str, str, str]]
    indexes: list[tuple[str, str]]

    @classmethod
    def read(cls, conn: psycopg.Connection[Any]) -> _Schema:
        tables = list(BULK_TABLES)
        constraint = (
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
        )
        foreign_keys = conn.execute(
            constraint + " AND contype = 'f' AND (conrelid::regclass::text = ANY(%s)"
            " OR confrelid::regclass::text = ANY(%s)) ORDER BY 1, 2",
            [tables, tables],
        ).fetchall()
        keys = conn.execute(
            constraint + " AND contype IN ('p', 'u', 'x') AND conrelid::regclass::text = ANY(%s)"
            " ORDER BY contype, 1, 2",
            [tables],
        ).fetchall()
        indexes = conn.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid::regclass::text = ANY(%s)"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid"
            " AND k.contype IN ('p', 'u', 'x'))"
            " ORDER BY 1",
            [tables],
        ).fetchall()
        return cls(list(foreign_keys), list(keys), list(indexes))

    def drop(self, conn: psycopg.Connection[Any]) -> None:
        for table, name, _ in self.foreign_keys + self.keys:
            conn.execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
            )
        for name, _ in self.indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))

    def restore(self, conn: psycopg.Connection[Any], started: float) -> None:
        for table, name, definition in self.keys:
            conn.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
                + sql.SQL(definition)
            )
            conn.commit()
            log(f"key {name}", None, started)
        for name, definition in self.indexes:
            conn.execute(sql.SQL(definition))
            conn.commit()
            log(f"index {name}", None, started)
        for table, name, definition in self.foreign_keys:
            conn.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
                + sql.SQL(definition)
            )
            conn.commit()
        log("foreign keys", len(self.foreign_keys), started)


def _copy_small(conn: psycopg.Connection[Any], gen: Generator) -> None:
    """The small tables' rows kept by the generator, one COPY each, committed."""
    with conn.cursor() as cursor:
        for table, rows in gen.small.items():
            with cursor.copy(_copy_sql(table)) as copy:
                for values in rows:
                    copy.write_row(values)
    conn.commit()
    gen.small.clear()


def _session(conn: psycopg.Connection[Any]) -> None:
    # A lost commit costs only a rebuild; index builds get the memory to sort in one pass.
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("SET work_mem = '256MB'")


def build(url: str, contacts: int, *, seed: int = SEED) -> tuple[dict[str, int], str]:
    """Load ``contacts`` contacts and their story into the migrated, empty database at
    ``url``; returns the rows written per table and the log's head hash."""
    _django()
    from django.contrib.auth.hashers import make_password

    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        _session(conn)
        _check_columns(conn)
        (entries,) = conn.execute("SELECT count(*) FROM intake_event").fetchone() or (0,)
        if entries:
            raise RuntimeError("the bench database's log is not empty")
        groups: dict[str, int] = dict(conn.execute("SELECT name, id FROM auth_group").fetchall())
        schema = _Schema.read(conn)
        schema.drop(conn)
        conn.commit()

        gen = Generator(contacts, seed, groups)
        gen.staff(make_password(BENCH_PASSWORD))
        _copy_small(conn, gen)  # committed first: the small tables' foreign keys stay on
        with contextlib.ExitStack() as stack:
            for table in BULK_TABLES:
                # One connection per table: their COPYs run side by side, each in its own
                # server process, while this one generates the rows.
                copy_conn = stack.enter_context(psycopg.connect(url))
                copy_conn.execute("SET synchronous_commit = off")
                cursor = stack.enter_context(copy_conn.cursor())
                # A writer thread sends the data: generating never waits for the socket.
                writer = QueuedLibpqWriter(cursor)
                copy = stack.enter_context(cursor.copy(_copy_sql(table), writer=writer))
                gen.write[table] = copy.write_row
            gen.run()
            log("generated", gen.counts["intake_contact"], started)
        log("copied", gen.counts["intake_event"], started)
        gen.write.clear()
        gen.finish_small_tables()
        _copy_small(conn, gen)
        counts = dict(sorted(gen.counts.items()))

        conn.execute(
            "UPDATE intake_loghead SET count = %s, hash = %s WHERE id = 1",
            [gen.entry_id, gen.head],
        )
        for table in COLUMNS:
            if table in {"intake_event", "intake_referencecounter"}:
                continue  # entries are numbered by the log itself; counters keyed by year
            conn.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({table}, 'id'),"
                    " coalesce(max(id), 1), max(id) IS NOT NULL) FROM {name}"
                ).format(table=sql.Literal(table), name=sql.Identifier(table))
            )
        conn.commit()
        schema.restore(conn, started)
    with psycopg.connect(url, autocommit=True) as conn:
        _session(conn)
        conn.execute("VACUUM ANALYZE")
    log("vacuum analyze", None, started)
    return counts, gen.head


# --- Command line -------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.dataset [--contacts N]``: build or reuse, print the URL."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dataset", description=__doc__)
    parser.add_argument(
        "--contacts", type=int, default=None, help="default: BENCH_CONTACTS or 1,000,000"
    )
    parser.add_argument("--database", help="database name (default bench_<contacts>)")
    parser.add_argument("--rebuild", action="store_true", help="build again even if complete")
    args = parser.parse_args(argv)
    url = ensure_dataset(args.contacts, database=args.database, rebuild=args.rebuild)
    found = marker(urlsplit(url).path.lstrip("/"))
    if found is not None:
        print(
            f"dataset: {found.contacts:,} contacts, built in {found.seconds:.0f} s: "
            + ", ".join(f"{table} {rows:,}" for table, rows in found.counts.items()),
            file=sys.stderr,
        )
    print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
