"""`manage.py policy evaluate|show`: the fixed command-line contract, run for real."""

from __future__ import annotations

import json

import pytest

from tests.helpers import manage


@pytest.fixture
def no_db_env(tmp_path):
    # A fresh data folder: if anything started the embedded server, pgdata would appear.
    return {"DATA_DIR": str(tmp_path / "data")}


def evaluate(payload: str, env: dict[str, str]):
    return manage("policy", "evaluate", "-", stdin=payload, env=env)


def test_evaluate_from_stdin_prints_one_json_object_and_starts_no_database(no_db_env, tmp_path):
    facts = {
        "warrant": "local_criminal",
        "co_decision": "full",
        "recorded_line_callback": True,
        "supervisor_notified": True,
    }
    result = evaluate(json.dumps(facts), no_db_env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    output = json.loads(lines[0])
    assert output["permitted"] == "full"
    assert output["grounds"] == ["criminal_warrant"]
    assert output["may_dispatch"] is False
    assert output["unmet"] == ["co_on_scene"]
    assert output["policy"] == "lmpd-2017-09-22"
    assert "P8" in output["clauses"] and "P8" in output["reasons"]
    assert not (tmp_path / "data" / "pgdata").exists()


def test_evaluate_from_a_file(no_db_env, tmp_path):
    path = tmp_path / "facts.json"
    path.write_text('{"request": "door_knock", "warrant": "administrative_immigration"}')
    result = manage("policy", "evaluate", str(path), env=no_db_env)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert (output["permitted"], output["may_dispatch"]) == ("none", False)


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        ('{"colour": "red"}', '"colour"'),
        ('{"crime": "maybe"}', '"crime"'),
        ('{"co_on_scene": "true"}', '"co_on_scene"'),
        ('{"officer_in_distress": 1}', '"officer_in_distress"'),
        ('{"co_decision": null}', '"co_decision"'),
        ('{"bad\\nkey": 1}', "bad\\nkey"),
        ("[1, 2]", "JSON object"),
        ("{not json", "not valid JSON"),
        ("", "not valid JSON"),
        ("[" * 100_000, "not valid JSON"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_key(no_db_env, payload, named):
    result = evaluate(payload, no_db_env)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert named in result.stderr


def test_missing_file_exits_2(no_db_env, tmp_path):
    result = manage("policy", "evaluate", str(tmp_path / "nope.json"), env=no_db_env)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "cannot read" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_show_prints_every_clause(no_db_env):
    result = manage("policy", "show", env=no_db_env)
    assert result.returncode == 0, result.stderr
    for n in range(1, 13):
        assert f"P{n} " in result.stdout
    assert "lmpd-2017-09-22" in result.stdout
    document = json.loads(manage("policy", "show", "--json", env=no_db_env).stdout)
    assert [c["id"] for c in document["clauses"]] == [f"P{n}" for n in range(1, 13)]
    assert document["effective"] == "2017-09-22"
