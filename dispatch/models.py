"""The dispatch app's records: police units that the dispatch gate may assign."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Unit(models.Model):
    """A police unit (a car, a team), known by its radio call sign."""

    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        ASSIGNED = "assigned", "Assigned"
        OUT_OF_SERVICE = "out_of_service", "Out of service"

    call_sign = models.CharField(max_length=16, unique=True)
    description = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call_sign"]
        permissions = [("assign_unit", "Can assign a unit to a contact (through the gate)")]

    def __str__(self) -> str:
        return self.call_sign


class Assignment(models.Model):
    """A unit sent to a contact, only ever through the gate (``dispatch.services.unit_assign``)."""

    class Level(models.TextChoices):
        BACKUP_ONLY = "backup_only", "Perimeter / observe only"
        FULL = "full", "Full assistance"

    class BodyCamera(models.TextChoices):
        YES = "yes", "Yes, recorded"
        NO = "no", "No (reason required)"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    contact = models.ForeignKey(
        "intake.Contact", on_delete=models.PROTECT, related_name="assignments"
    )
    level = models.CharField(max_length=16, choices=Level.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    body_camera = models.CharField(max_length=8, choices=BodyCamera.choices, blank=True)
    body_camera_reason = models.CharField(max_length=300, blank=True)
    body_camera_reference = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            # The database itself refuses a second live assignment of the same unit.
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(released_at__isnull=True),
                name="one_live_assignment_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} -> {self.contact}"

    @property
    def is_backup_only(self) -> bool:
        return self.level == self.Level.BACKUP_ONLY
