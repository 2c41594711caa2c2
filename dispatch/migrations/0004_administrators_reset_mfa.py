"""Administrators may reset a user's lost authenticator (delete the device; logged)."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = [
    ("otp_totp", "totpdevice", "view_totpdevice"),
    ("otp_totp", "totpdevice", "delete_totpdevice"),
    ("otp_static", "staticdevice", "view_staticdevice"),
    ("otp_static", "staticdevice", "delete_staticdevice"),
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Administrators")
    for app_label, model, codename in GRANTS:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Administrators").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(codename__in=[codename for _, _, codename in GRANTS])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0003_assignment"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
