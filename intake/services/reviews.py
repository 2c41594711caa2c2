"""Auditors' reviews: opened with a note, closed with a finding; both appended, never edited."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from dispatch.roles import Role
from intake.log import event_record
from intake.models import Contact, Review, ReviewFinding
from intake.services.common import ServiceError, require_role


def review_open_automatic(*, contact: Contact, reason: str) -> Review:
    """A review the system opens itself (officer in distress, P9); inside the caller's change."""
    review = Review.objects.create(contact=contact, note=reason, opened_by=None)
    event_record(
        action="review.opened",
        actor=None,
        contact=contact,
        obj=review,
        payload={"review": review.pk, "note": reason, "automatic": True},
    )
    return review


@transaction.atomic
def review_open(*, contact: Contact, actor: User, note: str) -> Review:
    """An auditor opens a review of a contact, saying what to look at."""
    require_role(actor, Role.AUDITOR)
    if not note.strip():
        raise ServiceError("note_required", "Say what the review is about.", field="note")
    review = Review.objects.create(contact=contact, note=note.strip(), opened_by=actor)
    event_record(
        action="review.opened",
        actor=actor,
        contact=contact,
        obj=review,
        payload={"review": review.pk, "note": review.note},
    )
    return review


@transaction.atomic
def review_close(*, review: Review, actor: User, finding: str, note: str) -> ReviewFinding:
    """An auditor closes a review with a finding; the contact's deciding commander never can."""
    require_role(actor, Role.AUDITOR)
    review = Review.objects.select_for_update().select_related("contact").get(pk=review.pk)
    errors: dict[str | None, str] = {}
    if finding not in ReviewFinding.Finding.values:
        errors["finding"] = "Choose a finding."
    if not note.strip():
        errors["note"] = "Explain the finding."
    if errors:
        raise ServiceError("invalid", "Some answers are missing.", errors=errors)
    if ReviewFinding.objects.filter(review=review).exists():
        raise ServiceError("review_closed", "This review is already closed.")
    decision = getattr(review.contact, "decision", None)
    if decision is not None and decision.decided_by_id == actor.pk:
        raise ServiceError(
            "separation_of_duties", "The commander who decided a contact cannot close its review."
        )
    result = ReviewFinding.objects.create(
        review=review, finding=finding, note=note.strip(), closed_by=actor
    )
    event_record(
        action="review.closed",
        actor=actor,
        contact=review.contact,
        obj=result,
        payload={"review": review.pk, "finding": finding, "note": result.note},
    )
    return result
