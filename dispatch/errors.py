"""Plain error pages that reveal nothing but a request id; refusals and errors are logged."""

from __future__ import annotations

import logging
import sys

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template import loader

from dispatch import outage
from dispatch.request_id import request_id

logger = logging.getLogger("dispatch.errors")


def _page(request: HttpRequest | None, status: int, title: str, text: str) -> HttpResponse:
    # A bare template: the error may come from the database or a context processor itself.
    body = loader.get_template("error.html").render(
        {"status": status, "title": title, "text": text, "request_id": request_id.get()}
    )
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    logger.warning("bad request: %s %s", request.method, request.path)
    return _page(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403: say why in the words the check gave, and log the refusal."""
    user = getattr(request, "user", None)
    logger.warning(
        "access refused: %s %s for %s",
        request.method,
        request.path,
        getattr(user, "username", "anonymous"),
    )
    if user is not None and user.is_authenticated:
        from intake.log import event_record

        try:
            with transaction.atomic():
                event_record(
                    action="access.refused",
                    actor=user,
                    payload={"method": request.method, "path": request.path[:300]},
                )
        except Exception:  # the refusal stands even if the log cannot be written now
            logger.exception("could not log a refused access")
    reason = str(exception) or "Your role does not give access to this page."
    return _page(request, 403, "Not allowed", reason)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 404, "Not found", "There is no page at this address.")


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its ``except`` block, so the exception is at hand: a database
    # outage is a 503 that keeps the user's input, not a 500.
    if outage.database_unavailable(sys.exc_info()[1]):
        return outage.unavailable_response(request)
    # Django has already logged the exception with its traceback (and our request id).
    return _page(
        request,
        500,
        "Something went wrong",
        "The error was logged. If it happens again, give this id to support.",
    )


def request_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """413: the body is over the limit; refused from its declared length, before it is read."""
    logger.warning(
        "request too large: %s %r (%s bytes)",
        request.method,
        request.path,  # repr: a hostile path stays on one log line
        request.META.get("CONTENT_LENGTH"),
    )
    return _page(
        request,
        413,
        "Request too large",
        f"The request is larger than this service accepts ({limit / 1_048_576:.1f} MB at most). "
        "Nothing was saved.",
    )


def bad_input(request: HttpRequest, text: str) -> HttpResponse:
    """400 saying what in the address was refused (``bad_request`` is for Django's own)."""
    logger.warning("bad input: %s %r: %s", request.method, request.path, text)
    return _page(request, 400, "Bad request", text)
