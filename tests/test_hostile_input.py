"""Hostile input (issue 6): random and hostile values into every form, and the policy command.

Every URL that reads input gets values drawn by hypothesis (NUL and other control characters,
text beyond each limit, HTML, SQL, numbers where text goes, lists where one value goes, unknown
fields and choices, broken bodies), posted as the role that may use it. Never a 5xx; a refusal
names the field it refuses. Text is stored as typed and shown escaped; a 10 MB body gets a 413.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

import pytest
from django import forms
from django.conf import settings as django_settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.management import CommandError, call_command
from django.db import transaction
from django.forms.utils import pretty_name
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django_filters import FilterSet
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dispatch.mfa import CodeForm
from dispatch.models import Unit
from dispatch.policy import Facts
from dispatch.policy.facts import Channel, CoDecision, Crime, Request, Warrant
from dispatch.roles import Role
from dispatch.services import unit_assign
from intake import forms as intake_forms
from intake.filters import ContactLogFilter
from intake.models import Amendment, Contact, Decision, Review, ReviewFinding
from intake.services import contacts, escalation, reviews
from intake.services.contacts import REQUEST_FIELDS
from intake.views.log import SORTS
from tests.conftest import make_user
from tests.helpers import ROOT
from tests.intake import flows
from tests.test_url_matrix import named_patterns

# Few examples per URL keep the file fast; the strategies aim them at the edges instead.
FUZZ = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one world per URL, rolled back per example
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
FORM = "application/x-www-form-urlencoded"
# Every character a form can carry over HTTP: UTF-8 has no lone surrogates, NUL is included.
ANY_CHAR = st.characters(codec="utf-8")
TYPED_CHAR = st.characters(codec="utf-8", exclude_characters="\x00")
HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE intake_contact; --",
    "1' OR '1'='1",
    "\x00",
    "a\x00b",
    "\r\n\r\nHTTP/1.1 200 OK",
    "{{ request }}{% debug %}",
    "${jndi:ldap://x/a}",
    "../../../../etc/passwd",
    "%00",
    "\u202egnp.exe",
    "\ufeff\u200b",
    "\x1b[31m\x07\x08\x7f\x85",
    "🚓" * 50,
    "9" * 40,
    "-1",
    "1e309",
    "NaN",
    "[]",
    "null",
    "",
    " \t\n",
]
RAW_TYPES = [
    FORM,
    f"{FORM}; charset=utf-16",
    f"{FORM}; charset=no-such-charset",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/json",
    "text/plain",
]


def hostile() -> st.SearchStrategy[str]:
    """Values no form should choke on: fixed classics, random text, numbers, one very long."""
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(ANY_CHAR, max_size=40),
        st.integers().map(str),
        st.floats().map(str),
        st.just("A" * 9000),  # beyond the longest limit (8000)
    )


# NUL gets its own draw: PostgreSQL refuses it in text, so it is the value most likely to
# slip past a form into a query.
NUL = st.sampled_from(["\x00", "a\x00b", "\x00" * 3])


def valid(f: forms.Field) -> st.SearchStrategy[str]:
    """A value the field accepts, so that some examples reach the services and the database."""
    if isinstance(f, forms.ModelChoiceField):
        keys = [str(pk) for pk in f.queryset.values_list("pk", flat=True)]  # type: ignore[union-attr]
        return st.sampled_from(keys) if keys else st.just("")
    if isinstance(f, forms.ChoiceField):
        choices: Any = f.choices
        keys = [str(key) for key, _ in choices if key not in ("", None)]
        return st.sampled_from(keys) if keys else st.just("")
    if isinstance(f, forms.BooleanField):
        return st.sampled_from(["on", "true", "false", ""])
    if isinstance(f, forms.IntegerField):
        return st.integers(-10, 1000).map(str)
    if isinstance(f, forms.DateTimeField):
        return st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M"))
    if isinstance(f, forms.DateField):
        return st.dates().map(lambda d: d.isoformat())
    if isinstance(f, forms.UUIDField):
        return st.uuids().map(str)
    limit = min(getattr(f, "max_length", None) or 300, 300)
    return st.text(TYPED_CHAR, min_size=1, max_size=limit)


def too_long(f: forms.Field) -> st.SearchStrategy[str]:
    """Just beyond the field's limit, in characters that are not all plain ASCII."""
    limit = getattr(f, "max_length", None)
    if not limit:
        return st.nothing()
    return st.builds(lambda c, k: c * (limit + k), st.sampled_from("x<é\x07"), st.integers(1, 50))


