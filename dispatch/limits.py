"""What no page accepts, refused before any of it is read: too large a body, a NUL in the address.

A body over Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` gets a plain 413 from its Content-Length
alone (Django would read up to the limit and answer a vague 400). A NUL in the path or the query
string gets a plain 400 naming the parameter: PostgreSQL refuses NUL in text, so a value passed on
without a form (a reference in the path, a filter kept in the log) would otherwise end in a 500.
Form fields refuse NUL themselves, beside the field (Django's ProhibitNullCharactersValidator).

Under WSGI, Django reads no body without a Content-Length (a chunked body arrives empty), so
the declared length is the whole of what can be read.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from dispatch import errors


def declared_length(request: HttpRequest) -> int:
    """The body's Content-Length; a missing or malformed one reads as 0, as Django reads it."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def nul_parameter(request: HttpRequest) -> str | None:
    """The first query parameter whose name or value holds a NUL, if any."""
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name
    return None


class RequestLimitsMiddleware:
    """Refuse an oversized body (413) or a NUL in the address (400) before anything reads them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and declared_length(request) > limit:
            return errors.request_too_large(request, limit)
        if "\x00" in request.path:
            return errors.bad_input(request, "The address contains a NUL character.")
        name = nul_parameter(request)
        if name is not None:
            # JSON quoting shows the NUL (and any other control character) as an escape.
            shown = json.dumps(name[:40], ensure_ascii=False)
            return errors.bad_input(
                request, f"The parameter {shown} contains a NUL character, which no field accepts."
            )
        return self.get_response(request)
