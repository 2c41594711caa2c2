"""Louisville Metro Police, 22 September 2017: assistance to federal immigration authorities.

The clause texts are our own restatement of the policy, written to be read to a caller.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from dispatch.policy.decision import Finding, Ground, Prerequisite
from dispatch.policy.facts import Channel, CoDecision, Crime, Facts, Level, Request, Warrant
from dispatch.policy.pack import Clause, PolicyPack

CLAUSES = (
    Clause(
        "P1",
        "Non-enforcement",
        "The department does not enforce federal civil immigration law. Immigration status is "
        "never a reason to send officers, and no immigration status of anyone is recorded.",
    ),
    Clause(
        "P2",
        "A commanding officer handles the call",
        "Every request from a federal immigration authority goes to a commanding officer, who "
        "assesses what help, if any, is appropriate and decides. Call-takers never decide.",
    ),
    Clause(
        "P3",
        "Recorded line",
        "The commanding officer speaks with the federal official on a recorded line, and the "
        "recording's reference is logged with the contact.",
    ),
    Clause(
        "P4",
        "Direct contact",
        "When an agent reaches an officer directly, by cell phone or in person, the officer "
        "notifies a supervisor and calls back on a recorded line before giving any help.",
    ),
    Clause(
        "P5",
        "Grounds",
        "Officers are sent only for a criminal warrant not based on immigration status (G1), a "
        "crime that has occurred or is occurring (G2), or an emergency with a clear danger to "
        "the public (G3). A criminal immigration warrant (such as illegal re-entry) and an "
        "administrative immigration warrant (I-200, I-205) are not grounds.",
    ),
    Clause(
        "P6",
        "No civil-immigration help",
        "Officers do not knock on doors, clear homes, make traffic stops or make any contact "
        "only to help an immigration authority reach someone. What is asked for never raises "
        "what the facts permit.",
    ),
    Clause(
        "P7",
        "Backup only",
        "When there is no ground but the subject has a history of violence, is armed, or "
        "endangers the agents, officers may go as backup only: secure the perimeter or "
        "observe, unless a public-safety issue arises.",
    ),
    Clause(
        "P8",
        "Commanding officer first",
        "A commanding officer is on scene before any officer is assigned to assist, except in "
        "an officer-in-distress call.",
    ),
    Clause(
        "P9",
        "Officer in distress",
        "When an officer or agent is in immediate danger, units go at once: the commanding "
        "officer, recorded line, direct-contact, on-scene and supervisor steps do not hold "
        "them up, and the contact is reviewed afterwards.",
    ),
    Clause(
        "P10",
        "Warrant service",
        "Officers serve criminal warrants (G1) when an immigration authority calls about them, "
        "after a supervisor has been notified.",
    ),
    Clause(
        "P11",
        "The form",
        "Every contact is recorded: what was asked, the commanding officer who handled it, "
        "whether body-camera footage was recorded, and the recorded-line callback.",
    ),
    Clause(
        "P12",
        "Transparency",
        "Every contact, decision and assignment is kept in a log that auditors can browse and "
        "verify, and aggregate figures can be published.",
    ),
)

_CRIMINAL_WARRANTS = {Warrant.LOCAL_CRIMINAL, Warrant.FEDERAL_CRIMINAL}
_IMMIGRATION_WARRANTS = {
    Warrant.CRIMINAL_IMMIGRATION: "a criminal immigration warrant",
    Warrant.ADMINISTRATIVE_IMMIGRATION: "an administrative immigration warrant",
}
_CIVIL_ACTIONS = {
    Request.DOOR_KNOCK: "knock on a door",
    Request.CLEAR_RESIDENCE: "clear a home",
    Request.TRAFFIC_STOP: "make a traffic stop",
}
_LEVEL_WORDS = {Level.NONE: "no help", Level.BACKUP_ONLY: "backup only", Level.FULL: "full help"}
_GROUND_WORDS = {
    Ground.CRIMINAL_WARRANT: "a criminal warrant not based on immigration status",
    Ground.CRIME: "a crime",
    Ground.PUBLIC_DANGER: "a clear danger to the public",
}


def _grounds(facts: Facts) -> tuple[Ground, ...]:
    found: list[Ground] = []
    if facts.warrant in _CRIMINAL_WARRANTS:
        found.append(Ground.CRIMINAL_WARRANT)
    if facts.crime is not Crime.NONE:
        found.append(Ground.CRIME)
    if facts.public_danger:
        found.append(Ground.PUBLIC_DANGER)
    return tuple(found)


# Findings are immutable, so each possible one is built once: an evaluation then costs a few
# dictionary look-ups, not a dozen object constructions (`make bench`: policy_eval_us).
_UNMET_DECISION = (Prerequisite.CO_DECISION,)

_IMMIGRATION_WARRANT_FINDINGS = {
    warrant: Finding(
        "P1",
        f"The subject is wanted on {kind}, which concerns immigration status, and immigration "
        "status is never a reason to send officers.",
    )
    for warrant, kind in _IMMIGRATION_WARRANTS.items()
}
_NO_GROUND = Finding(
    "P5",
    "There is no ground to send officers: no criminal warrant outside immigration, no crime, "
    "and no clear danger to the public.",
)
_NO_GROUND_BUT_DISTRESS = Finding(
    "P5",
    "There is no criminal warrant outside immigration, no crime and no clear public danger; "
    "help goes only because an officer or agent is in distress.",
)
_CIVIL_ACTION_FINDINGS = {
    request: Finding(
        "P6",
        f"Officers do not {action} to help an immigration authority; the request itself "
        "permits nothing, only the facts can.",
    )
    for request, action in _CIVIL_ACTIONS.items()
}
_BACKUP_ONLY = Finding(
    "P7",
    "The subject is reported dangerous but there is no ground, so officers may go as backup "
    "only, to secure the perimeter or observe.",
    permits=Level.BACKUP_ONLY,
)
_OFFICER_IN_DISTRESS = Finding(
    "P9",
    "An officer or agent is in immediate danger, so units go now and the contact is flagged "
    "for review afterwards.",
    grounds=(Ground.OFFICER_IN_DISTRESS,),
    permits=Level.FULL,
    immediate=True,
)
_DECISION_WAIVED = Finding(
    "P2",
    "Units do not wait for a commanding officer's decision in an officer-in-distress call; a "
    "commanding officer reviews it afterwards.",
)
_UNDECIDED = Finding(
    "P2",
    "A commanding officer must assess this request and decide; a call-taker never decides.",
    unmet=_UNMET_DECISION,
)
_DENIED = Finding(
    "P2", "The commanding officer denied help, so no units are sent.", unmet=_UNMET_DECISION
)
_CALLBACK_LOGGED = Finding("P3", "The recorded-line callback with the agency is logged.")
_CALLBACK_LATER = Finding(
    "P3",
    "The recorded-line callback is not logged yet; in an officer-in-distress call it is "
    "recorded afterwards.",
)
_CALLBACK_MISSING = Finding(
    "P3",
    "The commanding officer must speak with the agency on a recorded line and log the "
    "recording before units are sent.",
    unmet=(Prerequisite.RECORDED_LINE_CALLBACK,),
)
_DIRECT_DONE = Finding(
    "P4",
    "The agent contacted an officer directly; a supervisor was notified and the officer called "
    "back on a recorded line.",
)
_DIRECT_LATER = Finding(
    "P4",
    "The agent contacted an officer directly; the supervisor and recorded callback follow "
    "after this officer-in-distress call.",
)
_DIRECT_REASON = (
    "The agent contacted an officer directly, so the officer must notify a supervisor and call "
    "back on a recorded line before giving any help."
)
_DIRECT_MISSING = {
    (supervisor, callback): Finding(
        "P4",
        _DIRECT_REASON,
        unmet=tuple(
            prerequisite
            for prerequisite, done in (
                (Prerequisite.SUPERVISOR_NOTIFIED, supervisor),
                (Prerequisite.RECORDED_LINE_CALLBACK, callback),
            )
            if not done
        ),
    )
    for supervisor in (False, True)
    for callback in (False, True)
}
_CO_ON_SCENE = Finding("P8", "A commanding officer is on scene.")
_CO_NOT_AWAITED = Finding(
    "P8", "Units go before a commanding officer arrives because an officer is in distress."
)
_CO_NOT_ON_SCENE = Finding(
    "P8",
    "A commanding officer must be on scene before any officer is assigned.",
    unmet=(Prerequisite.CO_ON_SCENE,),
)
_SUPERVISOR_NOTIFIED = Finding(
    "P10", "A supervisor was notified before the criminal warrant is served."
)
_SUPERVISOR_LATER = Finding(
    "P10",
    "The supervisor is notified of the criminal warrant after this officer-in-distress call.",
)
_SUPERVISOR_MISSING = Finding(
    "P10",
    "Officers may serve the criminal warrant, but a supervisor must be notified first.",
    unmet=(Prerequisite.SUPERVISOR_NOTIFIED,),
)


@cache
def _grounds_finding(found: tuple[Ground, ...]) -> Finding:
    words = " and ".join(_GROUND_WORDS[ground] for ground in found)
    return Finding(
        "P5", f"Officers may be sent because there is {words}.", grounds=found, permits=Level.FULL
    )


@cache
def _decision_finding(decided: Level, permitted: Level) -> Finding:
    if decided.rank > permitted.rank:
        return Finding(
            "P2",
            f"The commanding officer's decision of {_LEVEL_WORDS[decided]} exceeds what policy "
            f"permits ({_LEVEL_WORDS[permitted]}), so it cannot be acted on.",
            unmet=_UNMET_DECISION,
        )
    return Finding(
        "P2",
        f"The commanding officer decided {_LEVEL_WORDS[decided]}, within what policy permits.",
    )


# --- Ground rules: what the facts permit -------------------------------------------------------


def non_enforcement(facts: Facts) -> Finding | None:
    """P1: an immigration warrant is about status, and status is never a ground."""
    return _IMMIGRATION_WARRANT_FINDINGS.get(facts.warrant)


def grounds(facts: Facts) -> Finding:
    """P5: officers go only for a criminal warrant, a crime, or a clear public danger."""
    found = _grounds(facts)
    if found:
        return _grounds_finding(found)
    return _NO_GROUND_BUT_DISTRESS if facts.officer_in_distress else _NO_GROUND


def no_civil_immigration_help(facts: Facts) -> Finding | None:
    """P6: a civil-immigration task asked for permits nothing by itself."""
    return _CIVIL_ACTION_FINDINGS.get(facts.request)


def backup_only(facts: Facts) -> Finding | None:
    """P7: a dangerous subject with no ground allows backup only."""
    if not facts.subject_danger or facts.officer_in_distress or _grounds(facts):
        return None
    return _BACKUP_ONLY


def officer_in_distress(facts: Facts) -> Finding | None:
    """P9: an officer or agent in immediate danger is answered at once."""
    return _OFFICER_IN_DISTRESS if facts.officer_in_distress else None


# --- Dispatch rules: what must be in place before units go ------------------------------------


def commanding_officer_decides(facts: Facts, permitted: Level) -> Finding:
    """P2: only a commanding officer decides, and never above what is permitted."""
    if facts.officer_in_distress:
        return _DECISION_WAIVED
    decision = facts.co_decision
    if decision is CoDecision.NONE:
        return _UNDECIDED
    if decision is CoDecision.DENY:
        return _DENIED
    return _decision_finding(decision.level, permitted)


def recorded_line(facts: Facts, permitted: Level) -> Finding:
    """P3: the CO's conversation with the agency happens on a recorded line."""
    if facts.recorded_line_callback:
        return _CALLBACK_LOGGED
    return _CALLBACK_LATER if facts.officer_in_distress else _CALLBACK_MISSING


