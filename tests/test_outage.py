"""A database outage under the real server: quick 503s, input kept, recovery without a restart.

gunicorn serves a fresh data folder; the outage is real on the app's side: PostgreSQL closes
every connection to the app's database and refuses new ones, then accepts them again.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.helpers import ROOT, manage
from tests.test_serving import DEMO_PASSWORD, free_port, get, sign_in, wait_until

pytestmark = pytest.mark.slow
WSGI = ["dispatch.wsgi"]


def _admin_url(pgdata: Path) -> str:
    # postmaster.pid line 5 is the socket folder, line 4 the port (PostgreSQL's own layout).
    lines = (pgdata / "postmaster.pid").read_text().splitlines()
    return f"postgresql://postgres@/postgres?host={lines[4]}&port={lines[3]}"


@contextlib.contextmanager
def database_refusing(pgdata: Path) -> Iterator[None]:
    """Close every connection to the app's database and refuse new ones, then reopen."""
    with psycopg.connect(_admin_url(pgdata), autocommit=True) as admin:
        admin.execute("ALTER DATABASE dispatch WITH ALLOW_CONNECTIONS false")
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'dispatch'"
        )
        try:
            yield
        finally:
            admin.execute("ALTER DATABASE dispatch WITH ALLOW_CONNECTIONS true")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("outage")
    data_dir = tmp / "data"
    env = {"DATA_DIR": str(data_dir), "DEMO_PASSWORD": DEMO_PASSWORD, "MFA_REQUIRED": "false"}
    for step in (("migrate", "--noinput"), ("seed_demo",), ("collectstatic", "--noinput")):
        result = manage(*step, env=env)
        assert result.returncode == 0, result.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp / "gunicorn.log"
    env_without_db = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:dispatch.gunicorn_conf", *WSGI],
            cwd=ROOT,
            env={**env_without_db, **env, "PORT": str(port), "WEB_CONCURRENCY": "2"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            ready = wait_until(lambda: getattr(get(f"{base}/healthz"), "status", 0) == 200)
            assert ready, log_path.read_text()
            yield base, data_dir / "pgdata"
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def _form_fields(page: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }


def _post(opener, url: str, fields: dict[str, str]):
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(fields).encode(), headers={"Referer": url}
    )
    started = time.monotonic()
    response = get_or_error(opener, request)
    return response, time.monotonic() - started


def get_or_error(opener, request):
    try:
        return opener.open(request, timeout=20)
    except urllib.error.HTTPError as error:
        return error


def test_an_outage_answers_503_keeps_the_input_and_recovers_without_restart(server):
    base, pgdata = server
    opener, _ = sign_in(base, "calltaker")
    new_page = opener.open(f"{base}/intake/new/", timeout=10).read().decode()
    created = _post(
        opener, f"{base}/intake/new/", {**_form_fields(new_page), "channel": "metrosafe_911"}
    )
    response, _ = created
    caller_url = response.geturl()
    assert caller_url.endswith("/step/caller/"), caller_url
    caller_page = response.read().decode()
    typed = {
        **_form_fields(caller_page),
        "agency": "ice_ero",
        "agent_name": "Dana <b>O'Neil</b>",
        "agent_badge": "ERO-4471",
        "agent_callback_number": "502-555-0100",
        "agent_supervisor": "",
        "identity_check": "not_verified",
    }

    with database_refusing(pgdata):
        started = time.monotonic()
        home = get_or_error(opener, f"{base}/calltaker/")
        page_seconds = time.monotonic() - started
        health = get_or_error(opener, f"{base}/healthz")
        answer, seconds = _post(opener, caller_url, typed)

        assert home.status == 503 and home.headers["Retry-After"] == "10"
        assert page_seconds < 5 and seconds < 5, "an outage answers quickly, never hangs"
        assert health.status == 503
        assert json.loads(health.read()) == {"status": "unavailable", "database": "unreachable"}
        assert answer.status == 503 and answer.headers["Retry-After"] == "10"
        kept = answer.read().decode()
        assert "Not saved." in kept
        # What was typed is shown back (escaped) in a form that sends it again; never a 500.
        assert "Dana &lt;b&gt;O&#x27;Neil&lt;/b&gt;" in kept and "ERO-4471" in kept
        assert "<b>O'Neil</b>" not in kept
        assert f'action="{urllib.parse.urlsplit(caller_url).path}"' in kept

    # The database is back: the same server answers again, and the kept input is sent again.
    assert wait_until(lambda: getattr(get(f"{base}/healthz"), "status", 0) == 200, timeout=15)
    again, _ = _post(opener, caller_url, typed)
    assert again.status == 200 and again.geturl().endswith("/step/request/"), again.geturl()
    reference = caller_url.rstrip("/").split("/")[-3]
    detail = opener.open(f"{base}/intake/{reference}/", timeout=10).read().decode()
    assert "Dana &lt;b&gt;O&#x27;Neil&lt;/b&gt;" in detail
