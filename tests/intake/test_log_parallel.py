"""verify_log split across processes: the same answer as the sequential walk, to the message.

The log here has 40 entries walked as 4 segments (after entries 0, 10, 20 and 30), so every
break can be put exactly at a segment's edge. The entries must be committed (the worker
processes read through their own connections), hence transactional tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from intake.log import (
    Verification,
    canonical,
    entry_hash,
    event_record,
    log_head,
    verify,
    verify_parallel,
)
from intake.log import parallel as parallel_module
from intake.log.parallel import cuts
from intake.models import Event

pytestmark = pytest.mark.django_db(transaction=True)

ENTRIES = 40
WORKERS = 4


@pytest.fixture(autouse=True)
def parallel_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test here that quietly fell back to the sequential walk would prove nothing."""

    def fallback(*args: Any, **kwargs: Any) -> Verification:
        raise AssertionError("verify_parallel fell back to the sequential walk")

    monkeypatch.setattr(parallel_module, "verify", fallback)


@pytest.fixture
def hashes() -> dict[int, str]:
    """A committed log of ENTRIES entries: each id's stored hash."""
    for i in range(ENTRIES):
        with transaction.atomic():
            event_record(action="test.entry", actor=None, payload={"i": i, "text": "é\n"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, hash FROM intake_event")
        return dict(cursor.fetchall())


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """What the database's superuser could do: edit the log with its triggers off."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def both(
    anchor: tuple[int, str] | None = None, workers: int = WORKERS
) -> tuple[Verification, Verification]:
    """The sequential and the parallel answer, read in one REPEATABLE READ snapshot."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        head = log_head()
        sequential = verify(anchor=anchor, head=head)
        parallel = verify_parallel(anchor=anchor, head=head, workers=workers, min_entries=0)
    return sequential, parallel


def problem(anchor: tuple[int, str] | None = None) -> str | None:
    sequential, parallel = both(anchor)
    assert parallel == sequential
    return parallel.problem


def test_the_segments_are_the_ones_these_tests_break_at():
    assert cuts(ENTRIES, WORKERS) == [0, 10, 20, 30]


@pytest.mark.parametrize("workers", [2, 3, WORKERS, 7, ENTRIES])
def test_an_intact_chain_gives_the_same_count_and_head(hashes, workers):
    sequential, parallel = both(workers=workers)
    assert parallel == sequential == Verification(ENTRIES, hashes[ENTRIES])


def test_a_changed_entry_in_the_second_segment(hashes):
    tamper("UPDATE intake_event SET payload = %s WHERE id = 15", ['{"i": "forged"}'])
    assert problem() == "entry 15: changed content (its hash no longer matches what it holds)"


def test_the_first_break_in_id_order_wins_over_later_segments(hashes):
    tamper("UPDATE intake_event SET payload = '{}' WHERE id IN (15, 35)")
    assert problem() == "entry 15: changed content (its hash no longer matches what it holds)"
    tamper("DELETE FROM intake_event WHERE id = 5")
    assert problem() == "entry 5: gap, the next entry is 6"


def test_a_broken_link_exactly_at_a_segment_boundary(hashes):
    # Entry 20, a segment's last, rehashed by a forger: valid on its own, but entry 21 (the
    # next segment's first) still links to the old hash. The next segment must be seeded with
    # 20's stored hash, not take 21's word for it.
    forged = Event.objects.get(pk=20)
    forged_hash = entry_hash(
        canonical(
            entry_id=20,
            at=forged.at,
            actor_id=forged.actor_id,
            actor_role=forged.actor_role,
            source_ip=forged.source_ip,
            action="test.forged",
            contact_id=forged.contact_id,
            object_type=forged.object_type,
            object_id=forged.object_id,
            payload=forged.payload,
            prev_hash=forged.prev_hash,
        )
    )
    tamper("UPDATE intake_event SET action = 'test.forged', hash = %s WHERE id = 20", [forged_hash])
    assert problem() == "entry 21: broken link, it does not follow entry 20"


def test_a_changed_boundary_entry(hashes):
    tamper("UPDATE intake_event SET hash = %s WHERE id = 20", ["f" * 64])
    assert problem() == "entry 20: changed content (its hash no longer matches what it holds)"


def test_a_relinked_boundary_entry_is_a_broken_link(hashes):
    tamper("UPDATE intake_event SET prev_hash = %s WHERE id = 11", [hashes[9]])
    assert problem() == "entry 11: broken link, it does not follow entry 10"


@pytest.mark.parametrize(
    ("removed", "expected"),
    [
        ("id = 20", "entry 20: gap, the next entry is 21"),  # a segment's last entry
        ("id = 21", "entry 21: gap, the next entry is 22"),  # the next one's first
        ("id = 10", "entry 10: gap, the next entry is 11"),
        ("id BETWEEN 11 AND 20", "entry 11: gap, the next entry is 21"),  # a whole segment
        ("id BETWEEN 11 AND 30", "entry 11: gap, the next entry is 31"),  # two of them
        ("id BETWEEN 20 AND 21", "entry 20: gap, the next entry is 22"),
        ("id = 1", "entry 1: gap, the next entry is 2"),
    ],
)
def test_a_gap_at_a_segment_boundary(hashes, removed, expected):
    tamper(f"DELETE FROM intake_event WHERE {removed}")
    assert problem() == expected


@pytest.mark.parametrize(
    ("removed", "last"),
    [("id = 40", 39), ("id > 30", 30), ("id > 25", 25), ("id > 20", 20), ("id > 0", 0)],
)
def test_a_missing_tail(hashes, removed, last):
    tamper(f"DELETE FROM intake_event WHERE {removed}")
    assert problem() == f"entry {last}: the log ends here but its head records 40 entries"


def test_entries_past_the_recorded_head_are_caught(hashes):
    with transaction.atomic():
        event_record(action="test.entry", actor=None, payload={"i": "extra"})
    tamper("UPDATE intake_loghead SET count = %s, hash = %s", [ENTRIES, hashes[ENTRIES]])
    assert problem() == "entry 41: the log ends here but its head records 40 entries"


def test_an_entry_before_the_first_is_caught(hashes):
    tamper(
        "INSERT INTO intake_event (id, at, actor_id, actor_role, source_ip, action, contact_id,"
        " object_type, object_id, payload, prev_hash, hash) SELECT 0, at, actor_id, actor_role,"
        " source_ip, action, contact_id, object_type, object_id, payload, prev_hash, %s"
        " FROM intake_event WHERE id = 1",
        ["a" * 64],
    )
    assert problem() == "entry 1: gap, the next entry is 0"


@pytest.mark.parametrize("entry", [1, 10, 15, 20, 21, 30, 40])
def test_an_anchor_in_any_segment(hashes, entry):
    assert problem((entry, hashes[entry])) is None
    assert problem((entry, "f" * 64)) == f"entry {entry}: does not match the anchor {'f' * 64}"


@pytest.mark.parametrize("entry", [0, 41, 100_000])
def test_an_anchor_the_log_never_reaches(hashes, entry):
    assert problem((entry, "f" * 64)) == f"entry {entry}: missing, the log has only 40 entries"


def test_an_anchor_past_a_cut_tail(hashes):
    tamper("DELETE FROM intake_event WHERE id > 30")
    assert problem((35, hashes[35])) == "entry 35: missing, the log has only 30 entries"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def small_logs_in_parallel(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(parallel_module, "PARALLEL_MIN_ENTRIES", 0)
    yield


def test_verify_log_walks_in_parallel_with_the_same_output(hashes, small_logs_in_parallel):
    assert run("verify_log", "--workers", "3") == f"OK: 40 entries, head {hashes[40]}"
    assert run("verify_log", "--anchor", f"20:{hashes[20]}").endswith("extends anchor 20")
    tamper("DELETE FROM intake_event WHERE id = 14")
    with pytest.raises(CommandError) as raised:
        run("verify_log", "--workers", "3")
    assert (str(raised.value), raised.value.returncode) == (
        "FAIL: entry 14: gap, the next entry is 15",
        1,
    )
    with pytest.raises(CommandError, match="at least 1") as raised:
        run("verify_log", "--workers", "0")
    assert raised.value.returncode == 2


def test_a_transaction_that_wrote_walks_its_own_entries_sequentially(hashes, monkeypatch):
    # Other connections cannot see its uncommitted entries: the walk stays in this process.
    monkeypatch.setattr(parallel_module, "verify", verify)
    with transaction.atomic():
        entry = event_record(action="test.entry", actor=None, payload={"i": "uncommitted"})
        result = verify_parallel(head=log_head(), workers=WORKERS, min_entries=0)
    assert result == Verification(ENTRIES + 1, entry.hash)


def test_a_worker_failure_is_raised_not_reported_as_a_verdict(hashes, monkeypatch):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("the disk went away")

    monkeypatch.setattr(parallel_module, "_walk_segment", broken)
    with pytest.raises(RuntimeError, match="the disk went away"):
        both()
