"""Shared fixtures: one persona per role, signed in through Django's test client."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from django.test import Client

from dispatch.roles import Role
from intake.models import CommanderDuty

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # The manifest storage needs `collectstatic`; page tests only need the tags to resolve.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The MFA tests turn it on; elsewhere the personas sign in with force_login.
    settings.MFA_REQUIRED = False
    # Real hashing costs ~0.3 s a user; the hasher is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ensure_role_groups() -> None:
    """Transactional tests start from a flushed database: make the migration's groups again
    (permissions themselves come back through post_migrate)."""
    if not Group.objects.exists():
        migration = importlib.import_module("dispatch.migrations.0002_role_groups")
        migration.grant_role_permissions(django_apps)


def make_user(username: str, role: Role | None) -> User:
    ensure_role_groups()
    user = User.objects.create_user(username=username, password=PASSWORD)
    if role is not None:
        user.groups.add(Group.objects.get(name=role.group))
        if role is Role.ADMINISTRATOR:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ct_user(db) -> User:
    return make_user("ct", Role.CALL_TAKER)


@pytest.fixture
def co_user(db) -> User:
    user = make_user("co", Role.COMMANDING_OFFICER)
    CommanderDuty.objects.create(user=user, on_duty=True)
    return user


@pytest.fixture
def officer_user(db) -> User:
    return make_user("off", Role.OFFICER)


@pytest.fixture
def auditor_user(db) -> User:
    return make_user("aud", Role.AUDITOR)


@pytest.fixture
def admin_account(db) -> User:
    return make_user("adm", Role.ADMINISTRATOR)


@pytest.fixture
def call_taker(ct_user) -> Client:
    return signed_in(ct_user)


@pytest.fixture
def commanding_officer(co_user) -> Client:
    return signed_in(co_user)


@pytest.fixture
def officer(officer_user) -> Client:
    return signed_in(officer_user)


@pytest.fixture
def auditor(auditor_user) -> Client:
    return signed_in(auditor_user)


@pytest.fixture
def admin_user(admin_account) -> Client:
    return signed_in(admin_account)


@pytest.fixture
def personas(call_taker, commanding_officer, officer, auditor, admin_user) -> dict[Role, Client]:
    return {
        Role.CALL_TAKER: call_taker,
        Role.COMMANDING_OFFICER: commanding_officer,
        Role.OFFICER: officer,
        Role.AUDITOR: auditor,
        Role.ADMINISTRATOR: admin_user,
    }
