"""The data set's constants: version, size, seed, users, time span and units; progress lines."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

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

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LOUISVILLE = ZoneInfo("America/Kentucky/Louisville")
# Six years of contacts, fixed dates so the data set is the same whenever it is built.
START = datetime(2020, 11, 1, tzinfo=LOUISVILLE)
END = datetime(2026, 11, 1, tzinfo=LOUISVILLE)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SECOND = 1_000_000  # times are integer microseconds since the epoch
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def log(stage: str, rows: int | None, started: float) -> None:
    """One progress line on standard error: stage, rows, seconds since ``started``."""
    count = f"{rows:,} rows, " if rows is not None else ""
    print(f"dataset: {stage}: {count}{time.perf_counter() - started:.1f} s", file=sys.stderr)


def _to_us(moment: datetime) -> int:
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds


def _from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)