def values(fields: dict[str, forms.Field]) -> st.SearchStrategy[dict[str, str | list[str]]]:
    """Each field left out, valid, too long, hostile or repeated; plus unknown fields."""
    each = {
        name: st.one_of(
            st.none(),
            valid(f),
            valid(f),
            too_long(f),
            hostile(),
            NUL,
            st.lists(hostile(), min_size=2, max_size=3),
        )
        for name, f in fields.items()
    }
    known = st.fixed_dictionaries(each).map(lambda d: {k: v for k, v in d.items() if v is not None})
    unknown = st.dictionaries(st.text(ANY_CHAR, min_size=1, max_size=12), hostile(), max_size=2)
    return st.builds(lambda k, u: {**u, **k}, known, unknown)


@dataclass(frozen=True)
class Sent:
    body: dict[str, Any] | bytes
    content_type: str = FORM


def requests(fields: dict[str, forms.Field], method: str) -> st.SearchStrategy[Sent]:
    """A query string for GET; for POST mostly a form body, sometimes JSON or raw bytes."""
    params = values(fields)
    if method == "get":
        return params.map(Sent)
    return st.one_of(
        params.map(Sent),
        params.map(Sent),
        params.map(lambda p: Sent(json.dumps(p).encode(), "application/json")),
        st.builds(Sent, st.binary(max_size=300), st.sampled_from(RAW_TYPES)),
    )


class World:
    """The personas, signed in on first use, and a contact in the state each URL needs."""

    def __init__(self, users: dict[Role, User]) -> None:
        self.users = users
        self.signed_in: dict[Role | None, Client] = {}
        self.ct = users[Role.CALL_TAKER]
        self.co = users[Role.COMMANDING_OFFICER]
        self.off = users[Role.OFFICER]
        self.aud = users[Role.AUDITOR]

    def client(self, role: Role | None) -> Client:
        if role not in self.signed_in:
            client = Client()
            if role is not None:
                user = self.users.get(role) or make_user(role.value, role)
                client.force_login(user)
            # A refused body (BadRequest, a broken multipart) must come back as the 400 a
            # browser sees, not as an exception; a 500 is caught by its status (and logged).
            client.raise_request_exception = False
            self.signed_in[role] = client
        return self.signed_in[role]

    @cached_property
    def units(self) -> list[Unit]:
        return [Unit.objects.create(call_sign="1A11"), Unit.objects.create(call_sign="2B21")]

    @cached_property
    def fresh(self) -> Contact:
        return contacts.contact_create(actor=self.ct, channel="metrosafe_911")

    @cached_property
    def direct(self) -> Contact:
        return contacts.contact_create(actor=self.off, channel="direct_phone")

    @cached_property
    def waiting(self) -> Contact:
        return flows.handed_over(self.ct, self.co)

    @cached_property
    def on_scene(self) -> Contact:
        contact = flows.decided(self.ct, self.co, **flows.LOCAL_WARRANT)
        return escalation.contact_on_scene_mark(contact=contact, actor=self.co)

    @cached_property
    def assigned(self) -> Contact:
        unit_assign(contact=self.on_scene, unit=self.units[0], actor=self.co)
        return self.on_scene

    @cached_property
    def cancelled(self) -> Contact:
        return contacts.contact_cancel(
            contact=flows.handed_over(self.ct, self.co), actor=self.ct, reason="Duplicate call."
        )

    @cached_property
    def authenticator(self) -> TOTPDevice:
        return TOTPDevice.objects.create(user=self.off, name="Authenticator", confirmed=True)

    @cached_property
    def review(self) -> Review:
        return reviews.review_open(contact=self.waiting, actor=self.aud, note="Check the timeline.")


@pytest.fixture
def world(ct_user, co_user, officer_user, auditor_user) -> World:
    return World(
        {
            Role.CALL_TAKER: ct_user,
            Role.COMMANDING_OFFICER: co_user,
            Role.OFFICER: officer_user,
            Role.AUDITOR: auditor_user,
        }
    )


Url = Callable[[World], str]
Fields = Callable[[World], dict[str, forms.Field]]


