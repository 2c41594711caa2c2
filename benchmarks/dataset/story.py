"""One contact's story: the steps in the services' order, the decision, assignments, cancels."""

from __future__ import annotations

from benchmarks.dataset.chain import _Cut
from benchmarks.dataset.closing import _Closing
from benchmarks.dataset.config import SECOND
from benchmarks.dataset.people import Person
from benchmarks.dataset.words import (
    ASSESSMENTS,
    AUTOMATIC_REVIEW,
    CANCEL_REASONS,
    CRIMINAL_WARRANTS,
    DIRECT,
)
from dispatch.policy import Decision as Evaluation


class _Story(_Closing):
    """One contact's steps, in the order and with the records the services make."""

    def tell(self) -> None:
        rng = self.rng
        row = self.row
        direct = row["channel"] in DIRECT
        distress = not direct and rng.random() < 0.007
        self.event(
            "contact.created",
            self.entered,
            {"channel": row["channel"], "reference": row["reference"]},
        )
        if distress:
            self.distress()
            return
        if not direct and rng.random() < 0.04:
            self.cancel()
            return
        if direct:
            # P4: an officer contacted directly notifies a supervisor and calls back first.
            self.supervisor(self.entered, 1, 10)
            self.callback(self.entered, 2, 20)
        self.caller(self.entered, 0.5, 2)
        self.request(self.entered, 1, 5)
        self.later(0.3, 1.5)
        self.event(
            "contact.co_notified",
            self.entered,
            {"commanding_officer": self.commander.id, "previous": None},
        )
        row["commanding_officer_id"] = self.commander.id
        row["co_notified_at"] = self.t
        self.later(0.2, 1)
        self.event("contact.handed_over", self.entered)
        row["handed_over_at"] = self.t
        co = self.commander
        if rng.random() < 0.85:
            # Some acknowledgements come late (overdue after CO_ACK_MINUTES); some never
            # come before the decision, which then stamps the acknowledgement itself.
            if rng.random() < 0.8:
                self.later(0.3, 1.8)
            else:
                self.later(2, 9)
            self.event("contact.co_acknowledged", co)
            row["co_acknowledged_at"] = self.t
        if not row["callback_recording_ref"] and rng.random() < 0.93:
            self.callback(co, 1, 8)
        if not row["supervisor_notified_at"] and (
            (row["warrant"] in CRIMINAL_WARRANTS and rng.random() < 0.9) or rng.random() < 0.05
        ):
            self.supervisor(co, 1, 5)
        if rng.random() < 0.001:
            return  # never decided: an open exception on the auditors' dashboard
        level = self.decide(co)
        if level == "deny":
            self.later(2, 20)
            self.close(co if rng.random() < 0.75 else self.taker)
            return
        if rng.random() < 0.12:
            self.later(0.5, 3)
            self.refuse(co)  # a unit asked for before the commander is on scene (P8)
        if rng.random() < 0.97:
            self.later(5, 30)
            self.event("contact.co_on_scene", co)
            row["co_on_scene_at"] = self.t
        self.later(1, 5)
        facts = self.facts(level)
        evaluation = self.gen._evaluate(facts)[0]
        if evaluation.may_dispatch:
            count = 1 if level == "backup_only" else rng.choice((1, 1, 2, 2, 3))
            for _ in range(count):
                self.assign(co, evaluation, level)
        else:
            self.refuse(co)
        self.later(30, 240)
        self.close(co if rng.random() < 0.75 else self.taker)

    def decide(self, co: Person) -> str:
        """The commander's decision: never above what the engine permits (P2)."""
        rng = self.rng
        gen = self.gen
        row = self.row
        if rng.random() < 0.85:
            self.later(1, 12)
        else:
            self.later(12, 40)  # overdue after CO_DECISION_MINUTES
        permitted = gen._evaluate(self.facts())[0].permitted.value
        roll = rng.random()
        if permitted == "full":
            level = "full" if roll < 0.75 else "backup_only" if roll < 0.85 else "deny"
        elif permitted == "backup_only":
            level = "backup_only" if roll < 0.7 else "deny"
        else:
            level = "deny"
        evaluation, facts_json, evaluation_json = gen._evaluate(self.facts(level))
        decision_id = gen._next("intake_decision")
        if evaluation.grounds:
            why = ", ".join(str(g).replace("_", " ") for g in evaluation.grounds)
        elif row["warrant"] != "none":
            why = row["warrant"].replace("_", " ") + " warrant only"
        else:
            why = "no warrant, no crime, no danger"
        assessment = rng.choice(ASSESSMENTS[level]).format(why=why)
        self.event(
            "decision.recorded",
            co,
            {
                "decision": decision_id,
                "level": level,
                "policy": evaluation.policy,
                "permitted": evaluation.permitted.value,
                "may_dispatch": evaluation.may_dispatch,
                "clauses": list(evaluation.clauses),
            },
        )
        gen._row(
            "intake_decision",
            (
                decision_id,
                self.cid,
                level,
                assessment,
                co.id,
                gen._ts(self.t),
                evaluation.policy,
                facts_json,
                evaluation_json,
            ),
        )
        if row["co_acknowledged_at"] is None:
            row["co_acknowledged_at"] = self.t
        self.decision_level = level
        return level

    def refuse(self, actor: Person) -> None:
        """The gate says no (P8 mostly: the commander is not on scene yet); recorded."""
        gen = self.gen
        evaluation = gen._evaluate(self.facts(self.decision_level or "none"))[0]
        unit = gen.unit_pick(self.rng)
        self.event(
            "assignment.refused",
            actor,
            {
                "unit": unit,
                "unmet": [u.value for u in evaluation.unmet],
                "permitted": evaluation.permitted.value,
                "reasons": gen._refusal_reasons(evaluation),
                "policy": evaluation.policy,
            },
        )

    def assign(self, actor: Person, evaluation: Evaluation, level: str | None) -> None:
        gen = self.gen
        self.t += int(self.rng.random() * 40 * SECOND)
        unit = gen.free_unit(self.t)
        if unit is None:
            return
        if self.t > gen.end:
            raise _Cut
        assignment_id = gen._next("dispatch_assignment")
        kind = (
            "backup_only"
            if level == "backup_only" and not self.row["officer_in_distress"]
            else "full"
        )
        self.event(
            "assignment.created",
            actor,
            {
                "assignment": assignment_id,
                "unit": unit,
                "level": kind,
                "policy": evaluation.policy,
                "clauses": list(evaluation.clauses),
            },
        )
        gen.unit_free_at[unit] = gen.end + 1  # busy until the close releases it
        self.assignments.append(
            {
                "id": assignment_id,
                "unit": unit,
                "level": kind,
                "by": actor,
                "at": self.t,
                "released_at": None,
                "body_camera": "",
                "reason": "",
                "reference": "",
            }
        )

    def distress(self) -> None:
        """P9: an officer in distress; units go at once and a review opens by itself."""
        rng = self.rng
        row = self.row
        taker = self.entered
        row.update(
            officer_in_distress=True,
            officer_in_distress_at=self.t,
            flagged_for_review=True,
            permitted="full",
        )
        self.t += 1000
        self.event("contact.officer_in_distress", taker, {"flagged_for_review": True})
        self.review(None, AUTOMATIC_REVIEW, automatic=True)
        self.t += 2000
        evaluation = self.gen._evaluate(self.facts())[0]
        for _ in range(rng.choice((1, 2, 2, 3))):
            self.assign(taker, evaluation, None)
        if rng.random() < 0.8:
            self.caller(taker, 5, 20)
            self.request(taker, 1, 5)
        self.later(30, 180)
        self.close(taker if rng.random() < 0.5 else self.commander)

    def cancel(self) -> None:
        rng = self.rng
        if rng.random() < 0.6:
            self.caller(self.entered, 0.5, 2)
        self.later(0.5, 6)
        reason = rng.choice(CANCEL_REASONS)
        self.event("contact.cancelled", self.entered, {"reason": reason})
        self.row.update(
            status="cancelled", cancel_reason=reason, closed_by_id=self.entered.id, closed_at=self.t
        )
