"""A newcomer's clone has no shared folder beside it: nothing in the project may read one."""

from __future__ import annotations

import subprocess

from tests.helpers import ROOT

SHARED = ".." + "/shared"  # spelled apart so this file does not match itself


def test_no_tracked_file_refers_to_the_shared_folder():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "manage.py" in tracked
    offenders = [
        name
        for name in tracked
        if (ROOT / name).is_file() and SHARED in (ROOT / name).read_text(errors="ignore")
    ]
    assert offenders == []


def test_the_policy_pack_carries_its_own_clause_texts():
    from dispatch.policy import DEFAULT_PACK

    assert all(clause.text for clause in DEFAULT_PACK.clauses)