def direct_contact(facts: Facts, permitted: Level) -> Finding | None:
    """P4: an agent who reached an officer directly gets a supervisor and a recorded callback."""
    if facts.channel is not Channel.DIRECT_TO_OFFICER:
        return None
    if facts.supervisor_notified and facts.recorded_line_callback:
        return _DIRECT_DONE
    if facts.officer_in_distress:
        return _DIRECT_LATER
    return _DIRECT_MISSING[(facts.supervisor_notified, facts.recorded_line_callback)]


def commanding_officer_first(facts: Facts, permitted: Level) -> Finding | None:
    """P8: a commanding officer is on scene before any officer is assigned."""
    if permitted is Level.NONE:
        return None
    if facts.co_on_scene:
        return _CO_ON_SCENE
    return _CO_NOT_AWAITED if facts.officer_in_distress else _CO_NOT_ON_SCENE


def warrant_service(facts: Facts, permitted: Level) -> Finding | None:
    """P10: a criminal warrant may be served once a supervisor is notified."""
    if facts.warrant not in _CRIMINAL_WARRANTS:
        return None
    if facts.supervisor_notified:
        return _SUPERVISOR_NOTIFIED
    return _SUPERVISOR_LATER if facts.officer_in_distress else _SUPERVISOR_MISSING


PACK = PolicyPack(
    id="lmpd-2017-09-22",
    title="Assistance to federal immigration authorities",
    jurisdiction="Louisville Metro Police Department (MetroSafe)",
    effective=date(2017, 9, 22),
    clauses=CLAUSES,
    ground_rules=(
        non_enforcement,
        grounds,
        no_civil_immigration_help,
        backup_only,
        officer_in_distress,
    ),
    dispatch_rules=(
        commanding_officer_decides,
        recorded_line,
        direct_contact,
        commanding_officer_first,
        warrant_service,
    ),
)