@dataclass(frozen=True)
class Endpoint:
    url_name: str
    role: Role | None
    url: Url
    fields: Fields
    method: str = "post"
    # Set where a refusal comes back as a message after a redirect, not on the form itself.
    message_form: Callable[[World, Any], forms.BaseForm] | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # plain words a message uses instead
    # Parameters the view reads itself, not through a form: no refusal to name.
    loose: frozenset[str] = frozenset()


def at(url_name: str, state: str) -> Url:
    return lambda w: reverse(url_name, kwargs={"reference": getattr(w, state).reference})


def step(key: str, state: str) -> Url:
    return lambda w: reverse(
        "intake-contact-step", kwargs={"reference": getattr(w, state).reference, "step": key}
    )


def plain(url_name: str) -> Url:
    return lambda w: reverse(url_name)


def of(form_class: type[forms.BaseForm]) -> Fields:
    return lambda w: dict(form_class().fields)


def nothing(w: World) -> dict[str, forms.Field]:
    return {}


def log_fields(w: World) -> dict[str, forms.Field]:
    extra: dict[str, forms.Field] = {
        "sort": forms.ChoiceField(choices=[(key, key) for key in SORTS]),
        "dir": forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")]),
        "after": forms.CharField(),
    }
    return {**ContactLogFilter(queryset=Contact.objects.all()).form.fields, **extra}


def notify_fields(w: World) -> dict[str, forms.Field]:
    commanders = User.objects.filter(groups__name=Role.COMMANDING_OFFICER.group)
    return dict(intake_forms.NotifyForm(commanders=commanders).fields)


def close_fields(w: World) -> dict[str, forms.Field]:
    live = list(w.assigned.assignments.filter(released_at__isnull=True).select_related("unit"))
    return dict(intake_forms.CloseForm(assignments=live).fields)


def review_close_url(w: World) -> str:
    kwargs = {"reference": w.review.contact.reference, "review_id": w.review.pk}
    return reverse("intake-review-close", kwargs=kwargs)


def verify_url(w: World) -> str:
    assert w.authenticator.confirmed  # the code form shows only to a user with a device
    return reverse("dispatch-mfa-verify")


def code_fields(w: World) -> dict[str, forms.Field]:
    return {**CodeForm().fields, "next": forms.CharField()}


