"""The commanding officer's screens: the queue, duty, and the decision screen's actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dispatch.roles import AuthenticatedRequest, Role, role_required
from intake import forms as intake_forms
from intake.models import Contact
from intake.selectors import commander_is_on_duty, commander_queue, contact_for_user
from intake.services import escalation
from intake.services.common import ServiceError
from intake.views.common import evaluation_context, show_errors

COMMANDER = Role.COMMANDING_OFFICER


@require_GET
@role_required(COMMANDER)
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """Contacts waiting for this commanding officer, oldest first, overdue ones marked."""
    return render(
        request,
        "intake/queue.html",
        {
            "role": COMMANDER,
            "items": commander_queue(user=request.user),
            "on_duty": commander_is_on_duty(request.user),
        },
    )


@require_POST
@role_required(COMMANDER)
def duty(request: AuthenticatedRequest) -> HttpResponse:
    on_duty = request.POST.get("on_duty") == "true"
    escalation.commander_duty_set(actor=request.user, on_duty=on_duty)
    messages.success(request, "You are on duty." if on_duty else "You are off duty.")
    return redirect("intake-commander-home")


def _screen(request: AuthenticatedRequest, contact: Contact, **bound: forms.Form) -> HttpResponse:
    decision = getattr(contact, "decision", None)
    context: dict[str, Any] = {
        "contact": contact,
        "decision": decision,
        "callback_form": intake_forms.CallbackForm(
            initial={"recording_ref": contact.callback_recording_ref}
        ),
        "supervisor_form": intake_forms.SupervisorForm(
            initial={"supervisor_name": contact.supervisor_name}
        ),
        "decision_form": intake_forms.DecisionForm(),
        "mine": contact.commanding_officer_id == request.user.pk,
        **evaluation_context(contact),
    }
    context.update(bound)
    return render(request, "intake/decide.html", context, status=400 if bound else 200)


@require_GET
@role_required(COMMANDER)
def decide_screen(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """The decision screen: facts, what policy permits and what is unmet, and the forms."""
    return _screen(request, contact_for_user(reference=reference, user=request.user))


def _act(
    request: AuthenticatedRequest,
    reference: str,
    form_name: str,
    form_class: type[forms.Form] | None,
    action: Callable[[Contact, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    contact = contact_for_user(reference=reference, user=request.user)
    form = form_class(request.POST) if form_class else intake_forms.ConfirmForm(request.POST)
    if form.is_valid():
        try:
            action(contact, form.cleaned_data)
        except ServiceError as error:
            show_errors(request, form, error)
        else:
            messages.success(request, done)
            return redirect("intake-contact-decide", reference=reference)
    contact.refresh_from_db()
    return _screen(request, contact, **({form_name: form} if form_class else {}))


@require_POST
@role_required(COMMANDER)
def acknowledge(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        "",
        None,
        lambda c, d: escalation.contact_acknowledge(contact=c, actor=request.user),
        "Acknowledged: you are handling this contact.",
    )


@require_POST
@role_required(COMMANDER)
def callback(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        "callback_form",
        intake_forms.CallbackForm,
        lambda c, d: escalation.contact_callback_record(
            contact=c, actor=request.user, recording_ref=d["recording_ref"], at=d["at"]
        ),
        "Recorded-line callback logged (P3).",
    )


@require_POST
@role_required(COMMANDER)
def supervisor(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        "supervisor_form",
        intake_forms.SupervisorForm,
        lambda c, d: escalation.contact_supervisor_record(
            contact=c, actor=request.user, supervisor_name=d["supervisor_name"], at=d["at"]
        ),
        "Supervisor notification logged.",
    )


@require_POST
@role_required(COMMANDER)
def decide(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        "decision_form",
        intake_forms.DecisionForm,
        lambda c, d: escalation.decision_record(
            contact=c, actor=request.user, level=d["level"], assessment=d["assessment"]
        ),
        "Decision recorded.",
    )


@require_POST
@role_required(COMMANDER)
def on_scene(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        "",
        None,
        lambda c, d: escalation.contact_on_scene_mark(contact=c, actor=request.user),
        "You are on scene (P8): units may now be assigned.",
    )
