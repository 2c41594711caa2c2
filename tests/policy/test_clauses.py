"""A table of cases, at least one per clause, each naming the clause it exercises."""

from __future__ import annotations

import pytest

from dispatch.policy import DEFAULT_PACK, Facts, evaluate

READY = {  # every prerequisite in place, so only the clause under test decides the outcome
    "co_decision": "full",
    "recorded_line_callback": True,
    "supervisor_notified": True,
    "co_on_scene": True,
}

# (case, facts, permitted, grounds, may_dispatch, unmet, clause expected)
CASES = [
    (
        "P1 administrative warrant alone",
        {"warrant": "administrative_immigration", **READY},
        "none",
        [],
        False,
        ["co_decision"],
        "P1",
    ),
    (
        "P1 criminal immigration warrant alone",
        {"warrant": "criminal_immigration", **READY},
        "none",
        [],
        False,
        ["co_decision"],
        "P1",
    ),
    (
        "P2 nobody decided yet",
        {"crime": "occurring", **READY, "co_decision": "none"},
        "full",
        ["crime"],
        False,
        ["co_decision"],
        "P2",
    ),
    (
        "P2 commander denied a permitted request",
        {"crime": "occurring", **READY, "co_decision": "deny"},
        "full",
        ["crime"],
        False,
        ["co_decision"],
        "P2",
    ),
    (
        "P2 commander decided less than permitted",
        {"crime": "occurring", **READY, "co_decision": "backup_only"},
        "full",
        ["crime"],
        True,
        [],
        "P2",
    ),
    (
        "P2 decision above permitted is not acted on",
        {"subject_danger": True, **READY},
        "backup_only",
        [],
        False,
        ["co_decision"],
        "P2",
    ),
    (
        "P3 no recorded callback",
        {"public_danger": True, **READY, "recorded_line_callback": False},
        "full",
        ["public_danger"],
        False,
        ["recorded_line_callback"],
        "P3",
    ),
    (
        "P4 direct contact without supervisor",
        {
            "channel": "direct_to_officer",
            "crime": "occurred",
            **READY,
            "supervisor_notified": False,
        },
        "full",
        ["crime"],
        False,
        ["supervisor_notified"],
        "P4",
    ),
    (
        "P4 direct contact without anything",
        {
            "channel": "direct_to_officer",
            "crime": "occurred",
            "co_decision": "full",
            "co_on_scene": True,
        },
        "full",
        ["crime"],
        False,
        ["recorded_line_callback", "supervisor_notified"],
        "P4",
    ),
    (
        "P4 direct contact complete",
        {"channel": "direct_to_officer", "crime": "occurred", **READY},
        "full",
        ["crime"],
        True,
        [],
        "P4",
    ),
    (
        "P5 local criminal warrant",
        {"warrant": "local_criminal", **READY},
        "full",
        ["criminal_warrant"],
        True,
        [],
        "P5",
    ),
    (
        "P5 federal criminal warrant",
        {"warrant": "federal_criminal", **READY},
        "full",
        ["criminal_warrant"],
        True,
        [],
        "P5",
    ),
    ("P5 crime occurred", {"crime": "occurred", **READY}, "full", ["crime"], True, [], "P5"),
    ("P5 crime occurring", {"crime": "occurring", **READY}, "full", ["crime"], True, [], "P5"),
    (
        "P5 public danger",
        {"public_danger": True, **READY},
        "full",
        ["public_danger"],
        True,
        [],
        "P5",
    ),
    (
        "P5 all three grounds",
        {"warrant": "local_criminal", "crime": "occurring", "public_danger": True, **READY},
        "full",
        ["criminal_warrant", "crime", "public_danger"],
        True,
        [],
        "P5",
    ),
    ("P5 nothing at all", {}, "none", [], False, ["co_decision", "recorded_line_callback"], "P5"),
    (
        "P6 door knock asked, no ground",
        {"request": "door_knock", **READY},
        "none",
        [],
        False,
        ["co_decision"],
        "P6",
    ),
    (
        "P6 clear residence asked, no ground",
        {"request": "clear_residence", **READY},
        "none",
        [],
        False,
        ["co_decision"],
        "P6",
    ),
    (
        "P6 traffic stop asked, no ground",
        {"request": "traffic_stop", **READY},
        "none",
        [],
        False,
        ["co_decision"],
        "P6",
    ),
    (
        "P7 dangerous subject, backup only decided",
        {"subject_danger": True, **READY, "co_decision": "backup_only"},
        "backup_only",
        [],
        True,
        [],
        "P7",
    ),
    (
        "P7 dangerous subject with an immigration warrant",
        {
            "subject_danger": True,
            "warrant": "administrative_immigration",
            **READY,
            "co_decision": "backup_only",
        },
        "backup_only",
        [],
        True,
        [],
        "P7",
    ),
    (
        "P8 commander not on scene",
        {"crime": "occurring", **READY, "co_on_scene": False},
        "full",
        ["crime"],
        False,
        ["co_on_scene"],
        "P8",
    ),
    (
        "P9 officer in distress, nothing else done",
        {"officer_in_distress": True},
        "full",
        ["officer_in_distress"],
        True,
        [],
        "P9",
    ),
    (
        "P9 officer in distress on a direct contact with a warrant",
        {
            "officer_in_distress": True,
            "channel": "direct_to_officer",
            "warrant": "local_criminal",
            "co_decision": "deny",
        },
        "full",
        ["criminal_warrant", "officer_in_distress"],
        True,
        [],
        "P9",
    ),
    (
        "P10 warrant, supervisor not notified",
        {"warrant": "local_criminal", **READY, "supervisor_notified": False},
        "full",
        ["criminal_warrant"],
        False,
        ["supervisor_notified"],
        "P10",
    ),
    (
        "P10 warrant service request, supervisor notified",
        {"request": "warrant_service", "warrant": "federal_criminal", **READY},
        "full",
        ["criminal_warrant"],
        True,
        [],
        "P10",
    ),
]


