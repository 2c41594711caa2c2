"""The auditor's contact log: filters in the URL, search, keyset pages, export, reviews."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC

import pytest

from dispatch.roles import Role
from intake.models import Contact, Event, Review
from intake.services import contacts, reviews
from intake.services.common import ServiceError
from tests.conftest import make_user, signed_in
from tests.intake.flows import LOCAL_WARRANT, decided, handed_over

pytestmark = pytest.mark.django_db


def references(page: str) -> list[str]:
    return re.findall(r">(FA-\d{4}-\d{5})</a>", page)


@pytest.fixture
def mixed(ct_user, co_user):
    """A decided warrant case, a door knock handed over, and an officer-in-distress call."""
    warrant = decided(ct_user, co_user, **LOCAL_WARRANT, location="1200 S 4th Street")
    knock = handed_over(ct_user, co_user, location="800 Camden Avenue")
    Contact.objects.filter(pk=knock.pk).update(agency="cbp")
    distress = contacts.contact_create(actor=ct_user, channel="radio", officer_in_distress=True)
    return warrant, knock, distress


def test_auditor_sees_every_contact_newest_first(auditor, mixed):
    page = auditor.get("/log/").content.decode()
    warrant, knock, distress = mixed
    assert references(page) == [distress.reference, knock.reference, warrant.reference]


def test_log_rows_show_words_and_escape_names(auditor, mixed, co_user):
    co_user.first_name, co_user.last_name = "<b>Lt", "Ray</b>"
    co_user.save()
    page = auditor.get("/log/").content.decode()
    assert "&lt;b&gt;Lt Ray&lt;/b&gt;" in page and "<b>Lt" not in page
    assert "Full assistance" in page and "Customs and Border Protection (CBP)" in page
    assert '<span class="badge text-bg-danger">distress</span>' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("agency=cbp", [1]),
        ("decision=full", [0]),
        ("decision=undecided", [2, 1]),
        ("flag=officer_in_distress", [2]),
        ("flag=under_review", [2]),
        ("flag=callback_missing", [2, 1]),
        ("permitted=full", [2, 0]),
        ("q=Camden", [1]),
        ("q=street", [0]),
    ],
)
def test_filters_and_search_live_in_the_url(auditor, mixed, query, expected):
    page = auditor.get(f"/log/?{query}").content.decode()
    assert references(page) == [mixed[i].reference for i in expected], query


def test_search_by_exact_reference(auditor, mixed):
    page = auditor.get(f"/log/?q={mixed[1].reference}").content.decode()
    assert references(page) == [mixed[1].reference]


def test_sorting_by_a_column(auditor, mixed):
    page = auditor.get("/log/?sort=reference&dir=asc").content.decode()
    assert references(page) == sorted(c.reference for c in mixed)


def test_keyset_pages_have_no_gaps_or_overlaps(auditor, ct_user):
    for _ in range(57):
        contacts.contact_create(actor=ct_user, channel="radio")
    first = auditor.get("/log/").content.decode()
    cursor = re.search(r'after=([^"]+)" data-testid="next-page"', first)
    assert cursor is not None
    second = auditor.get(f"/log/?after={cursor.group(1)}".replace("&amp;", "&")).content.decode()
    seen = references(first) + references(second)
    assert len(references(first)) == 50 and len(references(second)) == 7
    assert sorted(seen, reverse=True) == seen and len(set(seen)) == 57
    assert 'data-testid="next-page"' not in second


def test_a_mangled_page_link_starts_again(auditor, mixed):
    response = auditor.get("/log/?after=forged")
    assert "no longer valid" in response.content.decode()
    assert len(references(response.content.decode())) == 3


def test_export_streams_exactly_the_filter_and_is_logged(auditor, mixed):
    response = auditor.get("/log/export.csv?agency=cbp")
    assert response.streaming and response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "reference" and [r[0] for r in rows[1:]] == [mixed[1].reference]
    row = dict(zip(rows[0], rows[1], strict=True))
    contact = mixed[1]
    # Times in ISO 8601 UTC and flags as words, whatever writes the CSV.
    assert row["received_at"] == contact.received_at.astimezone(UTC).isoformat()
    assert row["officer_in_distress"] == str(contact.officer_in_distress)
    assert row["agency"] == "cbp" and row["closed_at"] == ""
    event = Event.objects.get(action="log.exported")
    assert event.payload == {"filter": {"agency": ["cbp"]}} and event.actor_role == "auditor"


def test_export_refuses_an_invalid_filter(auditor):
    response = auditor.get("/log/export.csv?received_from=yesterday")
    assert response.status_code == 400 and b"received_from" in response.content


@pytest.mark.parametrize("role", [Role.CALL_TAKER, Role.OFFICER, Role.ADMINISTRATOR])
def test_other_roles_are_refused_the_log(role):
    client = signed_in(make_user("someone", role))
    assert client.get("/log/").status_code == 403
    assert client.get("/log/export.csv").status_code == 403


def test_commanders_read_the_log_but_do_not_export(commanding_officer):
    assert commanding_officer.get("/log/").status_code == 200
    assert commanding_officer.get("/log/export.csv").status_code == 403


def test_auditor_opens_and_closes_a_review(auditor, auditor_user, mixed):
    warrant = mixed[0]
    auditor.post(f"/intake/{warrant.reference}/reviews/", {"note": "Check the warrant."})
    review = Review.objects.get(contact=warrant)
    auditor.post(
        f"/intake/{warrant.reference}/reviews/{review.pk}/close/",
        {"finding": "proper", "note": "Warrant verified, CO on scene first."},
    )
    review.refresh_from_db()
    assert review.finding.finding == "proper" and review.finding.closed_by == auditor_user
    page = auditor.get(f"/intake/{warrant.reference}/").content.decode()
    assert "Finding: Proper" in page and 'data-testid="raw-log"' in page
    with pytest.raises(ServiceError, match="already closed"):
        reviews.review_close(review=review, actor=auditor_user, finding="improper", note="x")
    assert [e.action for e in Event.objects.filter(contact=warrant)][-2:] == [
        "review.opened",
        "review.closed",
    ]


def test_commanders_cannot_review(commanding_officer, mixed):
    response = commanding_officer.post(f"/intake/{mixed[0].reference}/reviews/", {"note": "x"})
    assert response.status_code == 403


def test_a_system_entry_shows_on_the_timeline(auditor, mixed):
    page = auditor.get(f"/intake/{mixed[2].reference}/")
    assert page.status_code == 200
    assert "the system" in page.content.decode()
