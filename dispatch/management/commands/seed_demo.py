"""``manage.py seed_demo``: one demo user per role and a few units. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dispatch.models import Unit
from dispatch.roles import Role
from intake.demo import seed_contacts
from intake.models import CommanderDuty

DEMO_USERS = {
    "calltaker": (Role.CALL_TAKER, "Casey", "Calltaker"),
    "commander": (Role.COMMANDING_OFFICER, "Morgan", "Commander"),
    "officer": (Role.OFFICER, "Oliver", "Officer"),
    "auditor": (Role.AUDITOR, "Avery", "Auditor"),
    "admin": (Role.ADMINISTRATOR, "Alex", "Admin"),
}

DEMO_UNITS = {
    "1A11": "First Division patrol",
    "2B21": "Second Division patrol",
    "4C31": "Fourth Division patrol",
    "6D41": "Sixth Division patrol",
    "SWAT-1": "Special Response Team",
}


class Command(BaseCommand):
    help = "Create (or reset) the demo users, one per role, and a few demo units."

    def handle(self, *args: Any, **options: Any) -> None:
        password = settings.DEMO_PASSWORD
        if not password:
            raise CommandError("DEMO_PASSWORD is empty")
        with transaction.atomic():
            for username, (role, first, last) in DEMO_USERS.items():
                try:
                    group = Group.objects.get(name=role.group)
                except Group.DoesNotExist:
                    raise CommandError(
                        f"group {role.group!r} is missing: run 'manage.py migrate' first"
                    ) from None
                user, _ = User.objects.get_or_create(username=username)
                user.first_name, user.last_name = first, last
                user.is_active = True
                # Administrators use Django's admin for users and units; nobody is superuser.
                user.is_staff = role is Role.ADMINISTRATOR
                user.is_superuser = False
                user.set_password(password)
                user.save()
                user.groups.set([group])
            for call_sign, description in DEMO_UNITS.items():
                Unit.objects.get_or_create(
                    call_sign=call_sign, defaults={"description": description}
                )
            users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERS)}
            # The demo commander is on duty, so call-takers can notify them at once.
            CommanderDuty.objects.update_or_create(
                user=users["commander"], defaults={"on_duty": True}
            )
            created = seed_contacts(
                calltaker=users["calltaker"],
                commander=users["commander"],
                officer=users["officer"],
            )
        self.stdout.write(f"Demo logins, each with the password {password!r} (DEMO_PASSWORD):")
        for username, (role, _first, _last) in DEMO_USERS.items():
            self.stdout.write(f"  {username:<10} {role.label}")
        if created:
            self.stdout.write(f"Demo contacts: {created}, in every state.")
