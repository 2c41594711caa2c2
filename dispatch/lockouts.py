"""Account lockouts (django-axes): the administrator's page to release them, and their log."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dispatch.roles import AuthenticatedRequest, Role, role_required
from intake.log import event_record


@receiver(user_locked_out)
def locked_out(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    with transaction.atomic():
        event_record(
            action="auth.locked_out", actor=None, payload={"username": (username or "")[:150]}
        )


@require_GET
@role_required(Role.ADMINISTRATOR)
def lockouts(request: AuthenticatedRequest) -> HttpResponse:
    locked = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")
    return render(request, "dispatch/lockouts.html", {"locked": locked})


@require_POST
@role_required(Role.ADMINISTRATOR)
def lockout_release(request: AuthenticatedRequest) -> HttpResponse:
    """Release a locked username; the release is logged with who did it."""
    username = request.POST.get("username", "")[:150]
    with transaction.atomic():
        # No username holds a NUL, and PostgreSQL refuses one in a query.
        released = reset(username=username) if "\x00" not in username else 0
        if released:
            event_record(
                action="auth.lockout_released", actor=request.user, payload={"username": username}
            )
    if released:
        messages.success(request, f"{username} may sign in again.")
    else:
        messages.error(request, f"{username} was not locked.")
    return redirect("dispatch-lockouts")
