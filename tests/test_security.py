"""Security controls that are in place: sessions, transport settings, the system-use notice."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.helpers import manage

pytestmark = pytest.mark.django_db


def aged(client: Client, **ages: int) -> None:
    session = client.session
    now = int(time.time())
    for key, seconds in ages.items():
        session[f"_{key}"] = now - seconds
    session.save()


def test_an_idle_session_ends_after_30_minutes(call_taker):
    assert call_taker.get("/calltaker/").status_code == 200
    aged(call_taker, seen=31 * 60)
    response = call_taker.get("/calltaker/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in call_taker.session
    assert call_taker.get("/calltaker/").status_code == 302


def test_activity_keeps_a_session_alive(call_taker):
    call_taker.get("/calltaker/")
    aged(call_taker, seen=29 * 60)
    assert call_taker.get("/calltaker/").status_code == 200


def test_a_session_ends_after_12_hours_however_active(call_taker):
    call_taker.get("/calltaker/")
    aged(call_taker, started=12 * 3600 + 60, seen=10)
    assert call_taker.get("/calltaker/").status_code == 302


def test_sign_in_issues_a_new_session_id(ct_user):
    client = Client()
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "attacker-chosen-session-id"
    client.post("/accounts/login/", {"username": "ct", "password": PASSWORD})
    assert client.cookies["sessionid"].value != "attacker-chosen-session-id"


def test_sign_in_page_shows_the_system_use_notice(client):
    page = client.get("/accounts/login/").content.decode()
    for words in ("Restricted system", "monitored and", "is a crime", "consent"):
        assert words in page


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "false",
            "HTTPS": "true",
            "ALLOWED_HOSTS": "dispatch.louisvilleky.gov",
            "SECRET_KEY": "k3Y-" + "x9Qz!pL2#vB7$wN4" * 4,
            "DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_without_https(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "false",
            "SECRET_KEY": "k3Y-" + "x9Qz!pL2#vB7$wN4" * 4,
            "DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr + result.stdout


def test_pages_carry_the_security_headers(call_taker):
    response = call_taker.get("/calltaker/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_content_security_policy_allows_only_our_own_files(call_taker):
    policy = call_taker.get("/calltaker/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_templates_hold_no_inline_script_or_style():
    import re

    from tests.helpers import ROOT

    templates = list((ROOT / "templates").rglob("*.html"))
    assert templates
    for path in templates:
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"<style\b|\sstyle=", text), path
        assert not re.search(r"\son[a-z]+=", text), path  # no inline event handlers


def test_signed_in_pages_are_never_stored(call_taker, client):
    assert call_taker.get("/calltaker/")["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/transparency/").get("Cache-Control", "")


def test_passwords_need_12_characters_and_may_not_be_common():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short-pass1", "password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct horse battery staple")


def test_state_changes_need_the_csrf_token(ct_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ct_user)
    assert client.post("/intake/distress/", {"channel": "radio"}).status_code == 403


def test_the_commander_who_decided_cannot_close_the_review(ct_user, co_user, auditor_user):
    from django.contrib.auth.models import Group

    from dispatch.roles import Role
    from intake.services import reviews
    from intake.services.common import ServiceError
    from tests.intake.flows import LOCAL_WARRANT, decided

    contact = decided(ct_user, co_user, **LOCAL_WARRANT)
    review = reviews.review_open(contact=contact, actor=auditor_user, note="Check it.")
    # The commander later moves to the audit team: still not the one to judge their own call.
    co_user.groups.set([Group.objects.get(name=Role.AUDITOR.group)])
    co_user = type(co_user).objects.get(pk=co_user.pk)
    with pytest.raises(ServiceError, match="cannot close its review"):
        reviews.review_close(review=review, actor=co_user, finding="proper", note="Fine.")
    reviews.review_close(review=review, actor=auditor_user, finding="proper", note="Fine.")


def test_the_benchmark_admin_of_contacts_is_not_mounted_outside_make_bench(admin_user):
    # make bench mounts the stock admin changelist of contacts to compare with; never otherwise.
    assert admin_user.get("/bench-admin/intake/contact/").status_code == 404
