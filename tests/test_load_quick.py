"""`make load`'s quick mode, for real: gunicorn, its own PostgreSQL stopped and started mid-run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

SUMMARY = re.compile(
    r"^load: (\d+) sent, (\d+) acknowledged, (\d+) stored, (\d+) lost, (\d+) server errors, "
    r"(\d+) unavailable during outage, p95 \d+ ms, [\d.]+ req/s$"
)


@pytest.mark.slow
def test_quick_load_run_loses_nothing_and_the_log_verifies():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests' process only
    result = subprocess.run(
        # Its own folder under the system's temporary folder: PostgreSQL's system account (when
        # run as root) cannot reach pytest's private tmp_path.
        [sys.executable, "-m", "benchmarks.load", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr
    summary = SUMMARY.match(lines[-1])
    assert summary is not None, result.stdout + result.stderr
    sent, acknowledged, stored, lost, errors, _unavailable = map(int, summary.groups())
    assert result.returncode == 0, result.stderr
    assert acknowledged > 0 and sent > acknowledged
    assert (stored, lost, errors) == (acknowledged, 0, 0)
    assert "outage: PostgreSQL started again" in result.stderr
    assert "verify_log: OK" in result.stderr
    # Everything it started is stopped, and its folder is gone.
    folder = re.search(r"^setup: (\S+),", result.stderr, re.M)
    assert folder is not None and not Path(folder.group(1)).exists()