LOG_LOOSE = frozenset({"sort", "dir", "after"})
CT, CO, OFF, AUD = Role.CALL_TAKER, Role.COMMANDING_OFFICER, Role.OFFICER, Role.AUDITOR
ENDPOINTS: dict[str, Endpoint] = {
    "contact-new": Endpoint(
        "intake-contact-new", CT, plain("intake-contact-new"), of(intake_forms.NewContactForm)
    ),
    "distress-new": Endpoint(
        "intake-distress-new",
        CT,
        plain("intake-distress-new"),
        of(intake_forms.NewContactForm),
        message_form=lambda w, data: intake_forms.NewContactForm(data),
        aliases={"channel": "how the call arrived"},
    ),
    "direct-new": Endpoint(
        "intake-direct-new", OFF, plain("intake-direct-new"), of(intake_forms.DirectContactForm)
    ),
    "step-caller": Endpoint(
        "intake-contact-step", CT, step("caller", "fresh"), of(intake_forms.CallerForm)
    ),
    "step-request": Endpoint(
        "intake-contact-step", CT, step("request", "fresh"), of(intake_forms.RequestForm)
    ),
    "step-notify": Endpoint("intake-contact-step", CT, step("notify", "fresh"), notify_fields),
    "step-handover": Endpoint(
        "intake-contact-step", CT, step("handover", "fresh"), of(intake_forms.HandOverForm)
    ),
    "step-supervisor": Endpoint(
        "intake-contact-step", OFF, step("supervisor", "direct"), of(intake_forms.SupervisorForm)
    ),
    "step-callback": Endpoint(
        "intake-contact-step", OFF, step("callback", "direct"), of(intake_forms.CallbackForm)
    ),
    "evaluate": Endpoint(
        "intake-contact-evaluate",
        CT,
        at("intake-contact-evaluate", "fresh"),
        of(intake_forms.RequestForm),
        loose=frozenset(REQUEST_FIELDS),  # a preview of what is valid so far: nothing to refuse
    ),
    "distress": Endpoint(
        "intake-contact-distress", CT, at("intake-contact-distress", "fresh"), nothing
    ),
    "duty": Endpoint(
        "intake-commander-duty",
        CO,
        plain("intake-commander-duty"),
        lambda w: {"on_duty": forms.ChoiceField(choices=[("true", "on"), ("false", "off")])},
        loose=frozenset({"on_duty"}),
    ),
    "acknowledge": Endpoint(
        "intake-contact-acknowledge", CO, at("intake-contact-acknowledge", "waiting"), nothing
    ),
    "callback": Endpoint(
        "intake-contact-callback",
        CO,
        at("intake-contact-callback", "waiting"),
        of(intake_forms.CallbackForm),
    ),
    "supervisor": Endpoint(
        "intake-contact-supervisor",
        CO,
        at("intake-contact-supervisor", "waiting"),
        of(intake_forms.SupervisorForm),
    ),
    "decide": Endpoint(
        "intake-decision-new",
        CO,
        at("intake-decision-new", "waiting"),
        of(intake_forms.DecisionForm),
    ),
    "on-scene": Endpoint(
        "intake-contact-on-scene", CO, at("intake-contact-on-scene", "waiting"), nothing
    ),
    "assign": Endpoint(
        "dispatch-contact-units",
        CO,
        at("dispatch-contact-units", "on_scene"),
        lambda w: {"unit": forms.ChoiceField(choices=[(u.pk, u.call_sign) for u in w.units])},
        message_form=lambda w, data: intake_forms.AssignForm(data),
    ),
    "cancel": Endpoint(
        "intake-contact-cancel",
        CT,
        at("intake-contact-cancel", "waiting"),
        of(intake_forms.CancelForm),
    ),
    "close": Endpoint(
        "intake-contact-close", CO, at("intake-contact-close", "assigned"), close_fields
    ),
    "amend": Endpoint(
        "intake-contact-amend",
        CT,
        at("intake-contact-amend", "cancelled"),
        of(intake_forms.AmendForm),
    ),
    "review-open": Endpoint(
        "intake-review-new",
        AUD,
        at("intake-review-new", "waiting"),
        of(intake_forms.ReviewOpenForm),
        message_form=lambda w, data: intake_forms.ReviewOpenForm(data),
    ),
    "review-close": Endpoint(
        "intake-review-close",
        AUD,
        review_close_url,
        of(intake_forms.ReviewCloseForm),
        message_form=lambda w, data: intake_forms.ReviewCloseForm(data),
    ),
    "log": Endpoint(
        "intake-log", AUD, plain("intake-log"), log_fields, method="get", loose=LOG_LOOSE
    ),
    "log-export": Endpoint(
        "intake-log-export",
        AUD,
        plain("intake-log-export"),
        log_fields,
        method="get",
        loose=LOG_LOOSE,
    ),
    "login": Endpoint("login", None, plain("login"), lambda w: dict(AuthenticationForm().fields)),
    "mfa-enrol": Endpoint(
        "dispatch-mfa-enrol",
        CT,
        plain("dispatch-mfa-enrol"),
        code_fields,
        loose=frozenset({"next"}),
    ),
    "mfa-verify": Endpoint(
        "dispatch-mfa-verify", OFF, verify_url, code_fields, loose=frozenset({"next"})
    ),
    "lockout-release": Endpoint(
        "dispatch-lockout-release",
        Role.ADMINISTRATOR,
        plain("dispatch-lockout-release"),
        lambda w: {"username": forms.CharField()},
        loose=frozenset({"username"}),
    ),
}
# URLs that read no input: pages, and buttons with nothing to fill.
NO_INPUT = {
    "home",
    "healthz",
    "logout",  # no fields; posting it would sign the persona out of every later example
    "dispatch-mfa-qr",
    "dispatch-admin-home",
    "dispatch-lockouts",
    "intake-transparency",
    "intake-transparency-csv",
    "intake-calltaker-home",
    "intake-officer-home",
    "intake-auditor-home",
    "intake-commander-home",
    "intake-contact-decide",
    "intake-contact-detail",
    "intake-contact-evaluation",
}


