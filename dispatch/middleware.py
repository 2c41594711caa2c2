"""Request context for the contact log: the client address each entry records."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from intake.log import source_ip


class AuditContextMiddleware:
    """Make the client's address available to ``event_record`` for this request only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # REMOTE_ADDR: gunicorn's peer. Behind a proxy, the proxy is responsible for passing it.
        token = source_ip.set(request.META.get("REMOTE_ADDR", "")[:45])
        try:
            return self.get_response(request)
        finally:
            source_ip.reset(token)
