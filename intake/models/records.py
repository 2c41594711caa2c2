"""Records appended around a contact: the decision, amendments and the timeline of events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from intake.models.contact import Contact


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


class CommanderDuty(models.Model):
    """Whether a commanding officer is on duty, so call-takers notify one who will answer."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty"
    )
    on_duty = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} {'on' if self.on_duty else 'off'} duty"


class Decision(models.Model):
    """A commanding officer's decision and what the engine said at that moment; one per contact."""

    class Level(models.TextChoices):
        DENY = "deny", "Deny: no officers sent"
        BACKUP_ONLY = "backup_only", "Backup only: perimeter / observe"
        FULL = "full", "Full assistance"

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="decision")
    level = models.CharField(max_length=16, choices=Level.choices)
    assessment = models.TextField(max_length=4000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    policy = models.CharField(max_length=40)
    facts = models.JSONField()
    evaluation = models.JSONField()

    def __str__(self) -> str:
        return f"{self.contact}: {self.level}"


class Review(models.Model):
    """An auditor's review of a contact: opened with a note, closed by a ``ReviewFinding``."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="reviews")
    note = models.TextField(max_length=4000)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )  # null: opened by the system (officer in distress)
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["opened_at", "id"]

    def __str__(self) -> str:
        return f"review of {self.contact}"


class ReviewFinding(models.Model):
    """How a review closed; appended once, never edited."""

    class Finding(models.TextChoices):
        PROPER = "proper", "Proper"
        IMPROPER = "improper", "Improper"
        POLICY_GAP = "policy_gap", "Policy gap"
        NEEDS_TRAINING = "needs_training", "Needs training"

    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="finding")
    finding = models.CharField(max_length=20, choices=Finding.choices)
    note = models.TextField(max_length=4000)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.review}: {self.finding}"


class Amendment(models.Model):
    """A correction to a closed contact; the original value stays on the contact's record."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="amendments")
    field = models.CharField(max_length=64)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(max_length=8000)
    reason = models.TextField(max_length=2000)
    amended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    amended_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["amended_at", "id"]

    def __str__(self) -> str:
        return f"{self.contact} {self.field}"


class Event(models.Model):
    """One entry of the contact log: written only by ``intake.log.event_record``.

    Entries are numbered 1, 2, 3... without gaps, each carrying the previous entry's hash and
    its own. PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE on this table.
    """

    id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_role = models.CharField(max_length=32, blank=True)
    source_ip = models.CharField(max_length=45, blank=True)  # empty outside a request
    action = models.CharField(max_length=64)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, related_name="events")
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["contact", "id"]),
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.action}"


class LogHead(models.Model):
    """The log's last entry (count and hash): locked by every append, so appends take turns."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    count = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="single_log_head")]

    def __str__(self) -> str:
        return f"{self.count}:{self.hash}"
