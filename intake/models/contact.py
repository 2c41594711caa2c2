"""The contact: one record per communication with a federal immigration authority.

There is deliberately no field for anyone's immigration status, citizenship or nationality
(policy P1); a test walks every model and form to keep it so.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from dispatch.policy import Crime, Request, Warrant


def _choices(enum: type, labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(member.value, labels[member.value]) for member in enum]  # type: ignore[attr-defined]


REQUEST_CHOICES = _choices(
    Request,
    {
        "other": "Other / not yet clear",
        "warrant_service": "Serve a warrant",
        "arrest_backup": "Backup for an arrest",
        "door_knock": "Knock on a door",
        "clear_residence": "Clear a house or apartment",
        "traffic_stop": "Make a traffic stop",
        "transport": "Transport a person",
        "information": "Information only",
    },
)
WARRANT_CHOICES = _choices(
    Warrant,
    {
        "none": "No warrant",
        "local_criminal": "Local criminal warrant",
        "federal_criminal": "Federal criminal warrant (non-immigration offence)",
        "criminal_immigration": "Criminal immigration warrant (e.g. illegal re-entry)",
        "administrative_immigration": "Administrative immigration warrant (I-200, I-205)",
    },
)
CRIME_CHOICES = _choices(
    Crime,
    {
        "none": "No crime reported",
        "occurred": "A crime has occurred",
        "occurring": "A crime is occurring",
    },
)


class ContactChannel(models.TextChoices):
    METROSAFE_911 = "metrosafe_911", "MetroSafe 911"
    METROSAFE_NON_EMERGENCY = "metrosafe_non_emergency", "MetroSafe non-emergency"
    DIRECT_PHONE = "direct_phone", "Direct to an officer by phone"
    DIRECT_IN_PERSON = "direct_in_person", "Direct to an officer in person"
    RADIO = "radio", "Radio"

    @classmethod
    def direct(cls) -> set[str]:
        return {cls.DIRECT_PHONE.value, cls.DIRECT_IN_PERSON.value}


class Agency(models.TextChoices):
    ICE_ERO = "ice_ero", "ICE Enforcement and Removal Operations (ERO)"
    ICE_HSI = "ice_hsi", "ICE Homeland Security Investigations (HSI)"
    CBP = "cbp", "Customs and Border Protection (CBP)"
    BORDER_PATROL = "border_patrol", "Border Patrol"
    OTHER_DHS = "other_dhs", "Other DHS component"
    DHS_CONTRACTOR = "dhs_contractor", "Contractor for DHS"
    UNVERIFIED = "unverified", "Unverified / not stated"


class IdentityCheck(models.TextChoices):
    CALLBACK_KNOWN_NUMBER = "callback_known_number", "Called back on a known agency number"
    CREDENTIAL_SEEN = "credential_seen", "Credential seen in person"
    NOT_VERIFIED = "not_verified", "Not verified"


class Outcome(models.TextChoices):
    NO_POLICE_ACTION = "no_police_action", "No police action"
    PERIMETER_OBSERVE = "perimeter_observe", "Perimeter / observe only"
    WARRANT_SERVED = "warrant_served", "Criminal warrant served"
    LOCAL_ARREST = "local_arrest", "Arrest for a local crime"
    OTHER = "other", "Other"


class ReferenceCounter(models.Model):
    """The last reference number used in a year; locked row by row, so references have no gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# The columns full-text search covers (the contact log's search, and the bench's stock admin).
SEARCH_FIELDS = (
    "reference",
    "agent_name",
    "agent_badge",
    "location",
    "agent_words",
    "narrative",
    "crime_description",
    "public_danger_description",
)


class Contact(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    # Who, when, how
    reference = models.CharField(max_length=20, unique=True, editable=False)
    received_at = models.DateTimeField(default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts_entered"
    )
    channel = models.CharField(max_length=32, choices=ContactChannel.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # The form's one-time key: a double-clicked or re-sent "New contact" opens one contact.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    # The caller
    agency = models.CharField(max_length=32, choices=Agency.choices, blank=True)
    agent_name = models.CharField(max_length=120, blank=True)
    agent_badge = models.CharField("badge or credential number", max_length=60, blank=True)
    agent_callback_number = models.CharField(max_length=40, blank=True)
    agent_supervisor = models.CharField("the agent's supervisor", max_length=120, blank=True)
    identity_check = models.CharField(
        "identity verified by", max_length=32, choices=IdentityCheck.choices, blank=True
    )
    caller_recorded_at = models.DateTimeField(null=True, blank=True)

    # The request
    request_type = models.CharField(max_length=32, choices=REQUEST_CHOICES, default="other")
    agent_words = models.TextField("the agent's own words", max_length=4000, blank=True)
    location = models.CharField(max_length=200, blank=True)
    people_targeted = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(0), MaxValueValidator(500)]
    )
    subject_name = models.CharField(max_length=120, blank=True)

    # The facts the policy engine reads
    warrant = models.CharField(max_length=32, choices=WARRANT_CHOICES, default="none")
    warrant_number = models.CharField(max_length=60, blank=True)
    warrant_court = models.CharField("issuing court", max_length=120, blank=True)
    crime = models.CharField(max_length=16, choices=CRIME_CHOICES, default="none")
    crime_description = models.TextField(max_length=2000, blank=True)
    public_danger = models.BooleanField(default=False)
    public_danger_description = models.TextField(max_length=2000, blank=True)
    subject_violent_history = models.BooleanField("history of violence", default=False)
    subject_armed = models.BooleanField("armed", default=False)
    subject_danger_to_agents = models.BooleanField("danger to the agents", default=False)
    officer_in_distress = models.BooleanField(default=False)
    officer_in_distress_at = models.DateTimeField(null=True, blank=True)
    request_recorded_at = models.DateTimeField(null=True, blank=True)

    # Escalation (P2, P3, P4, P8, P10)
    commanding_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts_commanded",
    )
    co_notified_at = models.DateTimeField(null=True, blank=True)
    co_acknowledged_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    callback_at = models.DateTimeField("recorded-line callback at", null=True, blank=True)
    callback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="callbacks_made",
    )
    callback_recording_ref = models.CharField("recording reference", max_length=80, blank=True)
    supervisor_name = models.CharField("supervisor notified", max_length=120, blank=True)
    supervisor_notified_at = models.DateTimeField(null=True, blank=True)
    co_on_scene_at = models.DateTimeField(null=True, blank=True)

    # What policy permits on the current facts, kept by the services for the log's filters.
    permitted = models.CharField(max_length=16, default="none", editable=False)

    # Review and close-out
    flagged_for_review = models.BooleanField(default=False)
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    narrative = models.TextField(max_length=8000, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts_closed",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(max_length=2000, blank=True)

    # Full-text search over the reference, the agent and the place and narratives, kept by
    # PostgreSQL itself (a generated column) with a GIN index.
    search = models.GeneratedField(
        expression=SearchVector(*SEARCH_FIELDS, config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["commanding_officer", "status"]),
            models.Index(fields=["-received_at", "-id"], name="contact_log_order"),
            GinIndex(fields=["search"], name="contact_search"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_direct(self) -> bool:
        return self.channel in ContactChannel.direct()

    @property
    def subject_danger(self) -> bool:
        return self.subject_violent_history or self.subject_armed or self.subject_danger_to_agents

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
