"""The policy engine: facts in, a decision out, every step citing the clause that made it."""

from __future__ import annotations

from dispatch.policy.decision import Decision, Finding, Ground, Prerequisite
from dispatch.policy.facts import Facts, Level
from dispatch.policy.pack import PolicyPack
from dispatch.policy.packs import DEFAULT_PACK

_GROUND_ORDER = {ground: i for i, ground in enumerate(Ground)}
_PREREQUISITE_ORDER = {prerequisite: i for i, prerequisite in enumerate(Prerequisite)}


def evaluate(facts: Facts, pack: PolicyPack = DEFAULT_PACK) -> Decision:
    """Apply every rule of ``pack`` to ``facts``; all findings are kept, none short-circuits."""
    findings: list[Finding] = []
    permitted = Level.NONE
    for ground_rule in pack.ground_rules:
        finding = ground_rule(facts)
        if finding is not None:
            findings.append(finding)
            if finding.permits.rank > permitted.rank:
                permitted = finding.permits
    for dispatch_rule in pack.dispatch_rules:
        finding = dispatch_rule(facts, permitted)
        if finding is not None:
            findings.append(finding)

    grounds = {ground for finding in findings for ground in finding.grounds}
    unmet = {prerequisite for finding in findings for prerequisite in finding.unmet}
    if any(finding.immediate for finding in findings):
        # P9-style clauses: nothing is a prerequisite, units go now.
        unmet.clear()
        may_dispatch = permitted is not Level.NONE
    else:
        may_dispatch = permitted is not Level.NONE and not unmet
    findings.sort(key=lambda finding: pack.position(finding.clause))
    return Decision(
        permitted=permitted,
        grounds=tuple(sorted(grounds, key=_GROUND_ORDER.__getitem__)),
        may_dispatch=may_dispatch,
        unmet=tuple(sorted(unmet, key=_PREREQUISITE_ORDER.__getitem__)),
        findings=tuple(findings),
        policy=pack.id,
    )
