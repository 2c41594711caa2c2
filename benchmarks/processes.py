"""What the benchmarks share to drive the app from outside: ``manage.py`` runs and free ports."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage_run(
    *args: str, env: Mapping[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """``manage.py ARGS`` in a child process with exactly ``env``; its result, whatever it is."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def manage(*args: str, env: Mapping[str, str], timeout: float = 600) -> str:
    """``manage.py ARGS``'s output; RuntimeError with its error output when it fails."""
    result = manage_run(*args, env=env, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args[:1])} failed ({result.returncode}):\n"
            f"{result.stderr.strip()[-4000:]}"
        )
    return result.stdout


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
