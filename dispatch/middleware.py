"""Request middleware: the client address for the log, and the session timeouts."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from dispatch.request_id import request_id
from intake.log import current_actor, source_ip


class AuditContextMiddleware:
    """Make the client's address available to ``event_record`` for this request only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # REMOTE_ADDR: gunicorn's peer. Behind a proxy, the proxy is responsible for passing it.
        token = source_ip.set(request.META.get("REMOTE_ADDR", "")[:45])
        actor = current_actor.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            current_actor.reset(actor)
            source_ip.reset(token)


class SessionTimeoutMiddleware:
    """End a session idle for SESSION_IDLE_MINUTES or older than SESSION_MAX_HOURS.

    Enforced on the server from times kept in the session, whatever the browser's cookie says.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("_started", now)
            seen = session.get("_seen", now)
            idle = now - seen > settings.SESSION_IDLE_MINUTES * 60
            too_old = now - started > settings.SESSION_MAX_HOURS * 3600
            if idle or too_old:
                logout(request)  # flushes the session server-side, logs the sign-out
                messages.info(
                    request,
                    "Your session ended after "
                    + ("a period without activity." if idle else "12 hours.")
                    + " Please sign in again.",
                )
                return redirect_to_login(request.get_full_path())
            if now - seen >= 30 or "_seen" not in session:  # saves a write per request
                session["_seen"] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Signed-in pages hold criminal-justice information: no browser or proxy may keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class RequestIdMiddleware:
    """Give every request an id: in the response header, every log line and the error pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_id.set(uuid.uuid4().hex[:12])
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            return response
        finally:
            request_id.reset(token)
