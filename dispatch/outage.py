"""When the database is unreachable: a quick, plain 503 that keeps what the user typed.

Any request may fail on its first query (the session, the user, the page's data), in a
middleware or a view, so the answer is given from ``handler500``: Django calls it for every
uncaught exception wherever it was raised. The page needs no database: no user, no context
processors, no session. Nothing is half-written: every service runs in one transaction, which
PostgreSQL rolls back when the connection drops.
"""

from __future__ import annotations

import logging

import psycopg
from django import db
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template import loader
from django.urls import reverse

from dispatch.request_id import request_id

logger = logging.getLogger("dispatch.outage")

RETRY_AFTER_SECONDS = 10

# Never echoed back: secrets, and the tokens Django and the app add to every form.
_NOT_SHOWN = {"password", "csrfmiddlewaretoken", "otp_token", "token"}
# A field's value shown back is cut here; the page must stay small whatever was posted.
_MAX_SHOWN = 20_000

# SQLSTATEs that mean "the server is not there for us now": connection exceptions (class 08),
# shutdowns and start-ups (57P01-57P03), no connection slots left (53300).
_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300"}


def _means_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, db.InterfaceError | psycopg.InterfaceError):
        return True  # a connection already closed or lost
    if isinstance(exc, psycopg.OperationalError):
        state = exc.sqlstate
        # No SQLSTATE: the client could not connect or lost the server mid-query. Other
        # operational errors (a query too complex, cancelled, a deadlock) are real errors.
        return state is None or state.startswith("08") or state in _UNAVAILABLE_STATES
    return False


def database_unavailable(exc: BaseException | None) -> bool:
    """True when ``exc`` (or what caused it) says the database cannot be reached now."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if _means_unavailable(exc):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _posted(request: HttpRequest) -> QueryDict | None:
    """The POST data, or None for other methods and bodies that cannot be read."""
    if request.method != "POST":
        return None
    try:
        return request.POST
    except Exception:  # an unreadable body (too large, malformed) has nothing to keep
        return None


def kept_fields(posted: QueryDict) -> list[tuple[str, str]]:
    """The submitted fields to show back, in the order sent, without secrets or tokens."""
    return [
        (name, value[:_MAX_SHOWN])
        for name, values in posted.lists()
        if name not in _NOT_SHOWN
        for value in values
    ]


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After; a POST gets its input back in a form it can send again."""
    if request.path == reverse("healthz"):
        # A monitor with a session cookie fails in the session middleware before the view.
        response: HttpResponse = JsonResponse(
            {"status": "unavailable", "database": "unreachable"}, status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    posted = _posted(request)
    body = loader.get_template("unavailable.html").render(
        {
            "request_id": request_id.get(),
            "retry_after": RETRY_AFTER_SECONDS,
            "was_post": request.method == "POST",
            "fields": kept_fields(posted) if posted is not None else [],
            "action": request.get_full_path(),
            "csrf_token_value": posted.get("csrfmiddlewaretoken", "") if posted else "",
        }
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    logger.warning(
        "database unavailable: %s %s answered 503%s",
        request.method,
        request.path,
        " (input shown back, not saved)" if request.method == "POST" else "",
    )
    return response
