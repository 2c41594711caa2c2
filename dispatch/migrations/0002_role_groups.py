"""Create the five role groups and grant each its permissions.

The mapping is frozen here, as migrations must be; a later change of a role's rights is a new
migration.
"""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Call-takers": [
        ("intake", "capability", "record_contact"),
        ("dispatch", "unit", "view_unit"),
        ("dispatch", "unit", "assign_unit"),
    ],
    "Commanding officers": [
        ("intake", "capability", "decide_contact"),
        ("intake", "capability", "view_contact_log"),
        ("dispatch", "unit", "view_unit"),
        ("dispatch", "unit", "assign_unit"),
    ],
    "Officers": [
        ("intake", "capability", "report_direct_contact"),
    ],
    "Auditors": [
        ("intake", "capability", "view_contact_log"),
        ("intake", "capability", "review_contact"),
        ("dispatch", "unit", "view_unit"),
    ],
    "Administrators": [
        ("auth", "user", "add_user"),
        ("auth", "user", "change_user"),
        ("auth", "user", "view_user"),
        ("auth", "group", "view_group"),
        ("dispatch", "unit", "add_unit"),
        ("dispatch", "unit", "change_unit"),
        ("dispatch", "unit", "view_unit"),
    ],
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally made after all migrations (post_migrate); make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_role_permissions(apps)


def grant_role_permissions(apps):
    """Create each group with its permissions (also used by tests after a flush)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = [
            Permission.objects.get(
                content_type__app_label=app_label,
                content_type__model=model,
                codename=codename,
            )
            for app_label, model, codename in grants
        ]
        group.permissions.set(permissions)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0001_initial"),
        ("intake", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
