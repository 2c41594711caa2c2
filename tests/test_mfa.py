"""Multi-factor sign-in: enrol with a QR code, verify, recovery codes, nothing else before it."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.models import Event
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mfa_on(settings):
    settings.MFA_REQUIRED = True


def password_sign_in(username: str = "ct") -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    return client


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The app's code; a code already used is refused (replay), so a later one may be needed."""
    clock = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    clock.time = time.time() + steps_ahead * device.step
    return f"{clock.token():06d}"


def enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/account/mfa/enrol/").content.decode()
    assert 'data-testid="mfa-qr"' in page
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/account/mfa/enrol/", {"code": code_for(device)})
    codes = re.findall(r"<li>([a-z0-9]+)</li>", response.content.decode())
    return device, codes


def test_a_password_alone_reaches_only_the_enrolment(ct_user):
    client = password_sign_in()
    response = client.get("/calltaker/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/mfa/enrol/?next=/calltaker/")


def test_enrolment_shows_a_local_qr_code_and_recovery_codes_once(ct_user):
    client = password_sign_in()
    svg = client.get("/account/mfa/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    device, codes = enrol(client)
    device.refresh_from_db()
    assert device.confirmed and len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/calltaker/").status_code == 200
    assert Event.objects.filter(action="mfa.enrolled", actor=ct_user).exists()
    assert client.get("/account/mfa/qr.svg").status_code == 404  # no second enrolment


def test_a_wrong_enrolment_code_is_refused(ct_user):
    client = password_sign_in()
    client.get("/account/mfa/enrol/")
    response = client.post("/account/mfa/enrol/", {"code": "000000"})
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_next_sign_in_asks_for_the_code(ct_user):
    device, _codes = enrol(password_sign_in())
    client = password_sign_in()
    response = client.get("/calltaker/")
    assert response["Location"].startswith("/account/mfa/verify/")
    bad = client.post("/account/mfa/verify/", {"code": "123456", "next": "/calltaker/"})
    assert "That code is not right" in bad.content.decode()
    assert Event.objects.filter(action="mfa.failed").exists()
    device.refresh_from_db()
    device.throttle_reset()  # the failure above starts django-otp's back-off
    replay = client.post("/account/mfa/verify/", {"code": code_for(device)})
    assert "That code is not right" in replay.content.decode()  # enrolment used this one
    device.refresh_from_db()
    device.throttle_reset()
    good = client.post(
        "/account/mfa/verify/", {"code": code_for(device, steps_ahead=1), "next": "/calltaker/"}
    )
    assert good.status_code == 302 and good["Location"] == "/calltaker/"
    assert client.get("/calltaker/").status_code == 200


def test_a_recovery_code_works_once(ct_user):
    _device, codes = enrol(password_sign_in())
    first = password_sign_in()
    first.post("/account/mfa/verify/", {"code": codes[0]})
    assert first.get("/calltaker/").status_code == 200
    assert Event.objects.filter(action="mfa.recovery_used").exists()
    second = password_sign_in()
    second.post("/account/mfa/verify/", {"code": codes[0]})
    assert second.get("/calltaker/").status_code == 302


def test_the_demo_says_when_mfa_is_off(settings, client):
    assert 'data-testid="mfa-off"' not in client.get("/accounts/login/").content.decode()
    settings.MFA_REQUIRED = False
    assert 'data-testid="mfa-off"' in client.get("/accounts/login/").content.decode()


def test_an_administrator_resets_a_lost_authenticator(ct_user, admin_user, admin_account, settings):
    from django.urls import reverse

    enrol(password_sign_in())
    device = TOTPDevice.objects.get(user=ct_user)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    settings.MFA_REQUIRED = False  # the administrator's own second factor is not the point here
    response = admin_user.post(url, {"post": "yes"})
    settings.MFA_REQUIRED = True
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=ct_user).exists()
    event = Event.objects.get(action="mfa.reset")
    assert event.actor == admin_account and event.payload == {"user": "ct"}
    client = password_sign_in()
    assert client.get("/calltaker/")["Location"].startswith("/account/mfa/enrol/")
