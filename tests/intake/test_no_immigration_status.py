"""P1: no immigration status, citizenship or nationality field exists anywhere."""

from __future__ import annotations

import inspect
import re

from django import forms
from django.apps import apps

import intake.forms

FORBIDDEN = re.compile(
    r"citizen|nationalit|national_origin|immigration.?status|alien|visa|undocumented"
    r"|country.?of.?(birth|origin)|birth.?country|a.?number|legal.?status|deportab|removab",
    re.IGNORECASE,
)


def test_no_model_field_records_immigration_status():
    checked = 0
    for model in apps.get_models():
        for field in model._meta.get_fields():
            label = getattr(field, "verbose_name", "")
            words = f"{field.name} {label} {getattr(field, 'help_text', '')}"
            assert not FORBIDDEN.search(words), f"{model._meta.label}.{field.name}"
            checked += 1
    assert checked > 100


def test_no_form_field_asks_for_it():
    form_classes = [
        obj
        for _, obj in inspect.getmembers(intake.forms, inspect.isclass)
        if issubclass(obj, forms.BaseForm) and obj.__module__ == "intake.forms"
    ]
    assert len(form_classes) >= 10
    for form_class in form_classes:
        for name, field in form_class.base_fields.items():
            words = f"{name} {field.label or ''} {field.help_text or ''}"
            assert not FORBIDDEN.search(words), f"{form_class.__name__}.{name}"


def test_the_check_would_catch_such_a_field():
    assert FORBIDDEN.search("immigration_status")
    assert FORBIDDEN.search("Country of birth")
    assert FORBIDDEN.search("citizenship")
    assert not FORBIDDEN.search("agent_name Agency request_type warrant")
