"""The dispatch app's records: police units that the dispatch gate may assign."""

from __future__ import annotations

from django.db import models


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
