"""The benchmark data set: built once with COPY, its log verified by the app, then reused."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from benchmarks import dataset

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def database() -> Iterator[str]:
    """A throw-away data set database, dropped whatever happens."""
    name = f"bench_test_{os.getpid()}"
    dataset.drop_dataset(name)
    yield name
    dataset.drop_dataset(name)


def _verify_log(url: str) -> str:
    """The app's own ``verify_log`` run against the data set."""
    result = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "verify_log"],
        env={**os.environ, "DATABASE_URL": url},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_tiny_data_set_is_built_verified_reused_and_rebuilt_when_partial(database):
    url = dataset.ensure_dataset(300, database=database)
    with psycopg.connect(url) as conn:
        contacts, decisions, events, head_count, head_hash, users_without_role = conn.execute(
            "SELECT (SELECT count(*) FROM intake_contact), (SELECT count(*) FROM intake_decision),"
            " (SELECT count(*) FROM intake_event), h.count, h.hash,"
            " (SELECT count(*) FROM auth_user u WHERE NOT EXISTS"
            "  (SELECT 1 FROM auth_user_groups g WHERE g.user_id = u.id))"
            " FROM intake_loghead h"
        ).fetchone()
        decided_above_permitted = conn.execute(
            "SELECT count(*) FROM intake_decision d JOIN intake_contact c ON c.id = d.contact_id"
            " WHERE (d.level = 'full' AND c.permitted <> 'full')"
            " OR (d.level = 'backup_only' AND c.permitted = 'none')"
        ).fetchone()
        per_contact = conn.execute(
            "SELECT min(n), max(n) FROM (SELECT count(*) n FROM intake_event"
            " WHERE contact_id IS NOT NULL GROUP BY contact_id) s"
        ).fetchone()
    assert contacts == 300
    assert 250 < decisions < 300  # cancelled and undecided contacts have none
    assert (head_count, head_hash) == (events, dataset.marker(database).head)
    assert events > 8 * contacts  # a contact's whole story: created ... closed
    assert per_contact[0] >= 2
    assert decided_above_permitted == (0,)  # P2: never more than the engine permits
    assert users_without_role == 0  # everyone holds one of the app's role groups
    assert _verify_log(url) == f"OK: {events} entries, head {head_hash}"

    first = dataset.marker(database)
    assert first is not None and first.counts["intake_contact"] == 300
    assert dataset.ensure_dataset(300, database=database) == url
    assert dataset.marker(database) == first  # reused, not built again

    # A build that never finished leaves no marker: the next call builds again, identically.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'COMMENT ON DATABASE "{database}" IS NULL')
    assert dataset.marker(database) is None
    assert dataset.ensure_dataset(300, database=database) == url
    again = dataset.marker(database)
    assert again is not None and again.built_at != first.built_at
    assert (again.counts, again.head) == (first.counts, first.head)  # seeded: the same data
