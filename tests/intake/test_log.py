"""The contact log: gap-free, hash-chained, append-only in PostgreSQL, verifiable."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError
from django.test import Client

from intake.log import GENESIS, event_record, log_head, verify
from intake.models import Event
from intake.services import contacts
from tests.conftest import PASSWORD
from tests.intake.flows import LOCAL_WARRANT, decided

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def behind_the_triggers_back(sql: str, params: list[str | int]) -> None:
    """What an attacker with the database's superuser could do: edit with triggers off."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def test_entries_are_numbered_without_gaps_and_chained(ct_user, co_user):
    decided(ct_user, co_user, **LOCAL_WARRANT)
    entries = list(Event.objects.order_by("id"))
    assert [e.id for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    assert log_head() == (entries[-1].id, entries[-1].hash)


def test_a_rolled_back_change_leaves_no_gap(ct_user):
    before = Event.objects.count()  # the persona's own account entries
    contacts.contact_create(actor=ct_user, channel="radio")
    with pytest.raises(RuntimeError), transaction.atomic():
        contacts.contact_create(actor=ct_user, channel="radio")
        raise RuntimeError("the change failed after its entry was written")
    contacts.contact_create(actor=ct_user, channel="radio")
    assert list(Event.objects.values_list("id", flat=True)) == list(range(1, before + 3))


def test_entries_record_who_from_where(ct_user):
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.post("/accounts/login/", {"username": "ct", "password": PASSWORD})
    client.post("/accounts/login/", {"username": "ct", "password": "wrong"})
    signed_in, failed = Event.objects.filter(action__startswith="auth.").order_by("id")
    assert (signed_in.action, signed_in.actor, signed_in.source_ip) == (
        "auth.signed_in",
        ct_user,
        "10.1.2.3",
    )
    assert signed_in.object_type == "auth.user" and signed_in.actor_role == "call_taker"
    assert failed.action == "auth.sign_in_failed" and failed.payload == {"username": "ct"}
    assert "wrong" not in str(failed.payload)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE intake_event SET action = 'forged' WHERE id = 1",
        "DELETE FROM intake_event WHERE id = 1",
        "DELETE FROM intake_event",
    ],
)
def test_raw_sql_cannot_change_the_log(ct_user, sql):
    contacts.contact_create(actor=ct_user, channel="radio")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert Event.objects.filter(action="contact.created").count() == 1


@pytest.mark.django_db(transaction=True)
def test_raw_truncate_cannot_empty_the_log(ct_user):
    contacts.contact_create(actor=ct_user, channel="radio")
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE intake_event")
    assert Event.objects.filter(action="contact.created").count() == 1


def test_verify_log_passes_on_an_intact_log(ct_user, co_user):
    decided(ct_user, co_user, **LOCAL_WARRANT)
    count, head = log_head()
    assert run("verify_log") == f"OK: {count} entries, head {head}"


def test_verify_log_names_an_entry_changed_behind_the_triggers_back(ct_user, co_user):
    decided(ct_user, co_user, **LOCAL_WARRANT)
    behind_the_triggers_back(
        "UPDATE intake_event SET payload = %s WHERE id = 7", ['{"level": "deny"}']
    )
    with pytest.raises(CommandError) as raised:
        run("verify_log")
    assert raised.value.returncode == 1
    assert str(raised.value) == (
        "FAIL: entry 7: changed content (its hash no longer matches what it holds)"
    )


def test_verify_log_names_a_removed_entry(ct_user, co_user):
    decided(ct_user, co_user, **LOCAL_WARRANT)
    behind_the_triggers_back("DELETE FROM intake_event WHERE id = 4", [])
    with pytest.raises(CommandError, match="FAIL: entry 4: gap, the next entry is 5"):
        run("verify_log")


def test_verify_log_names_a_rehashed_entry_by_its_broken_link(ct_user, co_user):
    from intake.log import canonical, entry_hash

    decided(ct_user, co_user, **LOCAL_WARRANT)
    forged = Event.objects.get(pk=3)
    forged.action = "contact.forged"
    # The forger recomputes entry 3's own hash, but entry 4 still points at the old one.
    new_hash = entry_hash(
        canonical(
            entry_id=3,
            at=forged.at,
            actor_id=forged.actor_id,
            actor_role=forged.actor_role,
            source_ip=forged.source_ip,
            action=forged.action,
            contact_id=forged.contact_id,
            object_type=forged.object_type,
            object_id=forged.object_id,
            payload=forged.payload,
            prev_hash=forged.prev_hash,
        )
    )
    behind_the_triggers_back(
        "UPDATE intake_event SET action = %s, hash = %s WHERE id = 3", ["contact.forged", new_hash]
    )
    with pytest.raises(CommandError, match="FAIL: entry 4: broken link"):
        run("verify_log")


def test_verify_log_notices_a_cut_tail(ct_user, co_user):
    decided(ct_user, co_user, **LOCAL_WARRANT)
    count, _ = log_head()
    behind_the_triggers_back("DELETE FROM intake_event WHERE id = %s", [count])
    with pytest.raises(CommandError, match=f"the log ends here but its head records {count}"):
        run("verify_log")


def test_an_anchor_proves_the_log_still_extends_it(ct_user, co_user):
    contacts.contact_create(actor=ct_user, channel="radio")
    anchor = run("log_anchor")
    count = int(anchor.split(":")[0])
    decided(ct_user, co_user, **LOCAL_WARRANT)
    assert run("verify_log", "--anchor", anchor).endswith(f"extends anchor {count}")
    with pytest.raises(CommandError, match=f"entry {count}: does not match the anchor"):
        run("verify_log", "--anchor", f"{count}:{'f' * 64}")
    with pytest.raises(CommandError, match="missing, the log has only"):
        run("verify_log", "--anchor", f"100000:{'f' * 64}")
    with pytest.raises(CommandError, match="COUNT:HASH") as raised:
        run("verify_log", "--anchor", "nonsense")
    assert raised.value.returncode == 2


def test_verify_works_on_given_rows_without_a_database():
    assert verify([]).ok and verify([]).entries == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_the_chain(ct_user):
    def append(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    event_record(action="test.append", actor=None, payload={"n": n, "i": i})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Event.objects.filter(action="test.append").count() == 80
    with transaction.atomic():  # the chain is read through a server-side cursor
        result = verify(head=log_head())
    assert result.ok, result.problem


def test_canonical_form_is_sorted_compact_json():
    import json
    from datetime import UTC, datetime

    from intake.log import canonical

    fields = {
        "entry_id": 12,
        "at": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        "actor_id": 7,
        "actor_role": "auditor",
        "source_ip": "::1",
        "action": "contact.created",
        "contact_id": None,
        "object_type": "intake.contact",
        "object_id": "9",
        "payload": {"b": [1, "é\n"], "a": {"z": None, "y": True}},
        "prev_hash": "ab",
    }
    expected = json.dumps(
        {
            "action": "contact.created",
            "actor": 7,
            "at": "2026-01-02T03:04:05.000006+00:00",
            "contact": None,
            "id": 12,
            "ip": "::1",
            "object": ["intake.contact", "9"],
            "payload": fields["payload"],
            "prev": "ab",
            "role": "auditor",
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    assert canonical(**fields) == expected
