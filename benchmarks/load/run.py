"""`make load`: a load and fault run against the real server.

gunicorn on 127.0.0.1 with its own data folder and its own PostgreSQL (``pg_ctl``, Unix
socket only). Call-takers, commanding officers and auditors (threads, each with its own cookie
jar) sign in through the sign-in form; once all are in, the clock starts and they record,
decide, assign, close and browse for ``--duration`` seconds. At 40% of it PostgreSQL is stopped
(``pg_ctl stop -m fast``) for ``--outage`` seconds and started again. Then every acknowledged
submission is looked up in the database and the log, and ``manage.py verify_log`` runs.

Counts cover the whole run, sign-ins included; req/s is over the sign-ins and the clock. A 503
counts as "unavailable during outage" when its request overlapped the time from the stop to a
grace period (5 s; 3 s in ``--quick``) after the restart; any other 5xx, or no answer at all, is
a server error. Progress goes to standard error.

The last line on standard output::

    load: N sent, N acknowledged, N stored, N lost, N server errors,
    N unavailable during outage, p95 X ms, Y req/s   (one line)

Exit status 1 when a submission was lost, any server error occurred (a 5xx other than a 503
during the outage, or no answer at all), the log does not verify, or (full run) fewer than
1,000 submissions were acknowledged. ``--quick`` is a short run for a test.
"""

from __future__ import annotations

import argparse
import math
import queue
import random
import re
import signal
import statistics
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from benchmarks.load.actors import Actor, Auditor, CallTaker, Commander, Inboxes
from benchmarks.load.check import check
from benchmarks.load.client import TIMEOUT, Answer, Browser, Recorder, Submission
from benchmarks.load.server import PASSWORD, Stack, Users, log

MIN_DURATION = 90.0
MIN_CLIENTS = 32
MIN_ACKNOWLEDGED = 1000
SIGN_IN_LIMIT = 120.0


@dataclass(frozen=True)
class Plan:
    duration: float
    clients: int
    outage: float
    grace: float  # after the restart, a 503 still belongs to the outage for this long
    min_acknowledged: int
    think: float
    progress_every: float


@dataclass
class Outage:
    """When the database was being stopped and when it answered again (monotonic seconds)."""

    stopping: float = math.inf
    stopped: float = math.inf
    starting: float = math.inf
    started: float = math.inf
    grace: float = 0.0

    def covers(self, answer: Answer) -> bool:
        """The request overlapped the stop, the outage or the grace after the restart."""
        return answer.ended >= self.stopping and answer.started <= self.started + self.grace


def parse(argv: list[str] | None) -> tuple[argparse.Namespace, Plan]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load",
        description="Load and fault run against gunicorn and its own PostgreSQL.",
    )
    parser.add_argument("--duration", type=float, default=100.0, help="seconds (at least 90)")
    parser.add_argument("--clients", type=int, default=32, help="signed-in clients (at least 32)")
    parser.add_argument("--outage", type=float, default=10.0, help="seconds without PostgreSQL")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2 cores)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--think", type=float, default=0.05, help="mean pause between actions")
    parser.add_argument("--seed", type=int, default=None, help="random seed of the clients")
    parser.add_argument("--data-dir", type=Path, default=None, help="parent of the run's folder")
    parser.add_argument("--keep", action="store_true", help="keep the run's data folder")
    parser.add_argument(
        "--quick", action="store_true", help="20 s, 8 clients, 3 s outage, no minimum count"
    )
    args = parser.parse_args(argv)
    if args.quick:
        return args, Plan(20.0, 8, 3.0, 3.0, 0, args.think, 5.0)
    if args.duration < MIN_DURATION or args.clients < MIN_CLIENTS:
        parser.error(f"a full run lasts at least {MIN_DURATION:.0f} s with {MIN_CLIENTS} clients")
    plan = Plan(args.duration, args.clients, args.outage, 5.0, MIN_ACKNOWLEDGED, args.think, 10.0)
    return args, plan


def population(clients: int) -> tuple[int, int, int]:
    """Call-takers, commanding officers, auditors: 3/8, 3/8 and the rest."""
    call_takers = max(1, round(clients * 3 / 8))
    commanders = max(1, round(clients * 3 / 8))
    return call_takers, commanders, max(1, clients - call_takers - commanders)


def cast(
    plan: Plan, users: Users, port: int, recorder: Recorder, stop: threading.Event, seed: int
) -> list[Actor]:
    """A browser for every user of the run, each with its role's loop."""
    inboxes: Inboxes = {name: queue.Queue() for name in users.commanders}
    go = threading.Event()

    def browser(name: str, number: int) -> Browser:
        return Browser(
            port=port,
            username=name,
            password=PASSWORD,
            recorder=recorder,
            stop=stop,
            rng=random.Random(seed * 1000 + number),
            units=users.units.get(name, []),
        )

    actors: list[Actor] = []
    for number, name in enumerate(users.call_takers):
        call_taker = CallTaker(browser(name, number), plan.think, inboxes, users.commanders, go=go)
        actors.append(call_taker)
    for number, name in enumerate(users.commanders, start=100):
        actors.append(Commander(browser(name, number), plan.think, inboxes[name], go=go))
    for number, name in enumerate(users.auditors, start=200):
        actors.append(Auditor(browser(name, number), max(plan.think, 1.0), go=go))
    return actors


