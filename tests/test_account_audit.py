"""Changes to accounts and roles are logged, with who made them, even through Django's admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from dispatch.roles import Role
from intake.models import Event

pytestmark = pytest.mark.django_db


def test_admin_changes_to_a_user_are_logged_with_the_administrator(admin_user, admin_account):
    user = User.objects.create_user("newbie", password="a-long-enough-password")
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = admin_user.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "username": "newbie",
            "first_name": "New",
            "last_name": "Bie",
            "is_active": "",
            "groups": [Group.objects.get(name=Role.AUDITOR.group).pk],
        }
    )
    data.pop("is_active")  # unticked: the account is disabled
    response = admin_user.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    changed = Event.objects.filter(action="user.changed", object_id=str(user.pk)).last()
    assert changed is not None and changed.actor == admin_account
    assert changed.payload["changes"]["is_active"] == [True, False]
    groups = Event.objects.filter(action="user.groups_changed", object_id=str(user.pk)).last()
    assert groups is not None and groups.payload["now"] == [Role.AUDITOR.group]
    assert groups.actor == admin_account


def test_a_password_change_is_logged_without_the_hash(ct_user):
    ct_user.set_password("another-long-password")
    ct_user.save()
    event = Event.objects.filter(action="user.changed").last()
    assert event is not None and event.payload == {"changes": {}, "password": "changed"}
    assert ct_user.password not in str(event.payload)


def test_a_disabled_account_is_signed_out_at_once(call_taker, ct_user):
    assert call_taker.get("/calltaker/").status_code == 200
    ct_user.is_active = False
    ct_user.save()
    assert call_taker.get("/calltaker/").status_code == 302


def test_sign_in_alone_is_not_logged_as_an_account_change(ct_user, client):
    from tests.conftest import PASSWORD

    client.post("/accounts/login/", {"username": "ct", "password": PASSWORD})
    assert not Event.objects.filter(action="user.changed").exists()
    assert Event.objects.filter(action="auth.signed_in").exists()


def test_administrators_cannot_grant_superuser_or_loose_permissions(admin_user):
    user = User.objects.create_user("plain", password="a-long-enough-password")
    form = (
        admin_user.get(reverse("admin:auth_user_change", args=[user.pk])).context["adminform"].form
    )
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
