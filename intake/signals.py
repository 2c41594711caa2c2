"""Sign-in, sign-out and failed sign-in attempts go into the contact log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from intake.log import event_record


@receiver(user_logged_in)
def signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    with transaction.atomic():
        event_record(action="auth.signed_in", actor=user, obj=user)


@receiver(user_logged_out)
def signed_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        with transaction.atomic():
            event_record(action="auth.signed_out", actor=user, obj=user)


@receiver(user_login_failed)
def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # Django has already masked the password in `credentials`; the username is what was typed.
    username = str(credentials.get("username", ""))[:150]
    with transaction.atomic():
        event_record(action="auth.sign_in_failed", actor=None, payload={"username": username})
