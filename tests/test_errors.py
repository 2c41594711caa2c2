"""Error pages are plain, carry a request id, and reveal nothing; refusals are logged."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, override_settings

from intake.models import Event

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="tests.error_urls", DEBUG=False)
def test_a_server_error_shows_only_a_request_id(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR):
        response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    request_id = response["X-Request-ID"]
    assert "Something went wrong" in page and request_id in page
    assert "hunter2" not in page and "Traceback" not in page and "RuntimeError" not in page
    assert any("hunter2" in (r.exc_text or "") or r.exc_info for r in caplog.records)


@override_settings(ROOT_URLCONF="tests.error_urls", DEBUG=False)
def test_a_database_outage_is_a_503_that_shows_the_input_back_but_never_a_password():
    client = Client(raise_request_exception=False)
    response = client.post(
        "/db-down/",
        {"agent_words": "<script>knock</script>", "password": "hunter2", "unit": ["A1", "B2"]},
    )
    assert response.status_code == 503 and response["Retry-After"] == "10"
    page = response.content.decode()
    assert "Not saved." in page and response["X-Request-ID"] in page
    assert "&lt;script&gt;knock&lt;/script&gt;" in page and "<script>knock" not in page
    assert ">A1</textarea>" in page and ">B2</textarea>" in page
    assert "hunter2" not in page and "Traceback" not in page
    # A plain GET is told to come back, with no form.
    answer = client.get("/db-down/")
    assert answer.status_code == 503 and "Not saved." not in answer.content.decode()


def test_not_found_is_plain(call_taker):
    response = call_taker.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no page at this address." in page
    assert "urlpatterns" not in page and "dispatch.urls" not in page


def test_a_refused_access_is_logged(call_taker, ct_user):
    response = call_taker.get("/commander/")
    assert response.status_code == 403 and response["X-Request-ID"]
    event = Event.objects.get(action="access.refused")
    assert event.actor == ct_user and event.payload == {"method": "GET", "path": "/commander/"}


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/healthz")["X-Request-ID"], client.get("/healthz")["X-Request-ID"]
    assert len(first) == 12 and first != second


def test_only_a_lost_database_counts_as_an_outage():
    import psycopg
    from django.db import OperationalError

    from dispatch.outage import database_unavailable

    def wrapped(error: BaseException) -> OperationalError:
        try:
            raise OperationalError(str(error)) from error
        except OperationalError as exc:
            return exc

    assert database_unavailable(wrapped(psycopg.OperationalError("connection failed")))
    assert database_unavailable(wrapped(psycopg.errors.AdminShutdown("terminating")))
    assert database_unavailable(wrapped(psycopg.errors.TooManyConnections("no slots")))
    # A real error in the query is a 500 to fix, not "come back later".
    assert not database_unavailable(wrapped(psycopg.errors.StatementTooComplex("stack depth")))
    assert not database_unavailable(wrapped(psycopg.errors.QueryCanceled("timeout")))
    assert not database_unavailable(RuntimeError("boom"))
