"""The auditor's dashboard and the public transparency report (no personal data, ever)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from intake.models import Contact
from intake.reports import PUBLIC_COLUMNS, shown
from intake.services import contacts
from tests.intake.flows import LOCAL_WARRANT, decided, handed_over

pytestmark = pytest.mark.django_db

SECRETS = [
    "Zebulon Secretname",
    "999 Hidden Lane",
    "PRIVATE-NARRATIVE-TEXT",
    "BADGE-SECRET-77",
    "Subject Quietperson",
    "REC-SECRET-1",
]


@pytest.fixture
def personal(ct_user, co_user):
    made = []
    for _ in range(4):
        contact = handed_over(
            ct_user, co_user, location="999 Hidden Lane", subject_name="Subject Quietperson"
        )
        Contact.objects.filter(pk=contact.pk).update(
            agent_name="Zebulon Secretname",
            agent_badge="BADGE-SECRET-77",
            narrative="PRIVATE-NARRATIVE-TEXT",
            callback_recording_ref="REC-SECRET-1",
        )
        made.append(contact)
    decided(ct_user, co_user, **LOCAL_WARRANT)
    return made


def test_small_counts_are_suppressed():
    assert [shown(n) for n in (0, 1, 2, 3, 40)] == ["0", "<3", "<3", "3", "40"]


def test_public_report_needs_no_sign_in_and_shows_counts(personal):
    page = Client().get("/transparency/").content.decode()
    assert "By quarter" in page and "By month" in page
    contacts_row = re.search(r"<td>Contacts</td>(.*?)</tr>", page, re.S)
    assert contacts_row is not None and ">5<" in contacts_row.group(1)
    assert "&lt;3" in page  # the single decided contact
    assert re.search(r"\d+:[0-9a-f]{64}", page)  # the log anchor


def test_no_personal_field_reaches_the_public_report(personal):
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/transparency/").content.decode()
        csv_text = client.get("/transparency.csv").content.decode()
    references = [c.reference for c in personal]
    for text in (page, csv_text):
        for secret in [*SECRETS, *references]:
            assert secret not in text
    # Structurally: the report's SQL reads no contact column outside the whitelist.
    public = {name for name in PUBLIC_COLUMNS if "__" not in name} | {"id"}
    personal_columns = {f.column for f in Contact._meta.concrete_fields if f.name not in public}
    assert {"agent_name", "location", "narrative", "reference"} <= personal_columns
    report_sql = " ".join(
        q["sql"] for q in queries.captured_queries if "intake_contact" in q["sql"]
    )
    assert report_sql
    for column in personal_columns:
        assert f'"intake_contact"."{column}"' not in report_sql, column


def test_cancelled_contacts_are_left_out(ct_user):
    contact = contacts.contact_create(actor=ct_user, channel="radio")
    contacts.contact_cancel(contact=contact, actor=ct_user, reason="Wrong number")
    page = Client().get("/transparency/").content.decode()
    assert "No contacts recorded yet." in page


def test_dashboard_shows_chart_median_and_exceptions(auditor, ct_user, co_user):
    decided(ct_user, co_user, **LOCAL_WARRANT)
    handed_over(ct_user, co_user)
    contacts.contact_create(actor=ct_user, channel="radio", officer_in_distress=True)
    page = auditor.get("/auditor/").content.decode()
    assert 'data-testid="chart"' in page and "<rect" in page
    assert re.search(r'data-testid="median">\d+(\.\d)? min<', page)
    assert "Under review" in page and "Recorded callback missing" in page
