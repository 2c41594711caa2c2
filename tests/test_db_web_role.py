"""The production web role cannot rewrite the log, even with the triggers out of the way."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from intake.services import contacts


@pytest.mark.django_db(transaction=True)
def test_web_role_may_insert_but_not_rewrite_the_log(ct_user):
    contacts.contact_create(actor=ct_user, channel="radio")
    role = f"web_{uuid.uuid4().hex[:8]}"
    call_command("db_web_role", "--role", role)
    params = connection.get_connection_params()
    try:
        with psycopg.connect(
            host=params["host"],
            port=params.get("port") or 5432,
            dbname=params["dbname"],
            user=role,
            autocommit=True,
        ) as web:
            assert web.execute(
                "SELECT count(*) FROM intake_event WHERE action = 'contact.created'"
            ).fetchone() == (1,)
            web.execute("UPDATE intake_contact SET location = 'x'")  # the app's own tables
            for statement in (
                "UPDATE intake_event SET action = 'x'",
                "DELETE FROM intake_event",
                "TRUNCATE intake_event",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                    web.execute(statement)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')