@pytest.mark.parametrize(
    ("facts", "permitted", "grounds", "may_dispatch", "unmet", "clause"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_clause_table(facts, permitted, grounds, may_dispatch, unmet, clause):
    result = evaluate(Facts.from_mapping(facts)).to_dict()
    assert result["permitted"] == permitted
    assert result["grounds"] == grounds
    assert result["may_dispatch"] is may_dispatch
    assert result["unmet"] == unmet
    assert clause in result["clauses"]
    assert result["policy"] == "lmpd-2017-09-22"


def test_every_decision_clause_has_a_case():
    covered = {case[0].split()[0] for case in CASES}
    assert covered == {f"P{n}" for n in range(1, 11)}


def test_each_applied_clause_comes_with_one_sentence_to_read_aloud():
    decision = evaluate(
        Facts.from_mapping({"request": "door_knock", "warrant": "administrative_immigration"})
    )
    assert list(decision.reasons) == list(decision.clauses)
    for clause, reason in decision.reasons.items():
        assert reason.endswith("."), clause
        assert reason.count(". ") == 0, f"{clause} reason is more than one sentence: {reason}"
        assert 20 < len(reason) < 240


def test_decision_over_permitted_names_the_permitted_level():
    decision = evaluate(Facts.from_mapping({"subject_danger": True, "co_decision": "full"}))
    assert "exceeds what policy permits (backup only)" in decision.reasons["P2"]


def test_clauses_are_listed_in_the_policy_order():
    decision = evaluate(
        Facts.from_mapping(
            {"warrant": "local_criminal", "request": "door_knock", "channel": "direct_to_officer"}
        )
    )
    positions = [DEFAULT_PACK.position(clause) for clause in decision.clauses]
    assert positions == sorted(positions)
    assert decision.clauses == ("P2", "P3", "P4", "P5", "P6", "P8", "P10")
