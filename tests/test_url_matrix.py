"""Every URL x every role x anonymous, generated from the URL configuration.

A new URL without an entry in MATRIX fails this test: access is decided, never defaulted.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dispatch.roles import Role
from intake.services import reviews
from tests.intake.flows import handed_over

CT, CO, OFF, AUD, ADM = (
    Role.CALL_TAKER,
    Role.COMMANDING_OFFICER,
    Role.OFFICER,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
)
ALL = {CT, CO, OFF, AUD, ADM}
PUBLIC = "public"

# name: (method, who may use it). Everyone else gets 403; anonymous visitors are sent to sign
# in, except on PUBLIC pages. The sample contact was entered by a call-taker, so officers are
# refused it (they see only their own reports).
MATRIX: dict[str, tuple[str, set[Role] | str]] = {
    "home": ("get", ALL),
    "healthz": ("get", PUBLIC),
    "login": ("get", PUBLIC),
    "logout": ("post", ALL),
    "dispatch-mfa-enrol": ("get", ALL),
    "dispatch-mfa-verify": ("get", ALL),
    "dispatch-mfa-qr": ("get", ALL),
    "intake-transparency": ("get", PUBLIC),
    "intake-transparency-csv": ("get", PUBLIC),
    "dispatch-admin-home": ("get", {ADM}),
    "dispatch-lockouts": ("get", {ADM}),
    "dispatch-lockout-release": ("post", {ADM}),
    "dispatch-contact-units": ("get", {CT, CO}),
    "intake-calltaker-home": ("get", {CT}),
    "intake-officer-home": ("get", {OFF}),
    "intake-auditor-home": ("get", {AUD}),
    "intake-commander-home": ("get", {CO}),
    "intake-commander-duty": ("post", {CO}),
    "intake-contact-decide": ("get", {CO}),
    "intake-contact-acknowledge": ("post", {CO}),
    "intake-contact-callback": ("post", {CO}),
    "intake-contact-supervisor": ("post", {CO}),
    "intake-decision-new": ("post", {CO}),
    "intake-contact-on-scene": ("post", {CO}),
    "intake-log": ("get", {AUD, CO}),
    "intake-log-export": ("get", {AUD}),
    "intake-review-new": ("post", {AUD}),
    "intake-review-close": ("post", {AUD}),
    "intake-contact-new": ("get", {CT}),
    "intake-distress-new": ("post", {CT}),
    "intake-direct-new": ("get", {OFF}),
    "intake-contact-detail": ("get", {CT, CO, AUD}),
    "intake-contact-step": ("get", {CT}),
    "intake-contact-evaluate": ("post", {CT, CO}),
    "intake-contact-evaluation": ("get", {CT, CO, AUD}),
    "intake-contact-distress": ("post", {CT, CO}),
    "intake-contact-cancel": ("get", {CT, CO}),
    "intake-contact-close": ("get", {CT, CO}),
    "intake-contact-amend": ("get", {CT, CO}),
}


def named_patterns() -> dict[str, URLPattern]:
    found: dict[str, URLPattern] = {}

    def walk(patterns: list[URLPattern | URLResolver]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":  # Django's admin: staff only, tested apart
                    walk(pattern.url_patterns)
            elif pattern.name:
                found[pattern.name] = pattern

    walk(get_resolver().url_patterns)
    return found


def test_every_url_has_a_decided_access_rule():
    names = set(named_patterns())
    assert names - set(MATRIX) == set(), "add the new URL to MATRIX"
    assert set(MATRIX) - names == set(), "MATRIX names a URL that no longer exists"


@pytest.mark.django_db
def test_each_role_gets_exactly_its_access(personas, ct_user, co_user, auditor_user):
    contact = handed_over(ct_user, co_user)
    review = reviews.review_open(contact=contact, actor=auditor_user, note="Sample")
    samples = {"reference": contact.reference, "step": "caller", "review_id": review.pk}
    patterns = named_patterns()
    clients: dict[Role | None, Client] = {None: Client(), **personas}
    # Signing out comes last: it would sign the personas out of every later check.
    order = sorted(MATRIX, key=lambda name: name == "logout")
    for name in order:
        method, allowed = MATRIX[name]
        wanted = {k: v for k, v in samples.items() if k in patterns[name].pattern.converters}
        url = reverse(name, kwargs=wanted)
        for role, client in clients.items():
            status = getattr(client, method)(url).status_code
            if allowed == PUBLIC:
                assert status < 400 or status == 405, (name, role, status)
            elif role is None:
                assert status == 302, (name, "anonymous", status)
            elif role in allowed:
                assert status not in (403, 404, 405), (name, role, status)
            else:
                assert status == 403, (name, role, status)


@pytest.mark.django_db
def test_only_administrators_reach_the_django_admin(personas):
    for role, client in personas.items():
        response = client.get("/admin/")
        assert (response.status_code == 200) is (role is ADM), role
