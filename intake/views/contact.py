"""A contact's own page (the whole story and its timeline), and cancel, close and amend."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dispatch.roles import AuthenticatedRequest, Role, role_required, user_role
from intake import forms as intake_forms
from intake.selectors import contact_for_user
from intake.services import contacts
from intake.services.common import ServiceError
from intake.views.common import evaluation_context, progress_context, show_errors

READERS = (Role.CALL_TAKER, Role.OFFICER, Role.COMMANDING_OFFICER, Role.AUDITOR)
CLOSERS = (Role.CALL_TAKER, Role.COMMANDING_OFFICER)


@require_GET
@role_required(*READERS)
def detail(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    contact = contact_for_user(reference=reference, user=request.user)
    role = user_role(request.user)
    return render(
        request,
        "intake/detail.html",
        {
            "contact": contact,
            "role": role,
            "decision": getattr(contact, "decision", None),
            "assignments": contact.assignments.select_related("unit", "assigned_by"),
            "events": contact.events.select_related("actor"),
            "amendments": contact.amendments.select_related("amended_by"),
            "reviews": contact.reviews.select_related("opened_by", "finding", "finding__closed_by"),
            "review_open_form": intake_forms.ReviewOpenForm(),
            "review_close_form": intake_forms.ReviewCloseForm(),
            "can_close": role in CLOSERS and contact.is_open,
            "can_amend": role in CLOSERS and not contact.is_open,
            "can_dispatch": role in CLOSERS and contact.is_open,
            **progress_context(contact),
            **evaluation_context(contact),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.CALL_TAKER, Role.OFFICER, Role.COMMANDING_OFFICER)
def cancel(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    contact = contact_for_user(reference=reference, user=request.user)
    form = intake_forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contacts.contact_cancel(
                contact=contact, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            show_errors(request, form, error)
        else:
            messages.success(request, f"{reference} cancelled; the record is kept.")
            return redirect("intake-contact-detail", reference=reference)
    return render(
        request,
        "intake/form_page.html",
        {
            "contact": contact,
            "form": form,
            "title": f"Cancel {reference}",
            "submit": "Cancel this contact",
            "danger": True,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*CLOSERS)
def close(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """Close-out (P11): what officers did, body camera per unit, narrative."""
    contact = contact_for_user(reference=reference, user=request.user)
    assignments = list(contact.assignments.filter(released_at__isnull=True).select_related("unit"))
    form = intake_forms.CloseForm(request.POST or None, assignments=assignments)
    if request.method == "POST" and form.is_valid():
        try:
            contacts.contact_close(
                contact=contact,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                narrative=form.cleaned_data["narrative"],
                body_cameras=form.body_cameras(),
            )
        except ServiceError as error:
            show_errors(request, form, error)
        else:
            messages.success(request, f"{reference} closed.")
            return redirect("intake-contact-detail", reference=reference)
    return render(
        request,
        "intake/form_page.html",
        {
            "contact": contact,
            "form": form,
            "title": f"Close {reference}",
            "submit": "Close",
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*CLOSERS)
def amend(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """A correction after close, appended; the original stays."""
    contact = contact_for_user(reference=reference, user=request.user)
    form = intake_forms.AmendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contacts.contact_amend(contact=contact, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            show_errors(request, form, error)
        else:
            messages.success(request, "Correction appended.")
            return redirect("intake-contact-detail", reference=reference)
    return render(
        request,
        "intake/form_page.html",
        {
            "contact": contact,
            "form": form,
            "title": f"Correct {reference}",
            "submit": "Append correction",
        },
    )
