"""Five consecutive failed sign-ins lock a username until an administrator releases it."""

from __future__ import annotations

import pytest
from django.test import Client

from intake.models import Event
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(username: str, password: str) -> int:
    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code


def signed_in(username: str) -> bool:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_username_even_for_the_right_password(ct_user, co_user):
    for _ in range(4):
        assert attempt("ct", "wrong") == 200
    assert signed_in("ct")  # a success resets the count: failures must be consecutive
    for _ in range(5):
        attempt("ct", "wrong")
    assert not signed_in("ct")
    response = Client().post("/accounts/login/", {"username": "ct", "password": PASSWORD})
    assert response.status_code == 403 and "Account locked" in response.content.decode()
    assert signed_in("co")  # other accounts are untouched
    assert Event.objects.filter(action="auth.locked_out", payload={"username": "ct"}).exists()


def test_an_administrator_releases_it_and_the_release_is_logged(ct_user, admin_user, admin_account):
    for _ in range(5):
        attempt("ct", "wrong")
    page = admin_user.get("/administration/lockouts/").content.decode()
    assert ">ct<" in page
    admin_user.post("/administration/lockouts/release/", {"username": "ct"})
    assert signed_in("ct")
    event = Event.objects.get(action="auth.lockout_released")
    assert event.actor == admin_account and event.payload == {"username": "ct"}


def test_only_administrators_release(ct_user, commanding_officer):
    for _ in range(5):
        attempt("ct", "wrong")
    response = commanding_officer.post("/administration/lockouts/release/", {"username": "ct"})
    assert response.status_code == 403
    assert not signed_in("ct")