def is_text(f: forms.Field) -> bool:
    """A field a person types text into (not a choice, a hidden key or a UUID)."""
    return (
        isinstance(f, forms.CharField)
        and not isinstance(f, forms.UUIDField)
        and not f.widget.is_hidden
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    """Every example starts from the same database: whatever the last one saved is undone."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def send(client: Client, method: str, url: str, sent: Sent) -> Any:
    if method == "get":
        assert isinstance(sent.body, dict)
        return client.get(url, sent.body)
    if isinstance(sent.body, bytes):  # as sent: the client re-encodes only a text body
        return client.generic("POST", url, sent.body, content_type=sent.content_type)
    return client.post(url, urlencode(sent.body, doseq=True), content_type=sent.content_type)


def page_of(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", "replace")


def shown_forms(response: Any) -> list[forms.BaseForm]:
    """The bound forms the page was rendered with (a filter's form too)."""
    contexts = response.context or []
    found: dict[int, forms.BaseForm] = {}
    for context in contexts if isinstance(contexts, list) else [contexts]:
        for value in context.flatten().values():
            form = value.form if isinstance(value, FilterSet) else value
            if isinstance(form, forms.BaseForm) and form.is_bound:
                found[id(form)] = form
    return list(found.values())


def nul_parameters(response: Any) -> list[str]:
    request = response.wsgi_request
    return [
        name
        for name, given_values in request.GET.lists()
        if "\x00" in name or any("\x00" in v for v in given_values)
    ]


def assert_form_names_its_errors(form: forms.BaseForm, page: str) -> None:
    """Each error is on the page, beside its field; a hidden field's refusal is said on top."""
    for name, errors in form.errors.items():
        if name != NON_FIELD_ERRORS and form.fields[name].widget.is_hidden:
            assert form.non_field_errors(), f"hidden field {name!r} refused without a word"
            continue
        if name != NON_FIELD_ERRORS:
            assert f'id="error_1_id_{name}"' in page, f"{name!r}: its error is not beside it"
        for error in errors:
            assert escape(error) in page, f"{name!r}: {error!r} is not on the page"


def assert_message_names_the_fields(endpoint: Endpoint, world: World, response: Any) -> None:
    assert endpoint.message_form is not None
    form = endpoint.message_form(world, response.wsgi_request.POST)
    if form.is_valid():
        return
    text = " ".join(str(m) for m in get_messages(response.wsgi_request)).lower()
    assert text, "refused without a word"
    for name in form.errors:
        if name == NON_FIELD_ERRORS or form.fields[name].widget.is_hidden:
            continue
        words = endpoint.aliases.get(name) or str(form.fields[name].label or pretty_name(name))
        assert words.lower().rstrip("?:. ") in text, f"{name!r} is not named in {text!r}"


def assert_refusal_names_the_field(
    endpoint: Endpoint, world: World, response: Any, sent: Sent
) -> None:
    status = response.status_code
    page = page_of(response)
    assert status < 500, f"{status}: {page[:500]}"
    assert status in {200, 302, 400, 409}, status
    if endpoint.role is not None:  # still signed in: not a sign-in page answering for the form
        assert not response.get("Location", "").startswith(reverse("login")), "signed out"
    shown = shown_forms(response)
    for form in shown:
        assert_form_names_its_errors(form, page)
    if status == 400 and not shown:
        # Refused before any form: say which parameter, or what is wrong with the filter.
        if nul_parameters(response):
            named = [
                escape(json.dumps(n[:40], ensure_ascii=False)) for n in nul_parameters(response)
            ]
            assert any(n in page for n in named), f"no NUL parameter named in {page[:300]!r}"
        elif endpoint.url_name == "intake-log-export":
            refused = ContactLogFilter(response.wsgi_request.GET, queryset=Contact.objects.all())
            assert not refused.is_valid()
            for name in refused.errors:
                assert f"{name}:" in page, f"{name!r} is not named in {page!r}"
        else:
            assert isinstance(sent.body, bytes), f"a 400 that names nothing: {page[:300]}"
    if status == 302 and endpoint.message_form is not None:
        assert_message_names_the_fields(endpoint, world, response)


def test_every_url_that_reads_input_is_fuzzed():
    covered = {endpoint.url_name for endpoint in ENDPOINTS.values()}
    assert covered.isdisjoint(NO_INPUT)
    assert covered | NO_INPUT == set(named_patterns()), "fuzz the new URL, or say it reads nothing"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ENDPOINTS))
