"""The results file of `make bench`: every figure, with the machine that measured it."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.dataset import BASE_DIR as ROOT

RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "docs" / "bench" / "latest.json"))


def machine() -> dict[str, object]:
    """What ran the benchmark: CPU, cores, memory, Python, PostgreSQL, commit."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory_gib = round(int(memory) / 1024 / 1024, 1)
    except OSError:
        memory_gib = 0.0
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "commit": commit,
    }


def write(figures: list[dict[str, object]], *, seconds: float) -> Path:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "run_seconds": round(seconds, 1),
        "machine": machine(),
        "figures": figures,
    }
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")
    return RESULTS
