"""The project's URLs plus one view that fails, for the error-page tests."""

from __future__ import annotations

import psycopg
from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from dispatch.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@login_not_required
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals: password=hunter2")


@login_not_required
def database_down(request: HttpRequest) -> HttpResponse:
    try:
        raise psycopg.OperationalError("connection to server failed: No such file or directory")
    except psycopg.OperationalError as exc:
        raise OperationalError(str(exc)) from exc  # as Django's backend wraps it


urlpatterns = [path("broken/", broken), path("db-down/", database_down), *urlpatterns]