@FUZZ
@given(data=st.data())
def test_hostile_values_never_break_a_form(name: str, world: World, data: st.DataObject):
    endpoint = ENDPOINTS[name]
    url = endpoint.url(world)  # the state is made once, before the first example
    sent = data.draw(requests(endpoint.fields(world), endpoint.method), label="sent")
    client = world.client(endpoint.role)
    with rolled_back():
        client.cookies.pop("messages", None)  # only this example's messages count
        response = send(client, endpoint.method, url, sent)
        assert_refusal_names_the_field(endpoint, world, response, sent)


@pytest.mark.django_db
def test_text_beyond_each_limit_is_refused_naming_the_field(world):
    checked = 0
    for name, endpoint in ENDPOINTS.items():
        url = endpoint.url(world)
        client = world.client(endpoint.role)
        for field_name, f in endpoint.fields(world).items():
            limit = getattr(f, "max_length", None)
            if not limit or field_name in endpoint.loose or not is_text(f):
                continue
            over = {field_name: "é" * (limit + 1)}
            with rolled_back():
                client.cookies.pop("messages", None)
                response = send(client, endpoint.method, url, Sent(over))
                page = page_of(response)
                where = f"{name}: {field_name}"
                assert response.status_code < 500, where
                words = f"at most {limit} characters"
                if endpoint.message_form is not None:
                    label = str(f.label or pretty_name(field_name)).rstrip("?:. ").lower()
                    text = " ".join(str(m) for m in get_messages(response.wsgi_request)).lower()
                    assert label in text and words in text, (where, text)
                elif endpoint.url_name == "intake-log-export":
                    assert response.status_code == 400 and f"{field_name}: " in page, where
                    assert words in page, where
                else:
                    assert f'id="error_1_id_{field_name}"' in page, where
                    assert words in page, where
                checked += 1
    assert checked >= 25  # every text field of every form


@pytest.mark.django_db
def test_a_nul_in_any_field_is_refused_naming_the_field(world):
    checked = 0
    for name, endpoint in ENDPOINTS.items():
        url = endpoint.url(world)
        client = world.client(endpoint.role)
        for field_name, f in endpoint.fields(world).items():
            sent = Sent({field_name: "Dana\x00Agent"})
            with rolled_back():
                client.cookies.pop("messages", None)
                response = send(client, endpoint.method, url, sent)
                assert_refusal_names_the_field(endpoint, world, response, sent)
                if field_name in endpoint.loose or not is_text(f):
                    continue  # no form reads it as text; enough that nothing broke
                where = f"{name}: {field_name}"
                page = page_of(response)
                if endpoint.method == "get":
                    assert response.status_code == 400 and "NUL" in page, where
                elif endpoint.message_form is not None:
                    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
                    assert "Null characters are not allowed." in text, where
                else:
                    assert f'id="error_1_id_{field_name}"' in page, where
                    assert "Null characters are not allowed." in page, where
                checked += 1
    assert checked >= 30  # every text field of every form


FORM_COLUMNS: list[tuple[forms.Field, Any]] = [
    (
        intake_forms.SupervisorForm().fields["supervisor_name"],
        Contact._meta.get_field("supervisor_name"),
    ),
    (
        intake_forms.CallbackForm().fields["recording_ref"],
        Contact._meta.get_field("callback_recording_ref"),
    ),
    (intake_forms.DecisionForm().fields["assessment"], Decision._meta.get_field("assessment")),
    (intake_forms.CancelForm().fields["reason"], Contact._meta.get_field("cancel_reason")),
    (intake_forms.AmendForm().fields["value"], Amendment._meta.get_field("new_value")),
    (intake_forms.AmendForm().fields["reason"], Amendment._meta.get_field("reason")),
    (intake_forms.ReviewOpenForm().fields["note"], Review._meta.get_field("note")),
    (intake_forms.ReviewCloseForm().fields["note"], ReviewFinding._meta.get_field("note")),
    (
        intake_forms.CloseForm(assignments=[]).fields["narrative"],
        Contact._meta.get_field("narrative"),
    ),
]


def test_every_text_field_has_a_limit_that_fits_its_column():
    pairs = list(FORM_COLUMNS)
    for form_class in (intake_forms.CallerForm, intake_forms.RequestForm):
        form = form_class()
        pairs += [(f, Contact._meta.get_field(n)) for n, f in form.fields.items() if is_text(f)]
    assert len(pairs) >= 20
    for form_field, column in pairs:
        limit = getattr(form_field, "max_length", None)
        assert limit, f"{column.name}: the form takes text of any length"
        assert column.max_length is None or limit <= column.max_length, column.name


