"""Policy packs: self-contained, and a second jurisdiction needs no change to the engine."""

from __future__ import annotations

import itertools
from datetime import date

from dispatch.policy import (
    DEFAULT_PACK,
    PACKS,
    Clause,
    Facts,
    Finding,
    Level,
    PolicyPack,
    evaluate,
    get_pack,
)
from tests.policy.test_invariants import all_facts


def test_default_pack_is_lmpd_2017():
    assert DEFAULT_PACK.id == "lmpd-2017-09-22"
    assert DEFAULT_PACK.effective == date(2017, 9, 22)
    assert [c.id for c in DEFAULT_PACK.clauses] == [f"P{n}" for n in range(1, 13)]
    assert get_pack("lmpd-2017-09-22") is DEFAULT_PACK
    assert set(PACKS) == {"lmpd-2017-09-22"}


def test_every_clause_has_a_title_and_text_in_our_own_words():
    for clause in DEFAULT_PACK.clauses:
        assert clause.title and len(clause.text) > 60, clause.id


def test_every_cited_clause_exists_in_the_pack():
    cited = set(itertools.chain.from_iterable(evaluate(f).clauses for f in all_facts()))
    assert cited <= {c.id for c in DEFAULT_PACK.clauses}
    # The decision-making clauses are all reachable; P11 and P12 govern records, not decisions.
    assert cited == {f"P{n}" for n in range(1, 11)}


def test_a_second_pack_plugs_in_without_touching_the_engine():
    def anything_goes(facts: Facts) -> Finding:
        return Finding("X1", "This test jurisdiction permits full help.", permits=Level.FULL)

    other = PolicyPack(
        id="test-pack",
        title="A test jurisdiction",
        jurisdiction="Nowhere",
        effective=date(2020, 1, 1),
        clauses=(Clause("X1", "Everything", "Officers always go."),),
        ground_rules=(anything_goes,),
        dispatch_rules=(),
    )
    decision = evaluate(Facts(), other)
    assert decision.policy == "test-pack"
    assert decision.permitted is Level.FULL
    assert decision.may_dispatch is True
    assert decision.clauses == ("X1",)
