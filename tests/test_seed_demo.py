"""`manage.py seed_demo`: one demo user per role and a few units; safe to run twice."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
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
        user = authenticate(username=username, password="a-demo-password-for-tests")
        assert user is not None, username
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
    assert authenticate(username="auditor", password="second-demo-password") is not None
    assert authenticate(username="auditor", password="first-demo-password") is None
