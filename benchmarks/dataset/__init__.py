"""The benchmark data set: BENCH_CONTACTS contacts with their whole story, built once, kept.

``ensure_dataset()`` returns the ``DATABASE_URL`` of a database ``bench_<N>`` on the app's own
PostgreSQL server (the embedded one under ``DATA_DIR``, or the ``DATABASE_URL`` server): made
by the app's migrations, then loaded with COPY. Each contact goes through the app's real steps
(the actions and payloads the services write, the policy engine deciding what is permitted),
with its decision, assignments, reviews and amendments, and every step is an entry of the
hash-chained log, computed with ``intake.log``'s own functions so ``verify_log`` passes.

The database's comment records that a build completed (contacts, seed, data set version and
the migrations it was made with); a database without it, or made by other migrations or another
version of this package, is dropped and built again. ``python -m benchmarks.dataset`` builds or
reuses one and prints its URL.
"""

from benchmarks.dataset.build import build
from benchmarks.dataset.cache import (
    MARKER_KIND,
    Marker,
    dataset_url,
    drop_dataset,
    ensure_dataset,
    marker,
)
from benchmarks.dataset.choice import Weighted, rng_minutes, zipf
from benchmarks.dataset.cli import main
from benchmarks.dataset.columns import BULK_TABLES, COLUMNS, CONTACT_COLUMNS, EVENT_COLUMNS
from benchmarks.dataset.config import (
    BASE_DIR,
    BENCH_PASSWORD,
    DATASET_VERSION,
    DAY,
    DEFAULT_CONTACTS,
    END,
    EPOCH,
    HOUR,
    LOUISVILLE,
    MINUTE,
    SECOND,
    SEED,
    START,
    USERS,
    log,
)
from benchmarks.dataset.generator import Generator
from benchmarks.dataset.people import Agent, Person
from benchmarks.dataset.server import contacts_setting, database_name, migration_names, server_url

__all__ = [
    "BASE_DIR",
    "BENCH_PASSWORD",
    "BULK_TABLES",
    "COLUMNS",
    "CONTACT_COLUMNS",
    "DATASET_VERSION",
    "DAY",
    "DEFAULT_CONTACTS",
    "END",
    "EPOCH",
    "EVENT_COLUMNS",
    "HOUR",
    "LOUISVILLE",
    "MARKER_KIND",
    "MINUTE",
    "SECOND",
    "SEED",
    "START",
    "USERS",
    "Agent",
    "Generator",
    "Marker",
    "Person",
    "Weighted",
    "build",
    "contacts_setting",
    "database_name",
    "dataset_url",
    "drop_dataset",
    "ensure_dataset",
    "log",
    "main",
    "marker",
    "migration_names",
    "rng_minutes",
    "server_url",
    "zipf",
]
