"""A contact's end: units released and the close, then later amendments and reviews."""

from __future__ import annotations

from typing import Any

from benchmarks.dataset.chain import _Cut
from benchmarks.dataset.choice import FINDINGS, rng_minutes
from benchmarks.dataset.people import Person
from benchmarks.dataset.steps import _Steps
from benchmarks.dataset.words import (
    AMEND_REASONS,
    CAMERA_REASONS,
    CRIMINAL_WARRANTS,
    EXTRAS,
    FINDING_NOTES,
    NARRATIVES,
    REVIEW_NOTES,
)


class _Closing(_Steps):
    """The close-out (P11) and what may follow it: an amendment, a review."""

    def close(self, actor: Person) -> None:
        """Close-out (P11): each unit released with its body-camera record, then the close."""
        rng = self.rng
        gen = self.gen
        row = self.row
        last = self.t + len(self.assignments) * 1000 + 1000
        if last > gen.end:
            raise _Cut
        released = []
        for assignment in self.assignments:
            self.t += 1000  # the same request: a millisecond apart
            camera = "yes" if rng.random() < 0.94 else "no"
            reason = rng.choice(CAMERA_REASONS) if camera == "no" else ""
            reference = f"BWC-{assignment['unit']}-{assignment['id']}" if camera == "yes" else ""
            self.event(
                "assignment.released",
                actor,
                {
                    "assignment": assignment["id"],
                    "unit": assignment["unit"],
                    "body_camera": camera,
                    "reason": reason,
                    "reference": reference,
                },
            )
            assignment.update(
                released_at=self.t, body_camera=camera, reason=reason, reference=reference
            )
            gen.unit_free_at[assignment["unit"]] = self.t
            released.append(assignment["unit"])
        self.t += 1000
        outcome = self.outcome()
        narrative = rng.choice(NARRATIVES[outcome]).format(
            units=", ".join(released) or "Officers",
            loc=row["location"] or "the address",
            subject=row["subject_name"] or "the subject",
            warrant=row["warrant_number"] or "(number not given)",
        )
        if rng.random() < 0.3:
            narrative += f" Note: {gen._words(rng.randrange(1, 4))}."
        self.event("contact.closed", actor, {"outcome": outcome, "units_released": released})
        row.update(
            outcome=outcome,
            narrative=narrative,
            status="closed",
            closed_by_id=actor.id,
            closed_at=self.t,
        )
        if rng.random() < 0.01:
            self.amend(actor)
        if rng.random() < 0.005:
            self.review(rng.choice(gen.auditors), rng.choice(REVIEW_NOTES), automatic=False)

    def outcome(self) -> str:
        rng = self.rng
        level = self.decision_level
        if self.row["officer_in_distress"]:
            return rng.choice(("local_arrest", "other", "no_police_action"))
        if level == "backup_only" and self.assignments:
            return "perimeter_observe" if rng.random() < 0.85 else "no_police_action"
        if level == "full" and self.assignments:
            if self.row["warrant"] in CRIMINAL_WARRANTS and rng.random() < 0.7:
                return "warrant_served"
            if self.row["crime"] != "none" and rng.random() < 0.6:
                return "local_arrest"
            return "other" if rng.random() < 0.5 else "no_police_action"
        return "no_police_action"

    def amend(self, actor: Person) -> None:
        """A correction after close (days later); the contact keeps its original value."""
        rng = self.rng
        gen = self.gen
        row = self.row
        field = rng.choice(("narrative", "narrative", "location", "agent_name"))
        before = row[field]
        after = {
            "narrative": f"{before} {rng.choice(EXTRAS)}",
            "location": gen._location(),
            "agent_name": gen._person_name(),
        }[field]
        reason = rng.choice(AMEND_REASONS)
        at = self.t + rng_minutes(rng, 60, 14 * 24 * 60)
        if at > gen.end:
            return
        amendment_id = gen._next("intake_amendment")
        self.event(
            "contact.amended",
            actor,
            {
                "amendment": amendment_id,
                "field": field,
                "before": before,
                "after": after,
                "reason": reason,
            },
            at=at,
        )
        gen._row(
            "intake_amendment",
            (amendment_id, self.cid, field, before, after, reason, actor.id, gen._ts(at)),
        )

    def review(self, auditor: Person | None, note: str, *, automatic: bool) -> None:
        """A review: opened (by an auditor, or by the system on a distress), maybe closed."""
        rng = self.rng
        gen = self.gen
        opened = self.t + 1000 if automatic else self.t + rng_minutes(rng, 60, 20 * 24 * 60)
        if opened > gen.end:
            return
        review_id = gen._next("intake_review")
        payload: dict[str, Any] = {"review": review_id, "note": note}
        if automatic:
            payload["automatic"] = True
        ip = self.entered.ip if automatic else None
        obj = ("intake.review", review_id)
        self.event("review.opened", auditor, payload, at=opened, obj=obj, ip=ip)
        gen._row(
            "intake_review",
            (review_id, self.cid, note, auditor.id if auditor else None, gen._ts(opened)),
        )
        closed = opened + rng_minutes(rng, 60, 30 * 24 * 60)
        if rng.random() < 0.85 and closed <= gen.end:
            closer = rng.choice(gen.auditors)
            finding = FINDINGS(rng)
            finding_id = gen._next("intake_reviewfinding")
            note = FINDING_NOTES[finding]
            self.event(
                "review.closed",
                closer,
                {"review": review_id, "finding": finding, "note": note},
                at=closed,
                obj=("intake.reviewfinding", finding_id),
            )
            gen._row(
                "intake_reviewfinding",
                (finding_id, review_id, finding, note, closer.id, gen._ts(closed)),
            )
