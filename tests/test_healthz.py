"""`GET /healthz`: open to monitors without sign-in, and honest about the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.helpers import ROOT


@pytest.mark.django_db
def test_healthy_app_answers_200_without_sign_in():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_unreachable_database_answers_503_naming_the_database(tmp_path):
    # A real outage: nothing listens on port 1. The check runs in a child process so this
    # suite's own database connection is untouched.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'code': r.status_code, 'body': r.json()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dispatch.settings",
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=3",
        "ALLOWED_HOSTS": "testserver",
        "DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer == {"code": 503, "body": {"status": "unavailable", "database": "unreachable"}}
    assert "password" not in result.stdout
