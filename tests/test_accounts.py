"""Sign-in, sign-out, each role's landing page, and the refusal of every other role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from dispatch.roles import Role
from tests.conftest import PASSWORD, make_user

HOMES = {
    Role.CALL_TAKER: "/calltaker/",
    Role.COMMANDING_OFFICER: "/commander/",
    Role.OFFICER: "/officer/",
    Role.AUDITOR: "/auditor/",
    Role.ADMINISTRATOR: "/administration/",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_sign_in_lands_each_role_on_its_home_page(role):
    make_user(f"u-{role.value}", role)
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": f"u-{role.value}", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1] == (HOMES[role], 302)
    page = response.content.decode()
    assert f"{role.label} home" in page
    assert f"u-{role.value}" in page  # navigation bar: who
    assert f'data-testid="nav-role">{role.label}<' in page  # and which role
    assert "Sign out" in page


@pytest.mark.django_db
def test_wrong_password_re_renders_the_form_with_an_error():
    make_user("ct", Role.CALL_TAKER)
    response = Client().post("/accounts/login/", {"username": "ct", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in Client().session


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_other_role_is_refused_each_home_page(personas, role):
    for other, client in personas.items():
        response = client.get(HOMES[role])
        if other is role:
            assert response.status_code == 200, (other, role)
        else:
            assert response.status_code == 403, (other, role)
            assert "Not allowed" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", *HOMES.values()])
def test_anonymous_visitors_are_sent_to_sign_in(url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.django_db
def test_a_user_without_a_role_is_told_so():
    user = make_user("nobody", None)
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
    assert "no role yet" in response.content.decode()
    for url in HOMES.values():
        assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_sign_out_ends_the_session(call_taker):
    assert call_taker.get("/calltaker/").status_code == 200
    response = call_taker.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert call_taker.get("/calltaker/").status_code == 302


@pytest.mark.django_db
def test_sign_out_by_get_is_refused(call_taker):
    assert call_taker.get("/accounts/logout/").status_code == 405
    assert call_taker.get("/calltaker/").status_code == 200


@pytest.mark.django_db
def test_role_pages_refuse_post(call_taker):
    assert call_taker.post("/calltaker/").status_code == 405


@pytest.mark.django_db
def test_role_groups_carry_their_permissions():
    def codenames(role):
        return set(
            Group.objects.get(name=role.group).permissions.values_list("codename", flat=True)
        )

    assert "record_contact" in codenames(Role.CALL_TAKER)
    assert "decide_contact" not in codenames(Role.CALL_TAKER)  # P2: call-takers never decide
    assert "decide_contact" in codenames(Role.COMMANDING_OFFICER)
    assert "report_direct_contact" in codenames(Role.OFFICER)
    assert {"view_contact_log", "review_contact"} <= codenames(Role.AUDITOR)
    assert {"add_user", "change_unit"} <= codenames(Role.ADMINISTRATOR)
    # Auditors are read-only and administrators never decide or review contacts.
    assert not {c for c in codenames(Role.AUDITOR) if c.startswith(("add_", "change_", "delete_"))}
    assert not {"decide_contact", "review_contact", "record_contact"} & codenames(
        Role.ADMINISTRATOR
    )
    assert Permission.objects.filter(codename="assign_unit").exists()


@pytest.mark.django_db
def test_administrator_reaches_the_django_admin_for_users_and_units(admin_user):
    assert admin_user.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert admin_user.get(reverse("admin:dispatch_unit_changelist")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMINISTRATOR])
def test_other_roles_cannot_use_the_django_admin(personas, role):
    response = personas[role].get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_pages_load_bootstrap_and_htmx_from_our_own_static_files(call_taker):
    page = call_taker.get("/calltaker/").content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in page
    assert "/static/django_htmx/" in page or "htmx" in page
    assert "cdn" not in page.lower() and "https://" not in page


def test_user_model_is_django_default():
    assert User._meta.label == "auth.User"
