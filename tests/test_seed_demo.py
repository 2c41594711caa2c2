"""`manage.py seed_demo`: one demo user per role and a few units; safe to run twice."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from dispatch.models import Unit
from dispatch.roles import Role, user_role

EXPECTED = {
    "calltaker": Role.CALL_TAKER,
    "commander": Role.COMMANDING_OFFICER,
    "officer": Role.OFFICER,
    "auditor": Role.AUDITOR,
    "admin": Role.ADMINISTRATOR,
}


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_gives_each_role_a_user(settings, capsys):
    settings.DEMO_PASSWORD = "a-demo-password-for-tests"
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.count() == 5
    for username, role in EXPECTED.items():
        user = User.objects.get(username=username)
        assert user.is_active and user.check_password("a-demo-password-for-tests"), username
        assert user_role(user) is role
        assert user.groups.count() == 1
        assert not user.is_superuser
        assert user.is_staff is (role is Role.ADMINISTRATOR)
    assert Unit.objects.count() >= 3
    out = capsys.readouterr().out
    assert "calltaker" in out and "a-demo-password-for-tests" in out


@pytest.mark.django_db
def test_seed_demo_resets_a_changed_demo_password(settings):
    settings.DEMO_PASSWORD = "first-demo-password"
    call_command("seed_demo")
    settings.DEMO_PASSWORD = "second-demo-password"
    call_command("seed_demo")
    auditor = User.objects.get(username="auditor")
    assert auditor.check_password("second-demo-password")
    assert not auditor.check_password("first-demo-password")


@pytest.mark.django_db
def test_seed_demo_adds_contacts_in_every_state_once(settings):
    from dispatch.models import Assignment
    from intake.models import Contact, Decision, Event
    from intake.selectors import commander_queue

    settings.DEMO_PASSWORD = "a-demo-password-for-tests"
    call_command("seed_demo")
    count = Contact.objects.count()
    call_command("seed_demo")
    assert Contact.objects.count() == count >= 8
    statuses = set(Contact.objects.values_list("status", flat=True))
    assert statuses == {"open", "closed", "cancelled"}
    assert set(Decision.objects.values_list("level", flat=True)) == {"deny", "backup_only", "full"}
    assert Contact.objects.filter(officer_in_distress=True, flagged_for_review=True).exists()
    assert Contact.objects.filter(channel="direct_phone", entered_by__username="officer").exists()
    assert Assignment.objects.filter(level="backup_only", released_at__isnull=True).exists()
    assert Contact.objects.filter(amendments__isnull=False).exists()
    queue = commander_queue(user=User.objects.get(username="commander"))
    assert any(item.overdue for item in queue)
    # every demo contact has its timeline
    assert all(Event.objects.filter(contact=c).exists() for c in Contact.objects.all())