@pytest.mark.django_db
def test_a_correction_keeps_to_the_corrected_fields_limit_and_choices(world):
    url = at("intake-contact-amend", "cancelled")(world)
    client = world.client(CT)
    for field_name, value, words in [
        ("location", "x" * 201, "at most 200 characters"),  # the column holds 200
        ("outcome", "<script>alert(1)</script>", "Select a valid choice"),  # not an outcome
    ]:
        sent = Sent({"field": field_name, "value": value, "reason": "Typo."})
        with rolled_back():
            response = send(client, "post", url, sent)
            page = page_of(response)
            assert response.status_code == 200, field_name
            assert 'id="error_1_id_value"' in page and words in page, field_name
            assert not Amendment.objects.exists()


MIX = (
    "<script>alert('x')</script> \"quoted\" & 'single' "
    "'; DROP TABLE intake_contact; -- \x01\x07\x1b[31m\x7f\u202e 🚓"
)


@pytest.mark.django_db
def test_html_sql_and_control_characters_are_stored_as_typed_and_shown_escaped(world):
    contact = world.fresh
    caller = {**flows.CALLER, "agent_name": MIX, "agent_badge": "1' OR '1'='1"}
    response = send(world.client(CT), "post", step("caller", "fresh")(world), Sent(caller))
    assert response.status_code == 302
    request = {**flows.REQUEST, "agent_words": f"{MIX}\r\nline two\ttabbed", "location": MIX}
    response = send(world.client(CT), "post", step("request", "fresh")(world), Sent(request))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.agent_name == MIX and contact.agent_badge == "1' OR '1'='1"
    assert contact.agent_words == f"{MIX}\r\nline two\ttabbed" and contact.location == MIX

    page = page_of(world.client(AUD).get(at("intake-contact-detail", "fresh")(world)))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    for typed in (contact.agent_name, contact.agent_badge, contact.agent_words, contact.location):
        assert escape(typed) in page

    log = world.client(AUD).get(reverse("intake-log"), {"q": MIX})
    page = page_of(log)
    assert log.status_code == 200 and "<script>alert" not in page
    assert f'value="{escape(MIX)}"' in page  # the search box shows what was typed, escaped


@pytest.mark.django_db
def test_a_nul_is_refused_beside_its_field_and_nothing_is_stored(world):
    caller = {**flows.CALLER, "agent_name": "Dana\x00Agent"}
    response = send(world.client(CT), "post", step("caller", "fresh")(world), Sent(caller))
    page = page_of(response)
    assert response.status_code == 200
    assert 'id="error_1_id_agent_name"' in page and "Null characters are not allowed." in page
    world.fresh.refresh_from_db()
    assert world.fresh.agent_name == ""


@pytest.mark.django_db
@settings(FUZZ, max_examples=40)
@given(typed=st.text(ANY_CHAR, max_size=130))
def test_any_text_is_stored_as_typed_or_refused_naming_the_field(world, typed):
    url = step("caller", "fresh")(world)
    call_taker, auditor = world.client(CT), world.client(AUD)  # signed in outside the rollback
    with rolled_back():
        response = send(call_taker, "post", url, Sent({**flows.CALLER, "agent_name": typed}))
        stored = Contact.objects.get(pk=world.fresh.pk).agent_name
        kept = typed.strip()  # form fields drop surrounding whitespace, nothing else
        if "\x00" in typed or not kept or len(kept) > 120:
            assert response.status_code == 200 and stored == ""
            assert 'id="error_1_id_agent_name"' in page_of(response)
        else:
            assert response.status_code == 302 and stored == kept
            page = page_of(auditor.get(at("intake-contact-detail", "fresh")(world)))
            assert escape(kept) in page


@pytest.mark.django_db
def test_a_runaway_search_is_refused_beside_the_box(world):
    # 100,000 words: PostgreSQL's websearch parser ran out of stack on this (a 5xx).
    response = world.client(AUD).get(reverse("intake-log"), {"q": "a " * 100_000})
    page = page_of(response)
    assert response.status_code == 200
    assert 'id="error_1_id_q"' in page and "at most 200 characters" in page


