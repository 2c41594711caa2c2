"""Sign-in events and changes to accounts and roles go into the contact log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.log import current_actor, event_record


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


# --- Accounts and roles: who changed what, including through Django's admin ---------------

AUDITED_USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
)


def _actor() -> User | None:
    actor = current_actor.get()
    return actor if actor is not None and actor.is_authenticated else None


@receiver(pre_save, sender=User)
def _remember_user(sender: Any, instance: User, **kwargs: Any) -> None:
    old = (
        User.objects.filter(pk=instance.pk).values(*AUDITED_USER_FIELDS, "password").first()
        if instance.pk
        else None
    )
    instance._audit_before = old  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def user_saved(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_audit_before", None) or {}
    changes = {
        name: [before.get(name), getattr(instance, name)]
        for name in AUDITED_USER_FIELDS
        if created or before.get(name) != getattr(instance, name)
    }
    password_changed = bool(before) and before.get("password") != instance.password
    if not created and not changes and not password_changed:
        return  # e.g. last_login updated at sign-in: already logged as the sign-in
    payload: dict[str, Any] = {"changes": changes}
    if password_changed:
        payload["password"] = "changed"  # never the hash
    event_record(
        action="user.created" if created else "user.changed",
        actor=_actor(),
        obj=instance,
        payload=payload,
    )


@receiver(m2m_changed, sender=User.groups.through)
def user_groups_changed(
    sender: Any, instance: Any, action: str, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"} or not isinstance(instance, User):
        return
    names = sorted(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
    event_record(
        action="user.groups_changed",
        actor=_actor(),
        obj=instance,
        payload={
            "change": action.removeprefix("post_"),
            "groups": names,
            "now": sorted(instance.groups.values_list("name", flat=True)),
        },
    )


@receiver(m2m_changed, sender=Group.permissions.through)
def group_permissions_changed(
    sender: Any, instance: Any, action: str, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"} or not isinstance(instance, Group):
        return
    codenames = sorted(
        Permission.objects.filter(pk__in=pk_set or []).values_list("codename", flat=True)
    )
    event_record(
        action="group.permissions_changed",
        actor=_actor(),
        obj=instance,
        payload={"change": action.removeprefix("post_"), "permissions": codenames},
    )


@receiver(post_delete, sender=TOTPDevice)
def authenticator_removed(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    """An administrator reset a lost authenticator: the user enrols again at next sign-in,
    and the old recovery codes go with it."""
    StaticDevice.objects.filter(user=instance.user).delete()
    event_record(
        action="mfa.reset",
        actor=_actor(),
        obj=instance.user,
        payload={"user": instance.user.username},
    )