def _interrupted(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up like Ctrl-C: servers stopped, folder removed


def main(argv: list[str] | None = None) -> int:
    args, plan = parse(argv)
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    stack = Stack.create(args.data_dir, workers=args.workers, threads=args.threads, keep=args.keep)
    signal.signal(signal.SIGTERM, _interrupted)
    stop = threading.Event()
    try:
        return run(stack, plan, seed, stop)
    except KeyboardInterrupt:
        log("load: interrupted")
        return 130
    except (RuntimeError, subprocess.SubprocessError) as error:  # set-up or restart failed
        log(f"load: FAILED: {error}")
        return 1
    finally:
        stop.set()
        stack.close()


def run(stack: Stack, plan: Plan, seed: int, stop: threading.Event) -> int:
    call_takers, commanders, auditors = population(plan.clients)
    log(
        f"setup: {stack.base}, gunicorn {stack.workers} workers x {stack.threads} threads "
        f"on port {stack.port}, seed {seed}"
    )
    began = time.monotonic()
    stack.pg_init()
    stack.pg_start()
    stack.create_database()
    users = stack.populate(call_takers=call_takers, commanders=commanders, auditors=auditors)
    stack.serve()
    log(
        f"setup: done in {time.monotonic() - began:.0f} s; {call_takers} call-takers, "
        f"{commanders} commanding officers, {auditors} auditors"
    )

    recorder = Recorder()
    actors = cast(plan, users, stack.port, recorder, stop, seed)
    workers = [threading.Thread(target=a.run, name=a.user, daemon=True) for a in actors]
    # Everyone signs in first (the hasher is slow on purpose: a start-of-shift storm); the
    # clock, and the outage at 40% of it, start once all are in.
    signing_in = time.monotonic()
    for worker in workers:
        worker.start()
    for actor in actors:
        if not actor.signed_in.wait(max(1.0, signing_in + SIGN_IN_LIMIT - time.monotonic())):
            raise RuntimeError(f"{actor.user} could not sign in within {SIGN_IN_LIMIT:.0f} s")
    started = time.monotonic()
    log(f"sign-in: {len(actors)} clients signed in in {started - signing_in:.1f} s")
    actors[0].go.set()
    outage = drive(stack, plan, recorder, started, stop)
    for worker in workers:
        worker.join(timeout=TIMEOUT + 5)
    ended = time.monotonic()
    log(f"load: clients stopped after {ended - started:.0f} s")

    with recorder.lock:
        answers = list(recorder.answers)
        acknowledged = list(recorder.acknowledged)
    unavailable = [a for a in answers if a.status == 503 and outage.covers(a)]
    errors = [a for a in answers if a.failed and not (a.status == 503 and outage.covers(a))]
    p95 = percentile95(answers)
    rate = len(answers) / (ended - signing_in)
    before = [a for a in answers if a.ended < outage.stopping]
    after = [a for a in answers if a.started > outage.started + outage.grace]
    log(
        f"latency: p95 {percentile95(before):.0f} ms before the outage, "
        f"{percentile95(after):.0f} ms after it (grace excluded)"
    )
    pages: dict[str, list[Answer]] = {}
    for answer in answers:
        pages.setdefault(f"{answer.method} {_shape(answer.path)}", []).append(answer)
    slowest = sorted(pages.items(), key=lambda item: -percentile95(item[1]))[:6]
    for page, group in slowest:
        log(f"latency: p95 {percentile95(group):.0f} ms for {page} ({len(group)} requests)")

    log(f"check: {len(acknowledged)} acknowledged submissions against the database and log")
    result = check(stack.database_url, acknowledged)
    report(recorder, result.by_action, errors, result.lost, stack, outage)
    verified, output = stack.verify_log()
    log(f"verify_log: {output}")

    failures = []
    if result.lost:
        failures.append(f"{len(result.lost)} acknowledged submissions lost")
    if errors:
        failures.append(f"{len(errors)} server errors")
    if not verified:
        failures.append("the log does not verify")
    if len(acknowledged) < plan.min_acknowledged:
        failures.append(f"fewer than {plan.min_acknowledged} acknowledged submissions")
    for failure in failures:
        log(f"load: FAILED: {failure}")
    print(
        f"load: {len(answers)} sent, {len(acknowledged)} acknowledged, {result.stored} stored, "
        f"{len(result.lost)} lost, {len(errors)} server errors, "
        f"{len(unavailable)} unavailable during outage, p95 {p95:.0f} ms, {rate:.1f} req/s",
        flush=True,
    )
    return 1 if failures else 0


def percentile95(answers: list[Answer]) -> float:
    """95th percentile of the time to a whole answer, in milliseconds."""
    latencies = [(a.ended - a.started) * 1000 for a in answers]
    return statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else 0.0


def drive(
    stack: Stack, plan: Plan, recorder: Recorder, started: float, stop: threading.Event
) -> Outage:
    """Run the clock: progress lines, the outage at 40% of the run, the end."""
    outage = Outage(grace=plan.grace)
    deadline = started + plan.duration
    stop_at = started + 0.4 * plan.duration
    progress_at = started + plan.progress_every
    seen = 0
    while True:
        now = time.monotonic()
        if now >= deadline:
            break
        if now >= stop_at and outage.stopping == math.inf:
            log(f"outage: stopping PostgreSQL at {now - started:.1f} s")
            outage.stopping = time.monotonic()
            stack.pg_stop()
            outage.stopped = time.monotonic()
            log(f"outage: PostgreSQL stopped ({outage.stopped - outage.stopping:.1f} s)")
        if outage.started == math.inf and now >= outage.stopped + plan.outage:
            outage.starting = time.monotonic()
            stack.pg_start()
            outage.started = time.monotonic()
            log(
                f"outage: PostgreSQL started again at {outage.started - started:.1f} s "
                f"({outage.starting - outage.stopped:.1f} s down)"
            )
        if now >= progress_at:
            with recorder.lock:
                answers = recorder.answers
                total = len(answers)
                failed = Counter(a.status for a in answers[seen:] if a.failed)
                acked = len(recorder.acknowledged)
            log(
                f"load: {now - started:5.0f} s: {total} sent, {acked} acknowledged, "
                f"{(total - seen) / plan.progress_every:.1f} req/s"
                + (f", failed {dict(failed)}" if failed else "")
            )
            seen = total
            progress_at += plan.progress_every
        time.sleep(0.05)
    stop.set()
    if outage.stopped != math.inf and outage.started == math.inf:  # a run shorter than planned
        stack.pg_start()
        outage.started = time.monotonic()
    return outage


def report(
    recorder: Recorder,
    by_action: Counter[str],
    errors: list[Answer],
    lost: list[Submission],
    stack: Stack,
    outage: Outage,
) -> None:
    """Details on standard error: per action, odd answers, errors, losses, server tracebacks."""
    log(
        "check: acknowledged by action: "
        + ", ".join(f"{k} {v}" for k, v in sorted(by_action.items()))
    )
    log(f"check: {recorder.submissions} submissions sent (resends included)")
    if outage.stopping != math.inf:
        log(
            f"outage: window {outage.started - outage.stopping:.1f} s "
            f"+ {outage.grace:.0f} s grace after the restart"
        )
    for kind, count in recorder.unexpected.most_common():
        log(f"odd: {count} x {kind}; e.g. {recorder.samples[kind][:240]}")
    if errors:
        kinds = Counter(
            f"{a.status or a.error.split('(')[0]} {a.method} {_shape(a.path)}" for a in errors
        )
        for kind, count in kinds.most_common(10):
            log(f"error: {count} x {kind}")
    for submission in lost[:10]:
        log(f"lost: {submission}")
    for line, count in server_problems(stack.gunicorn_log).most_common(8):
        log(f"server log: {count} x {line}")


def _shape(path: str) -> str:
    """A path with its contact reference and ids blanked, to group errors by page."""
    return re.sub(r"FA-\d{4}-\d{5}", "FA-*", path.split("?")[0])


EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt)\b")
NEW_ENTRY = re.compile(r"^(\d{4}-\d\d-\d\d |\d+\.\d+\.\d+\.\d+ - |\[)")


def server_problems(path: Path) -> Counter[str]:
    """What gunicorn's log says went wrong: each 5xx by its kind and the exception that reached
    Django (the last one of its traceback), and worker timeouts."""
    found: Counter[str] = Counter()
    if not path.exists():
        return found
    kind, last = "", ""
    for line in [*path.read_text(errors="replace").splitlines(), "[end]"]:
        if NEW_ENTRY.match(line):
            if kind:
                found[f"{kind}: {last[:200]}"] += 1
            failure = re.search(r" ERROR \[\w*\] django\.request: ([A-Za-z ]+): ", line)
            kind, last = (failure.group(1), "") if failure else ("", "")
            if "[ERROR] Error handling request" in line:  # not even the error page was made
                kind = "Unhandled (gunicorn)"
            if "WORKER TIMEOUT" in line:
                found["WORKER TIMEOUT"] += 1
        elif kind and EXCEPTION.match(line):
            last = line
    return found