@pytest.mark.django_db
def test_the_last_day_a_date_can_name_is_a_filter_not_an_error(world):
    for params in ({"received_to": "9999-12-31"}, {"received_from": "0001-01-01"}):
        for name in ("intake-log", "intake-log-export"):
            response = world.client(AUD).get(reverse(name), params)
            assert response.status_code == 200, (name, params)
            page_of(response)


@pytest.mark.django_db
def test_a_nul_in_the_address_is_refused_plainly(world):
    client = world.client(AUD)
    for url in ["/intake/FA-2026%00/", "/dispatch/%00/", "/log/?q=a%00b", "/log/export.csv?x%00=1"]:
        response = client.get(url)
        page = page_of(response)
        assert response.status_code == 400, url
        assert "NUL" in page and response["X-Request-ID"] in page, url
        assert "Traceback" not in page


def upload_limit() -> int:
    return int(django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")

    def readline(self, size: int | None = -1) -> bytes:
        raise AssertionError("the body was read")


@pytest.mark.django_db
def test_a_10_mb_body_is_refused_with_413_before_it_is_read(world):
    ten_mb = 10 * 1024 * 1024
    cancel = at("intake-contact-cancel", "waiting")(world)
    cases = [
        (world.client(CT), cancel, {"wsgi.input": Unreadable(), "CONTENT_LENGTH": str(ten_mb)}),
        (
            world.client(None),
            reverse("login"),
            {"wsgi.input": Unreadable(), "CONTENT_LENGTH": str(ten_mb)},
        ),
        (world.client(AUD), reverse("intake-log"), {}),
    ]
    for who, url, extra in cases:
        body = b"" if extra else b"reason=" + b"x" * ten_mb
        response = who.post(url, body, content_type=FORM, **extra)
        page = page_of(response)
        assert response.status_code == 413, url
        assert "Request too large" in page and response["X-Request-ID"] in page, url
        # Refused after the security middleware: the plain page carries its headers too.
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url
    world.waiting.refresh_from_db()
    assert world.waiting.status == "open"


@pytest.mark.django_db
def test_a_body_under_the_limit_still_reaches_the_form(world):
    reason = "x" * (upload_limit() - 100)
    response = world.client(CT).post(
        at("intake-contact-cancel", "waiting")(world), f"reason={reason}", content_type=FORM
    )
    assert response.status_code == 200
    assert f"at most 2000 characters (it has {len(reason)})" in page_of(response)


# --- the policy command --------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
CHOICE_VALUES = sorted({m.value for e in (Channel, CoDecision, Crime, Request, Warrant) for m in e})
FACTS_LIKE = st.dictionaries(
    st.sampled_from(sorted(Facts().to_dict())) | st.text(max_size=12),
    st.sampled_from(CHOICE_VALUES) | st.booleans() | JSON_VALUES,
    max_size=8,
)
DOCUMENTS = st.one_of(
    FACTS_LIKE.map(lambda d: json.dumps(d).encode()),
    FACTS_LIKE.map(lambda d: json.dumps(d, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    FACTS_LIKE.map(lambda d: json.dumps(d).encode()[:-1]),  # cut short
    st.binary(max_size=200),
)


def run_policy(raw: bytes) -> tuple[int, str, str]:
    """``manage.py policy evaluate -`` in this process: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    real_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(raw))
    try:
        call_command("policy", "evaluate", "-", stdout=out, stderr=err)
    except CommandError as exc:
        # What run_from_argv prints for a CommandError before exiting with its status.
        return exc.returncode, out.getvalue(), f"CommandError: {exc}\n"
    finally:
        sys.stdin = real_stdin
    return 0, out.getvalue(), err.getvalue()


@settings(max_examples=150, deadline=None)
@given(raw=DOCUMENTS)
def test_policy_evaluate_exits_0_or_2_with_one_plain_line(raw):
    status, out, err = run_policy(raw)
    if status == 0:
        assert err == "" and out.count("\n") == 1
        assert json.loads(out)["policy"] == "lmpd-2017-09-22"
    else:
        assert status == 2 and out == ""
        assert err.count("\n") == 1 and "Traceback" not in err


def test_policy_evaluate_refuses_garbage_plainly_in_a_real_process(tmp_path):
    garbage = b'{"crime": "\xff\xfe\x00", "\x00": NaN}' + bytes(range(256))
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "policy", "evaluate", "-"],
        input=garbage,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path / "data")},
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.count(b"\n") == 1 and b"Traceback" not in result.stderr
