"""Settings come from the environment, and a bad value stops the process with one plain line."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dispatch.env import env_bool, env_int, env_list, env_path, parse_database_url
from tests.helpers import manage


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("YES", True), ("1", True), ("off", False), ("False", False), ("0", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false, not 'ture'"):
        env_bool("DEBUG", False)


def test_unset_and_blank_take_the_default(monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    assert env_int("PORT", 8000) == 8000
    monkeypatch.setenv("PORT", "  ")
    assert env_int("PORT", 8000) == 8000


@pytest.mark.parametrize(
    ("raw", "message"),
    [("eighty", "whole number"), ("0", "between 1 and 65535"), ("70000", "between 1 and 65535")],
)
def test_env_int_refuses_bad_ports(monkeypatch, raw, message):
    monkeypatch.setenv("PORT", raw)
    with pytest.raises(ImproperlyConfigured, match=message):
        env_int("PORT", 8000, minimum=1, maximum=65535)


def test_env_list_refuses_an_empty_item(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example")
    assert env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example,,b.example")
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS has an empty item"):
        env_list("ALLOWED_HOSTS", [])


def test_env_path_is_taken_from_the_project_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", "elsewhere")
    assert env_path("DATA_DIR", Path(".data"), base=tmp_path) == tmp_path / "elsewhere"
    monkeypatch.setenv("DATA_DIR", "/srv/data")
    assert env_path("DATA_DIR", Path(".data"), base=tmp_path) == Path("/srv/data")


def test_database_url_tcp_and_socket_forms():
    tcp = parse_database_url("postgresql://app:s%40cret@db.internal:5433/dispatch?sslmode=require")
    assert (tcp["USER"], tcp["PASSWORD"], tcp["HOST"], tcp["PORT"], tcp["NAME"]) == (
        "app",
        "s@cret",
        "db.internal",
        "5433",
        "dispatch",
    )
    assert tcp["OPTIONS"] == {"sslmode": "require"}
    socket = parse_database_url("postgresql://postgres@/dispatch?host=/run/pg")
    assert (socket["HOST"], socket["PORT"]) == ("/run/pg", "")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite:///db.sqlite3", "PostgreSQL is the only database"),
        ("mysql://u@h/db", "PostgreSQL is the only database"),
        ("postgresql://u@h/", "must name a database"),
        ("postgresql://u@h:notaport/db", "invalid port"),
    ],
)
def test_database_url_refuses_what_is_not_postgresql(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_database_url(url)


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("PORT", "http", "PORT must be a whole number"),
        ("DATABASE_URL", "sqlite:///x", "DATABASE_URL must be a postgresql:// URL"),
    ],
)
def test_a_bad_variable_stops_any_command_with_a_plain_message(tmp_path, name, value, words):
    result = manage("policy", "show", env={name: value, "DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert words in result.stderr
    assert result.stdout == ""


def test_no_sqlite_anywhere():
    from django.conf import settings

    assert settings.DATABASES["default"]["ENGINE"] in {
        "dispatch.db",
        "django.db.backends.postgresql",
    }
    root = Path(__file__).resolve().parent.parent
    sources = [p for d in ("dispatch", "intake") for p in (root / d).rglob("*.py")]
    assert sources
    for path in sources:
        assert "sqlite" not in path.read_text().lower(), path
