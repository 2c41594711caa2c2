"""The policy's invariants, over random facts (hypothesis) and over every combination."""

from __future__ import annotations

import dataclasses
import itertools
import json

from hypothesis import given
from hypothesis import strategies as st

from dispatch.policy import (
    Channel,
    CoDecision,
    Crime,
    Facts,
    Level,
    Prerequisite,
    Request,
    Warrant,
    evaluate,
)

BOOL_FIELDS = [
    "public_danger",
    "officer_in_distress",
    "subject_danger",
    "recorded_line_callback",
    "supervisor_notified",
    "co_on_scene",
]
IMMIGRATION_WARRANTS = {Warrant.CRIMINAL_IMMIGRATION, Warrant.ADMINISTRATIVE_IMMIGRATION}

facts_strategy = st.builds(
    Facts,
    channel=st.sampled_from(Channel),
    request=st.sampled_from(Request),
    warrant=st.sampled_from(Warrant),
    crime=st.sampled_from(Crime),
    co_decision=st.sampled_from(CoDecision),
    **{name: st.booleans() for name in BOOL_FIELDS},
)


def all_facts():
    """Every combination of the fact table: 61,440 of them."""
    for channel, request, warrant, crime, decision, *flags in itertools.product(
        Channel, Request, Warrant, Crime, CoDecision, *[(False, True)] * len(BOOL_FIELDS)
    ):
        yield Facts(
            channel=channel,
            request=request,
            warrant=warrant,
            crime=crime,
            co_decision=decision,
            **dict(zip(BOOL_FIELDS, flags, strict=True)),
        )


def check_invariants(facts: Facts) -> None:
    decision = evaluate(facts)

    # The specification's formula for `permitted`, restated independently of the rules.
    has_ground = (
        facts.warrant in {Warrant.LOCAL_CRIMINAL, Warrant.FEDERAL_CRIMINAL}
        or facts.crime is not Crime.NONE
        or facts.public_danger
    )
    expected = (
        Level.FULL
        if facts.officer_in_distress or has_ground
        else Level.BACKUP_ONLY
        if facts.subject_danger
        else Level.NONE
    )
    assert decision.permitted is expected

    # P9: an officer in distress is answered at once, with nothing unmet.
    if facts.officer_in_distress:
        assert decision.may_dispatch
        assert decision.unmet == ()
        assert "P9" in decision.clauses

    # Units go only when something is permitted and the decision does not exceed it.
    if decision.may_dispatch:
        assert decision.permitted is not Level.NONE
        if not facts.officer_in_distress:
            assert facts.co_decision in {CoDecision.BACKUP_ONLY, CoDecision.FULL}
            assert decision.allows(facts.co_decision.level)
            assert facts.recorded_line_callback, "P3: recorded line first"
            assert facts.co_on_scene, "P8: commander on scene first"
            if facts.channel is Channel.DIRECT_TO_OFFICER:
                assert facts.supervisor_notified, "P4: supervisor first"
            if facts.warrant in {Warrant.LOCAL_CRIMINAL, Warrant.FEDERAL_CRIMINAL}:
                assert facts.supervisor_notified, "P10: supervisor first"

    # may_dispatch is exactly "nothing unmet" outside officer-in-distress calls.
    if not facts.officer_in_distress and decision.permitted is not Level.NONE:
        assert decision.may_dispatch == (decision.unmet == ())

    # P1/P5: immigration-only warrants never give a ground, nor raise what is permitted.
    if facts.warrant in IMMIGRATION_WARRANTS:
        without = evaluate(dataclasses.replace(facts, warrant=Warrant.NONE))
        assert decision.permitted is without.permitted
        assert decision.grounds == without.grounds
        assert decision.may_dispatch == without.may_dispatch
        if not (facts.officer_in_distress or facts.crime is not Crime.NONE or facts.public_danger):
            assert decision.grounds == ()

    # P6: what is asked for never raises what is permitted, nor lets units go.
    plain = evaluate(dataclasses.replace(facts, request=Request.OTHER))
    assert decision.permitted is plain.permitted
    assert decision.may_dispatch == plain.may_dispatch

    # Shape: unmet in canonical order, clauses unique, all JSON-serialisable, one reason each.
    assert list(decision.unmet) == [p for p in Prerequisite if p in decision.unmet]
    assert len(set(decision.clauses)) == len(decision.clauses)
    assert set(decision.reasons) == set(decision.clauses)
    assert json.loads(json.dumps(decision.to_dict()))["policy"] == "lmpd-2017-09-22"


@given(facts_strategy)
def test_invariants_hold_for_random_facts(facts):
    check_invariants(facts)


@given(
    facts_strategy,
    st.sampled_from(["recorded_line_callback", "supervisor_notified", "co_on_scene"]),
)
def test_completing_a_step_never_stops_a_dispatch(facts, step):
    before = evaluate(dataclasses.replace(facts, **{step: False}))
    after = evaluate(dataclasses.replace(facts, **{step: True}))
    assert not (before.may_dispatch and not after.may_dispatch)
    assert set(after.unmet) <= set(before.unmet)


@given(facts_strategy)
def test_facts_round_trip_through_json(facts):
    assert Facts.from_mapping(json.loads(json.dumps(facts.to_dict()))) == facts


def test_invariants_hold_for_every_combination():
    count = 0
    for facts in all_facts():
        check_invariants(facts)
        count += 1
    assert count == 2 * 8 * 5 * 3 * 4 * 2**6
