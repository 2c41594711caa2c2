"""Facts are validated: every problem reported, by key, none accepted silently."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from dispatch.policy import Channel, CoDecision, Facts, FactsError


def test_missing_keys_take_the_first_value_of_the_table():
    assert Facts.from_mapping({}) == Facts()
    facts = Facts()
    assert facts.channel is Channel.METROSAFE
    assert facts.co_decision is CoDecision.NONE
    assert facts.to_dict()["request"] == "other"
    assert facts.to_dict()["officer_in_distress"] is False


def test_facts_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(Facts(), "crime", "occurring")  # noqa: B010


@pytest.mark.parametrize(
    ("data", "key", "words"),
    [
        ({"colour": "red"}, "colour", "is not a known key"),
        ({"immigration_status": "undocumented"}, "immigration_status", "is not a known key"),
        ({"crime": "maybe"}, "crime", "must be one of none, occurred, occurring"),
        ({"crime": None}, "crime", "not null"),
        ({"warrant": "I-200"}, "warrant", "must be one of"),
        ({"public_danger": "true"}, "public_danger", "must be true or false"),
        ({"co_on_scene": 1}, "co_on_scene", "must be true or false, not 1"),
        ({"channel": ["metrosafe"]}, "channel", "must be one of"),
        ({"co_decision": "FULL"}, "co_decision", "must be one of"),
    ],
)
def test_a_bad_value_is_refused_naming_the_key(data, key, words):
    with pytest.raises(FactsError) as raised:
        Facts.from_mapping(data)
    assert list(raised.value.problems) == [key]
    assert words in raised.value.problems[key]
    assert f'"{key}"' in str(raised.value)


def test_every_problem_is_reported_at_once():
    with pytest.raises(FactsError) as raised:
        Facts.from_mapping({"crime": 3, "nationality": "x", "co_on_scene": "yes"})
    assert set(raised.value.problems) == {"crime", "nationality", "co_on_scene"}


@pytest.mark.parametrize("data", [[], "facts", 3, None])
def test_facts_must_be_an_object(data):
    with pytest.raises(FactsError) as raised:
        Facts.from_mapping(data)
    assert "must be a JSON object" in str(raised.value)


def test_a_hostile_key_stays_on_one_line():
    with pytest.raises(FactsError) as raised:
        Facts.from_mapping({"bad\nkey\r\x00": True})
    assert "\n" not in str(raised.value) and "\r" not in str(raised.value)


def test_the_engine_imports_no_django():
    code = (
        "import sys; import dispatch.policy as p; "
        "p.evaluate(p.Facts.from_mapping({'crime': 'occurring'})); "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
