"""The intake app's records. Contacts, steps and decisions arrive with the intake flow."""

from __future__ import annotations

from django.db import models


class Capability(models.Model):
    """No table: a home for the intake permissions that the role groups are granted."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("record_contact", "Can record a contact from a federal immigration authority"),
            ("report_direct_contact", "Can report a contact made directly to an officer"),
            ("decide_contact", "Can decide a contact as a commanding officer"),
            ("view_contact_log", "Can browse the contact log"),
            ("review_contact", "Can review a contact as an auditor"),
        ]

    def __str__(self) -> str:
        return "intake capability"
