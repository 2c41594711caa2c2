"""`make bench`: one JSON line per metric, ``{"metric": ..., "value": ..., "unit": ...}``.

Figures are medians over repeated batches, so one slow batch (the other core busy) does not
move them. Targets live in the README, not in assertions: speed is measured, not tested.
"""

from __future__ import annotations

import itertools
import json
import statistics
import sys
import time
from collections.abc import Callable

from dispatch.policy import Channel, CoDecision, Crime, Facts, Request, Warrant, evaluate


def median_us(action: Callable[[], object], *, batch: int = 2_000, batches: int = 25) -> float:
    """Median time of one call, in microseconds, over ``batches`` timed batches."""
    for _ in range(batch):  # warm-up: caches filled, code paths hot
        action()
    samples = []
    for _ in range(batches):
        start = time.perf_counter_ns()
        for _ in range(batch):
            action()
        samples.append((time.perf_counter_ns() - start) / batch / 1_000)
    return statistics.median(samples)


FIGURES: list[dict[str, object]] = []


def emit(metric: str, value: float, unit: str) -> None:
    figure = {"metric": metric, "value": round(value, 3), "unit": unit}
    FIGURES.append(figure)
    print(json.dumps(figure), flush=True)


def policy_benchmarks() -> None:
    # A spread of realistic fact sets, cycled so no single branch is all that is measured.
    cases = [
        Facts(
            channel=channel,
            request=request,
            warrant=warrant,
            crime=crime,
            co_decision=decision,
            public_danger=danger,
            recorded_line_callback=True,
            co_on_scene=danger,
        )
        for channel, request, warrant, crime, decision, danger in itertools.product(
            Channel,
            (Request.DOOR_KNOCK, Request.ARREST_BACKUP),
            Warrant,
            Crime,
            CoDecision,
            (False, True),
        )
    ]
    cycle = itertools.cycle(cases)
    emit("policy_eval_us", median_us(lambda: evaluate(next(cycle))), "us")

    raw = {
        "warrant": "local_criminal",
        "co_decision": "full",
        "recorded_line_callback": True,
        "supervisor_notified": True,
        "co_on_scene": False,
        "request": "door_knock",
    }
    emit("policy_facts_parse_us", median_us(lambda: Facts.from_mapping(raw)), "us")


def database_benchmarks() -> None:
    """Figures that need PostgreSQL, on a throw-away database (``bench_dispatch``)."""
    import os

    import django
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dispatch.settings")
    django.setup()
    connections["default"].settings_dict["TEST"]["NAME"] = "bench_dispatch"
    old = setup_databases(verbosity=0, interactive=False, aliases={"default": {}})
    try:
        from benchmarks import log

        log.bench_append(emit)
    finally:
        teardown_databases(old, verbosity=0)


def main() -> int:
    started = time.perf_counter()
    policy_benchmarks()
    database_benchmarks()
    from benchmarks import dataset, results, web

    url = dataset.dataset_url()
    web.run(emit, url)
    path = results.write(FIGURES, seconds=time.perf_counter() - started)
    print(f"bench: results written to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
