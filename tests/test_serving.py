"""What `make run` does, for real: a fresh data folder, migrate, seed, gunicorn, and sign-ins.

Also proves the embedded PostgreSQL is started once by the gunicorn master (not per worker)
and stopped cleanly when gunicorn stops.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import ROOT, manage

DEMO_PASSWORD = "serving-test-password"
HOMES = {
    "calltaker": ("/calltaker/", "Call-taker home"),
    "commander": ("/commander/", "Commanding officer home"),
    "officer": ("/officer/", "Officer home"),
    "auditor": ("/auditor/", "Auditor home"),
    "admin": ("/administration/", "Administrator home"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def build_opener(*handlers):
    # Loopback only: never through a proxy the environment may name.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), *handlers)


def get(url: str, opener=None):
    try:
        return (opener or build_opener()).open(url, timeout=10)
    except urllib.error.HTTPError as exc:
        return exc
    except urllib.error.URLError:
        return None  # not listening yet


def sign_in(base: str, username: str):
    jar = http.cookiejar.CookieJar()
    opener = build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None, form
    body = urllib.parse.urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=body, headers={"Referer": f"{base}/accounts/login/"}
    )
    return opener, opener.open(request, timeout=10)


def postmasters(pgdata: Path) -> list[int]:
    """PIDs of postgres postmasters serving this data folder."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"postgres") and str(pgdata).encode() in args:
            found.append(int(proc.name))
    return found


@pytest.mark.slow
def test_make_run_serves_and_each_demo_user_signs_in(tmp_path):
    data_dir = tmp_path / "data"
    env = {"DATA_DIR": str(data_dir), "DEMO_PASSWORD": DEMO_PASSWORD, "MFA_REQUIRED": "false"}
    env_without_db = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    for step in (
        ("migrate", "--noinput"),
        ("seed_demo",),
        ("collectstatic", "--noinput", "--verbosity", "0"),
    ):
        result = manage(*step, env=env)
        assert result.returncode == 0, result.stderr
    pgdata = data_dir / "pgdata"
    assert (pgdata / "PG_VERSION").exists()
    assert not (pgdata / "postmaster.pid").exists(), "each command stops the server it started"

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:dispatch.gunicorn_conf", "dispatch.wsgi"],
        cwd=ROOT,
        env={**env_without_db, **env, "PORT": str(port), "WEB_CONCURRENCY": "3"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_until(lambda: getattr(get(f"{base}/healthz"), "status", 0) == 200), (
            tmp_path / "gunicorn.log"
        ).read_text()
        assert json.loads(get(f"{base}/healthz").read()) == {"status": "ok", "database": "ok"}

        for username, (path, heading) in HOMES.items():
            opener, response = sign_in(base, username)
            assert urllib.parse.urlsplit(response.geturl()).path == path, username
            page = response.read().decode()
            assert heading in page
            stylesheet = re.search(r'href="(/static/bootstrap/css/bootstrap[^"]*\.css)"', page)
            assert stylesheet is not None
            assert get(base + stylesheet.group(1), opener).status == 200

        # One server for the whole run: the master started it, the workers only connect.
        assert len(postmasters(pgdata)) == 1
        handles = json.loads((pgdata / ".handle_pids.json").read_text())
        assert handles == [server.pid]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    assert wait_until(lambda: not postmasters(pgdata), timeout=15), "server left running"
    assert not (pgdata / "postmaster.pid").exists()
