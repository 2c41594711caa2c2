"""The production files, checked against the real entry points (no Docker engine runs here)."""

from __future__ import annotations

import importlib
import re
import shlex

import pytest
import yaml
from django.core.management import get_commands
from django.urls import resolve

from dispatch import views
from tests.helpers import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def settings_variables() -> set[str]:
    """Every variable the settings and the gunicorn config read through the env helpers."""
    names: set[str] = set()
    for module in (
        "dispatch/settings.py",
        "dispatch/gunicorn_conf.py",
        "dispatch/management/commands/db_web_role.py",
    ):
        source = (ROOT / module).read_text()
        names |= set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', source))
    return names


def test_services_are_database_migration_and_web():
    assert set(SERVICES) == {"db", "migrate", "web"}


def test_database_is_postgresql_16_with_a_volume_and_a_health_check():
    db = SERVICES["db"]
    assert db["image"].startswith("postgres:16")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in COMPOSE["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_migration_runs_once_after_the_database_is_healthy():
    migrate = SERVICES["migrate"]
    command = migrate["command"]
    assert command[:2] == ["sh", "-c"]
    steps = [shlex.split(step) for step in command[2].split("&&")]
    assert [step[:3] for step in steps] == [
        ["python", "manage.py", "migrate"],
        ["python", "manage.py", "db_web_role"],
    ]
    assert {"migrate", "db_web_role"} <= set(get_commands())
    assert (ROOT / "manage.py").exists()
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"


def test_web_runs_our_gunicorn_config_after_migration():
    web = SERVICES["web"]
    command = web["command"]
    assert command[0] == "gunicorn"
    config = command[command.index("-c") + 1]
    assert config.startswith("python:")
    conf = importlib.import_module(config.removeprefix("python:"))
    assert callable(conf.on_starting)
    module, _, attribute = command[-1].partition(":")
    assert hasattr(importlib.import_module(module), attribute or "application")
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["environment"]["BIND_ADDRESS"] == "0.0.0.0"


def test_web_health_check_calls_the_real_health_url():
    test = " ".join(SERVICES["web"]["healthcheck"]["test"])
    url = re.search(r"http://127\.0\.0\.1:(\d+)(/\S*?)'", test)
    assert url is not None, test
    port, path = url.groups()
    assert port == SERVICES["web"]["environment"]["PORT"]
    assert resolve(path).func is views.healthz


@pytest.mark.parametrize("service", ["migrate", "web"])
def test_configuration_uses_only_the_variables_the_settings_read(service):
    environment = SERVICES[service]["environment"]
    known = settings_variables()
    assert set(environment) <= known, set(environment) - known
    assert {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DATA_DIR"} <= set(environment)
    assert environment["DEBUG"] == "false"
    # Secrets are required from the operator, never defaulted in the file.
    assert "${SECRET_KEY:?" in (ROOT / "docker-compose.yml").read_text()
    assert environment["DATABASE_URL"].startswith("postgresql://")


def test_web_runs_as_the_restricted_role_and_migrations_as_the_owner():
    assert SERVICES["web"]["environment"]["DATABASE_URL"].startswith("postgresql://dispatch_web:")
    assert SERVICES["migrate"]["environment"]["DATABASE_URL"].startswith("postgresql://dispatch:")
    assert SERVICES["migrate"]["environment"]["WEB_DB_USER"] == "dispatch_web"


def test_dockerfile_matches_compose_and_copies_what_exists():
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M)
    assert cmd is not None
    assert yaml.safe_load(cmd.group(1)) == SERVICES["web"]["command"]
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY "):
            for source in shlex.split(line)[1:-1]:
                assert (ROOT / source).exists(), source
    assert "/healthz" in DOCKERFILE
    assert DOCKERFILE.startswith("# ") and "FROM python:3.11" in DOCKERFILE
