"""The guided intake: new contact, one screen per step, live evaluation, officer in distress."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dispatch.roles import AuthenticatedRequest, Role, role_required, user_role
from intake import forms as intake_forms
from intake.models import Contact
from intake.selectors import FACT_FIELDS, commanders_all, commanders_on_duty, contact_for_user
from intake.services import contacts, escalation
from intake.services.common import ServiceError
from intake.steps import flow_for, next_step
from intake.views.common import evaluation_context, progress_context, show_errors

RECORDERS = (Role.CALL_TAKER, Role.OFFICER)


def _start(
    request: AuthenticatedRequest, form_class: type[forms.Form], template: str
) -> HttpResponse:
    form = form_class(request.POST or None, initial={"submission_key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        try:
            contact = contacts.contact_create(
                actor=request.user,
                channel=form.cleaned_data["channel"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ServiceError as error:
            show_errors(request, form, error)
        else:
            return redirect(_next_url(contact))
    distress = intake_forms.NewContactForm(initial={"submission_key": uuid.uuid4()})
    return render(request, template, {"form": form, "distress_form": distress})


@require_http_methods(["GET", "POST"])
@role_required(Role.CALL_TAKER)
def contact_new(request: AuthenticatedRequest) -> HttpResponse:
    """A call-taker starts a contact: how it arrived."""
    return _start(request, intake_forms.NewContactForm, "intake/new.html")


@require_http_methods(["GET", "POST"])
@role_required(Role.OFFICER)
def direct_new(request: AuthenticatedRequest) -> HttpResponse:
    """An officer reports that an agent contacted them directly (P4)."""
    return _start(request, intake_forms.DirectContactForm, "intake/direct_new.html")


@require_POST
@role_required(Role.CALL_TAKER)
def distress_new(request: AuthenticatedRequest) -> HttpResponse:
    """Officer in distress before any contact exists: open one flagged, and go to dispatch."""
    form = intake_forms.NewContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how the call arrived, then press the button again.")
        return redirect("intake-contact-new")
    contact = contacts.contact_create(
        actor=request.user,
        channel=form.cleaned_data["channel"],
        officer_in_distress=True,
        submission_key=form.cleaned_data["submission_key"],
    )
    messages.warning(request, f"{contact.reference}: officer in distress. Assign units now (P9).")
    return redirect("dispatch-contact-units", reference=contact.reference)


@require_POST
@role_required(Role.CALL_TAKER, Role.OFFICER, Role.COMMANDING_OFFICER)
def contact_distress(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    contact = contact_for_user(reference=reference, user=request.user)
    try:
        contacts.contact_officer_in_distress(contact=contact, actor=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("intake-contact-detail", reference=reference)
    messages.warning(
        request,
        f"{reference}: officer in distress. Units may go now (P9); "
        "the contact is flagged for review.",
    )
    if user_role(request.user) is Role.OFFICER:
        return redirect("intake-contact-detail", reference=reference)
    return redirect("dispatch-contact-units", reference=reference)


def _next_url(contact: Contact) -> str:
    step = next_step(contact)
    if step is None:
        return reverse("intake-contact-detail", kwargs={"reference": contact.reference})
    return reverse("intake-contact-step", kwargs={"reference": contact.reference, "step": step.key})


def _step_form(step: str, contact: Contact, data: QueryDict | None) -> forms.BaseForm:
    if step == "caller":
        return intake_forms.CallerForm(data, instance=contact)
    if step == "request":
        return intake_forms.RequestForm(data, instance=contact)
    if step == "notify":
        on_duty = commanders_on_duty()
        form = intake_forms.NotifyForm(
            data,
            commanders=on_duty if on_duty.exists() else commanders_all(),
            initial={"commanding_officer": contact.commanding_officer},
        )
        return form
    if step == "handover":
        return intake_forms.HandOverForm(data)
    if step == "supervisor":
        return intake_forms.SupervisorForm(
            data, initial={"supervisor_name": contact.supervisor_name}
        )
    if step == "callback":
        return intake_forms.CallbackForm(
            data, initial={"recording_ref": contact.callback_recording_ref}
        )
    raise Http404("No such step")


def _save_step(step: str, contact: Contact, form: forms.BaseForm, actor: Any) -> Contact:
    data = form.cleaned_data
    if step == "caller":
        return contacts.contact_caller_record(contact=contact, actor=actor, values=data)
    if step == "request":
        return contacts.contact_request_record(contact=contact, actor=actor, values=data)
    if step == "notify":
        return contacts.contact_co_notify(
            contact=contact, actor=actor, commanding_officer=data["commanding_officer"]
        )
    if step == "handover":
        return contacts.contact_hand_over(contact=contact, actor=actor)
    if step == "supervisor":
        return escalation.contact_supervisor_record(
            contact=contact, actor=actor, supervisor_name=data["supervisor_name"], at=data["at"]
        )
    return escalation.contact_callback_record(
        contact=contact, actor=actor, recording_ref=data["recording_ref"], at=data["at"]
    )


@require_http_methods(["GET", "POST"])
@role_required(*RECORDERS)
def contact_step(request: AuthenticatedRequest, reference: str, step: str) -> HttpResponse:
    """One step of the guided flow: the words to say, the form, progress and live policy."""
    contact = contact_for_user(reference=reference, user=request.user)
    definition = next((s for s in flow_for(contact) if s.key == step), None)
    if definition is None:
        raise Http404("No such step for this contact")
    if not contact.is_open:
        messages.info(request, f"{reference} is {contact.get_status_display().lower()}.")
        return redirect("intake-contact-detail", reference=reference)
    form = _step_form(step, contact, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = _save_step(step, contact, form, request.user)
        except ServiceError as error:
            show_errors(request, form, error)
            contact.refresh_from_db()
        else:
            if step == "handover" and contact.commanding_officer is not None:
                name = contact.commanding_officer.get_full_name()
                messages.success(request, f"{reference} handed over to {name}.")
            return redirect(_next_url(contact))
    if step == "notify" and not commanders_on_duty().exists():
        messages.warning(
            request,
            "No commanding officer is marked on duty: call the watch "
            "commander and choose them below.",
        )
    return render(
        request,
        "intake/step.html",
        {
            "contact": contact,
            "step": definition,
            "form": form,
            "live": step == "request",
            **progress_context(contact, current=step),
            **evaluation_context(contact),
        },
    )


@require_POST
@role_required(Role.CALL_TAKER, Role.OFFICER, Role.COMMANDING_OFFICER)
def contact_evaluate_live(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """htmx: the engine's evaluation of the form as typed, before it is saved."""
    contact = contact_for_user(reference=reference, user=request.user)
    form = intake_forms.RequestForm(request.POST, instance=Contact(channel=contact.channel))
    form.is_valid()  # only the fields that are valid are previewed
    overrides = {name: form.cleaned_data[name] for name in FACT_FIELDS & set(form.cleaned_data)}
    return render(
        request,
        "intake/_evaluation.html",
        {"contact": contact, "preview": True, **evaluation_context(contact, overrides=overrides)},
    )


@require_GET
@role_required(Role.CALL_TAKER, Role.OFFICER, Role.COMMANDING_OFFICER, Role.AUDITOR)
def contact_evaluation(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """htmx: the saved contact's current evaluation (refreshed while a screen is open)."""
    contact = contact_for_user(reference=reference, user=request.user)
    return render(
        request, "intake/_evaluation.html", {"contact": contact, **evaluation_context(contact)}
    )
