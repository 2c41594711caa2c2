"""``manage.py backup`` and ``restore`` against the embedded PostgreSQL, with real pg_dump."""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from psycopg import sql

from intake.log import _COLUMNS, event_record, log_head, verify
from intake.models import Contact, Event
from tests.helpers import manage
from tests.intake.flows import handed_over


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def backup_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "backups"
    monkeypatch.setenv("BACKUP_DIR", str(folder))
    return folder


def backup() -> tuple[Path, dict]:
    """Run ``manage.py backup``; return the dump and its JSON record."""
    line = run("backup")
    dump = Path(line.split(":", 1)[0])
    assert dump.name.startswith("dispatch-") and dump.name.endswith("Z.dump"), line
    record = json.loads(dump.with_name(dump.name + ".json").read_text())
    return dump, record


@pytest.fixture
def empty_database() -> Iterator[Callable[[], str]]:
    """Make empty databases on the test server (a URL for each); drop them all afterwards."""
    params = connection.get_connection_params()
    server = {key: params[key] for key in ("host", "port", "user") if params.get(key)}
    made: list[str] = []

    def admin() -> psycopg.Connection:
        return psycopg.connect(**server, dbname="postgres", autocommit=True)

    def make() -> str:
        name = f"test_restore_{uuid.uuid4().hex[:8]}"
        with admin() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
            )
        made.append(name)
        port = server.get("port", "")
        return f"postgresql://{server['user']}@:{port}/{name}?host={quote(server['host'])}"

    yield make
    with admin() as conn:
        for name in made:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def tables_in(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.django_db(transaction=True)
def test_a_restore_holds_exactly_what_the_backup_held(ct_user, co_user, backup_dir, empty_database):
    kept = [handed_over(ct_user, co_user) for _ in range(2)]
    entries = list(Event.objects.order_by("id").values_list("id", "hash"))
    dump, record = backup()
    assert record["log"] == {"entries": len(entries), "head": entries[-1][1]}
    assert (len(entries), entries[-1][1]) == log_head()
    digest = hashlib.sha256(dump.read_bytes()).hexdigest()
    # sha256sum's own format, so `sha256sum -c` checks it too.
    assert dump.with_name(dump.name + ".sha256").read_text() == f"{digest}  {dump.name}\n"
    assert not list(backup_dir.glob(".*")), "no temporary file is left behind"

    later = handed_over(ct_user, co_user)  # after the backup: must not come back
    assert log_head()[0] > len(entries)

    url = empty_database()
    line = run("restore", str(dump), "--database-url", url)
    assert f"log verified, {len(entries)} entries, head {entries[-1][1]}" in line

    with psycopg.connect(url) as conn:
        restored = conn.execute("SELECT id, hash FROM intake_event ORDER BY id").fetchall()
        contacts = {row[0] for row in conn.execute("SELECT id FROM intake_contact")}
        head = conn.execute("SELECT count, hash FROM intake_loghead").fetchall()
        with conn.cursor(name="check") as cursor:
            cursor.execute(f"SELECT {', '.join(_COLUMNS)} FROM intake_event ORDER BY id")
            check = verify(cursor, head=(len(entries), entries[-1][1]))
    assert restored == entries
    assert head == [(len(entries), entries[-1][1])]
    assert contacts == {contact.pk for contact in kept}
    assert later.pk not in contacts
    assert check.ok, check.problem
    # The project's own verifier agrees, and the append-only triggers came back with the data.
    verified = manage("verify_log", env={"DATABASE_URL": url})
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.strip() == f"OK: {len(entries)} entries, head {entries[-1][1]}"
    with psycopg.connect(url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE intake_event SET action = 'x' WHERE id = 1")


@pytest.mark.django_db(transaction=True)
def test_the_recorded_head_is_the_dumps_own_while_the_log_grows(backup_dir, empty_database):
    stop = threading.Event()
    appended = [0]

    def append() -> None:
        try:
            while not stop.is_set():
                event_record(action="test.tick", actor=None)
                appended[0] += 1
        finally:
            connections.close_all()

    writer = threading.Thread(target=append)
    writer.start()
    try:
        dump, record = backup()
        during = appended[0]
    finally:
        stop.set()
        writer.join()
    assert during > 0 and log_head()[0] > record["log"]["entries"], "the log grew meanwhile"
    # restore compares the restored head with the recorded one and fails on any difference.
    line = run("restore", str(dump), "--database-url", empty_database())
    assert f"{record['log']['entries']} entries" in line and "as the backup recorded" in line


@pytest.mark.django_db
def test_a_corrupted_or_unchecked_dump_is_refused(backup_dir, empty_database):
    dump, _ = backup()
    url = empty_database()
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, in the middle of the data
    dump.write_bytes(bytes(data))

    refused = manage("restore", str(dump), "--database-url", url)
    assert refused.returncode != 0
    assert refused.stderr.strip().count("\n") == 0, refused.stderr  # one plain line
    assert "checksum mismatch" in refused.stderr
    assert tables_in(url) == 0

    dump.with_name(dump.name + ".sha256").unlink()
    with pytest.raises(CommandError, match=r"\.sha256: missing"):
        run("restore", str(dump), "--database-url", url)
    with pytest.raises(CommandError, match="no such file"):
        run("restore", str(dump.with_name("nothing.dump")), "--database-url", url)
    assert tables_in(url) == 0


@pytest.mark.django_db
def test_a_database_that_is_not_empty_is_refused(ct_user, co_user, backup_dir):
    handed_over(ct_user, co_user)
    dump, _ = backup()
    before = (Contact.objects.count(), log_head())
    # The configured (test) database is migrated and holds contacts.
    with pytest.raises(CommandError, match=r"is not empty .*CREATE DATABASE"):
        run("restore", str(dump))
    assert (Contact.objects.count(), log_head()) == before


@pytest.mark.django_db(transaction=True)
def test_a_restored_log_that_does_not_verify_fails_the_restore(
    ct_user, co_user, backup_dir, empty_database
):
    handed_over(ct_user, co_user)
    with connection.cursor() as cursor:  # a superuser editing behind the triggers' back
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE intake_event SET action = 'contact.deleted' WHERE id = 2")
        cursor.execute("SET session_replication_role = origin")
    dump, _ = backup()
    with pytest.raises(CommandError, match="the log does not verify: entry 2: changed content"):
        run("restore", str(dump), "--database-url", empty_database())


@pytest.mark.django_db
def test_a_restore_that_ends_short_of_the_recorded_head_fails(backup_dir, empty_database):
    dump, record = backup()
    # A dump paired with another backup's record (or a record edited) does not pass.
    record["log"]["entries"] += 1
    dump.with_name(dump.name + ".json").write_text(json.dumps(record))
    with pytest.raises(CommandError, match="but the backup recorded"):
        run("restore", str(dump), "--database-url", empty_database())
