"""What the intake views share: service errors onto forms, the evaluation panel's context."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from intake.models import Contact
from intake.selectors import contact_evaluate, refusal_reasons
from intake.services.common import ServiceError
from intake.steps import flow_for, next_step


def show_errors(request: HttpRequest, form: forms.BaseForm, error: ServiceError) -> None:
    """Put each refusal next to its field; those about no field go on top of the form."""
    for field, message in error.errors.items():
        if field is not None and field in form.fields:
            form.add_error(field, message)
        else:
            form.add_error(None, message)
    messages.error(
        request,
        "Not saved: " + str(error)
        if len(error.errors) == 1
        else "Not saved: please correct the problems below.",
    )


def evaluation_context(contact: Contact, **kwargs: Any) -> dict[str, Any]:
    evaluation = contact_evaluate(contact, **kwargs)
    return {"evaluation": evaluation, "refusals": refusal_reasons(evaluation)}


def progress_context(contact: Contact, current: str | None = None) -> dict[str, Any]:
    upcoming = next_step(contact)
    return {
        "steps": [
            {"step": step, "done": step.done(contact), "current": step.key == current}
            for step in flow_for(contact)
        ],
        "next_step": upcoming,
    }
