"""Forms of the intake flow. They shape and type the input; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name

from intake.models import Contact, ContactChannel, Decision, Outcome, ReviewFinding
from intake.services.contacts import (
    AMENDABLE_FIELDS,
    CALLER_FIELDS,
    REQUEST_FIELDS,
    caller_problems,
    request_problems,
)

TEXTAREA = {"rows": 3}


class NewContactForm(forms.Form):
    channel = forms.ChoiceField(
        label="How did the contact arrive?",
        choices=[
            (c.value, c.label) for c in ContactChannel if c.value not in ContactChannel.direct()
        ],
        widget=forms.RadioSelect,
        initial=ContactChannel.METROSAFE_911.value,
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.has_error("submission_key"):
            # A hidden field's own error is never shown; only a stale or altered page loses
            # the key, so say so above the form.
            self.add_error(
                None, "This form's submission key is missing or altered: reload the page."
            )
        return self.cleaned_data


class DirectContactForm(NewContactForm):
    channel = forms.ChoiceField(
        label="How did the agent contact you?",
        choices=[(c.value, c.label) for c in ContactChannel if c.value in ContactChannel.direct()],
        widget=forms.RadioSelect,
        initial=ContactChannel.DIRECT_PHONE.value,
    )


class _ProblemsMixin:
    """Ask the service's rules during clean(), so every problem shows in one round trip."""

    problems: Any = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        for field, message in type(self).problems(data).items():
            if field not in self.errors:  # type: ignore[attr-defined]
                self.add_error(field, message)  # type: ignore[attr-defined]
        return data


class CallerForm(_ProblemsMixin, forms.ModelForm):
    problems = staticmethod(caller_problems)

    class Meta:
        model = Contact
        fields = list(CALLER_FIELDS)
        widgets = {"identity_check": forms.RadioSelect}


class RequestForm(_ProblemsMixin, forms.ModelForm):
    problems = staticmethod(request_problems)

    class Meta:
        model = Contact
        fields = list(REQUEST_FIELDS)
        labels = {
            "request_type": "What is the agent asking police to do?",
            "people_targeted": "How many people are targeted?",
            "subject_name": "Subject's name (optional)",
        }
        widgets = {
            "agent_words": forms.Textarea(attrs=TEXTAREA),
            "crime_description": forms.Textarea(attrs=TEXTAREA),
            "public_danger_description": forms.Textarea(attrs=TEXTAREA),
        }


class NotifyForm(forms.Form):
    commanding_officer = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Commanding officer on duty",
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, commanders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commanding_officer"]
        field.queryset = commanders  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.username
        )


class HandOverForm(forms.Form):
    told = forms.BooleanField(
        label="I told the agent that a commanding officer will call back on a recorded line, "
        "and that no officers are sent until the commanding officer decides.",
    )


class SupervisorForm(forms.Form):
    supervisor_name = forms.CharField(label="Supervisor notified (name and rank)", max_length=120)
    at = forms.DateTimeField(
        label="When (leave empty for now)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class CallbackForm(forms.Form):
    recording_ref = forms.CharField(
        label="Recording reference",
        max_length=80,
        help_text="The recorded line's reference for this call.",
    )
    at = forms.DateTimeField(
        label="When (leave empty for now)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class DecisionForm(forms.Form):
    level = forms.ChoiceField(
        label="Your decision", choices=Decision.Level.choices, widget=forms.RadioSelect
    )
    assessment = forms.CharField(
        label="Written assessment",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you weighed and why: it is kept with the decision.",
    )


class ConfirmForm(forms.Form):
    """A button that changes state: POST only, CSRF-protected, nothing else to fill."""


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is this contact cancelled?",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class AmendForm(forms.Form):
    field = forms.ChoiceField(
        label="Field to correct",
        choices=[
            (name, str(getattr(Contact._meta.get_field(name), "verbose_name", name)).capitalize())
            for name in sorted(AMENDABLE_FIELDS)
        ],
    )
    value = forms.CharField(
        label="Corrected value", max_length=8000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    reason = forms.CharField(label="Reason for the correction", max_length=2000)

    def clean(self) -> dict[str, Any]:
        """The corrected value must fit the field it corrects: its choices, its length."""
        super().clean()
        data = self.cleaned_data
        name, value = data.get("field"), data.get("value")
        if not (name and value):
            return data
        column = Contact._meta.get_field(name)
        codes = [str(code) for code, _ in getattr(column, "flatchoices", None) or []]
        limit = getattr(column, "max_length", None)
        if codes and value not in codes:
            self.add_error(
                "value",
                f"Select a valid choice. {value} is not one of the available choices "
                f"({', '.join(codes)}).",
            )
        elif limit:
            try:
                MaxLengthValidator(limit)(value)
            except ValidationError as error:
                self.add_error("value", error)
        return data


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What did officers do?", choices=Outcome.choices, widget=forms.RadioSelect
    )
    narrative = forms.CharField(max_length=8000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, assignments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignments = assignments
        for assignment in assignments:
            unit = assignment.unit.call_sign
            self.fields[f"camera_{assignment.pk}"] = forms.ChoiceField(
                label=f"{unit}: body-camera footage recorded?",
                widget=forms.RadioSelect,
                choices=[("yes", "Yes"), ("no", "No")],
                required=False,
            )
            self.fields[f"reference_{assignment.pk}"] = forms.CharField(
                label=f"{unit}: footage reference", max_length=80, required=False
            )
            self.fields[f"reason_{assignment.pk}"] = forms.CharField(
                label=f"{unit}: if no footage, why", max_length=300, required=False
            )

    def body_cameras(self) -> dict[int, dict[str, str]]:
        data = self.cleaned_data
        return {
            a.pk: {
                "body_camera": data.get(f"camera_{a.pk}") or "",
                "reference": data.get(f"reference_{a.pk}") or "",
                "reason": data.get(f"reason_{a.pk}") or "",
            }
            for a in self.assignments
        }


class AssignForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)


class ReviewOpenForm(forms.Form):
    note = forms.CharField(
        label="What should the review look at?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewCloseForm(forms.Form):
    finding = forms.ChoiceField(choices=ReviewFinding.Finding.choices)
    note = forms.CharField(label="Why", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


def refusal_message(form: forms.BaseForm) -> str:
    """A refused form in one line naming each field, for a form answered with a redirect."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label or pretty_name(name)).rstrip("?:. ") if field else ""
        first = str(errors[0])
        parts.append(f"{label}: {first}" if label else first)
    return "Not saved. " + " ".join(parts)
