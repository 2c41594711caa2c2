"""The worked examples of the policy specification, verbatim."""

from __future__ import annotations

from dispatch.policy import Facts, Level, evaluate


def test_door_knock_on_an_administrative_immigration_warrant_is_refused():
    decision = evaluate(
        Facts.from_mapping({"request": "door_knock", "warrant": "administrative_immigration"})
    )
    assert decision.permitted is Level.NONE
    assert decision.may_dispatch is False
    assert decision.grounds == ()
    assert {"P1", "P5", "P6"} <= set(decision.clauses)


FULL_WITH_LOCAL_WARRANT = {
    "request": "door_knock",
    "warrant": "local_criminal",
    "co_decision": "full",
    "recorded_line_callback": True,
    "supervisor_notified": True,
    "co_on_scene": True,
}


def test_local_criminal_warrant_with_every_step_done_may_dispatch():
    decision = evaluate(Facts.from_mapping(FULL_WITH_LOCAL_WARRANT))
    assert decision.to_dict() | {"clauses": None, "reasons": None} == {
        "permitted": "full",
        "grounds": ["criminal_warrant"],
        "may_dispatch": True,
        "unmet": [],
        "clauses": None,
        "reasons": None,
        "policy": "lmpd-2017-09-22",
    }
    assert {"P2", "P3", "P5", "P8", "P10"} <= set(decision.clauses)


def test_same_but_commander_not_on_scene_waits_for_the_commander():
    decision = evaluate(Facts.from_mapping({**FULL_WITH_LOCAL_WARRANT, "co_on_scene": False}))
    assert decision.permitted is Level.FULL
    assert decision.may_dispatch is False
    assert [str(u) for u in decision.unmet] == ["co_on_scene"]
    assert "P8" in decision.clauses
