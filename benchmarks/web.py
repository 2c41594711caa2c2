"""Figures over real HTTP: gunicorn on 127.0.0.1 serving the benchmark data set.

The contact log's listings are measured next to the stock Django admin changelist of the same
table (``dispatch/bench_admin.py``) and next to the bare SQL of each listing (the floor), in
the same run, on the same server. Every request must answer 200; a wrong answer stops the run.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from benchmarks.processes import ROOT, free_port, manage

PASSWORD = "bench-password-2026"  # bench-only users, on the bench database only
WARM_UP = 5
SAMPLES = 60
PAGE = 50
DEEP_PAGE = 5_000
CREATE_CLIENTS = 16
CREATE_SECONDS = 20.0

Emit = Callable[[str, float, str], None]


def deep_page() -> int:
    """Page 5,000, or the page BENCH_DEEP_PAGE names (a small data set has fewer pages)."""
    return int(os.environ.get("BENCH_DEEP_PAGE", DEEP_PAGE))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Session:
    """One signed-in browser: its cookies, sent by hand (gunicorn closes each connection)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, payload
        finally:
            conn.close()

    def sign_in(self, username: str) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SystemExit(f"bench: the sign-in page answered {status}")
        form = {"username": username, "password": PASSWORD}
        status, _, _ = self.request(
            "POST", "/accounts/login/", {**form, "csrfmiddlewaretoken": token.group(1).decode()}
        )
        if status != 302:
            raise SystemExit(f"bench: {username} could not sign in ({status})")

    def timed_get(self, path: str) -> float:
        started = time.perf_counter()
        status, _, body = self.request("GET", path)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise SystemExit(f"bench: GET {path} answered {status}: {body[:300]!r}")
        return elapsed


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure(action: Callable[[], float]) -> list[float]:
    """Milliseconds of ``SAMPLES`` calls after ``WARM_UP`` unmeasured ones."""
    for _ in range(WARM_UP):
        action()
    return [action() for _ in range(SAMPLES)]


def report(emit: Emit, name: str, samples: list[float]) -> None:
    emit(f"{name}_p50_ms", statistics.median(samples), "ms")
    emit(f"{name}_p95_ms", percentile(samples, 0.95), "ms")


USERS_SCRIPT = """
from django.contrib.auth.models import Group, User
from dispatch.roles import Role
for name, role in [("bench-auditor", Role.AUDITOR), ("bench-calltaker", Role.CALL_TAKER)]:
    user, _ = User.objects.get_or_create(username=name)
    user.set_password({password!r}); user.is_active = True; user.save()
    user.groups.set([Group.objects.get(name=role.group)])
admin, _ = User.objects.get_or_create(username="bench-admin")
admin.is_staff = admin.is_superuser = admin.is_active = True
admin.set_password({password!r}); admin.save()
"""


@contextmanager
def server(env: dict[str, str], workers: int) -> Iterator[tuple[int, int]]:
    """gunicorn on a free port; yields (port, master pid)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:dispatch.gunicorn_conf", "dispatch.wsgi"],
        cwd=ROOT,
        env={**env, "PORT": str(port), "WEB_CONCURRENCY": str(workers)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Session(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("bench: gunicorn did not become healthy")
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def worker_peak_rss_mb(master: int) -> float:
    """The largest peak resident memory (VmHWM) among the master's worker processes."""
    peak = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        if f"\nPPid:\t{master}\n" not in status:
            continue
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peak = max(peak, int(found.group(1)))
    return peak / 1024


@dataclass(frozen=True)
class Probes:
    """Realistic arguments for the listings, read from the data set itself."""

    deep_cursor: str
    deep_after: tuple[datetime, int]
    quarter: tuple[datetime, datetime]
    agency: str
    term: str
    references: list[str]


def probes(url: str) -> Probes:
    from django.core import signing

    from intake.paging import SALT

    with psycopg.connect(url) as conn:
        # The last row of page 4,999: the cursor the "next" link of that page carries.
        at, last_id = conn.execute(
            "SELECT received_at, id FROM intake_contact ORDER BY received_at DESC, id DESC "
            "OFFSET %s LIMIT 1",
            [(deep_page() - 1) * PAGE - 1],
        ).fetchone() or (None, None)
        if at is None:
            raise SystemExit(f"bench: the data set has fewer than {deep_page()} pages")
        oldest, newest = conn.execute(
            "SELECT min(received_at), max(received_at) FROM intake_contact"
        ).fetchone() or (None, None)
        middle = oldest + (newest - oldest) / 2
        start = datetime(middle.year, 3 * ((middle.month - 1) // 3) + 1, 1, tzinfo=middle.tzinfo)
        end = (start + timedelta(days=95)).replace(day=1)
        agency = conn.execute(
            "SELECT agency FROM intake_contact WHERE agency <> '' GROUP BY agency "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        # A word found in about 0.1% of contacts: what an auditor searching a name or street
        # gets (a few hundred to a thousand contacts at 1M).
        words = conn.execute(
            "SELECT word, ndoc FROM ts_stat($$SELECT search FROM intake_contact "
            "TABLESAMPLE SYSTEM (2) REPEATABLE (7)$$) WHERE length(word) > 4 "
            "ORDER BY abs(ndoc::float / (SELECT count(*) FROM intake_contact "
            "TABLESAMPLE SYSTEM (2) REPEATABLE (7)) - 0.001) LIMIT 1"
        ).fetchone()
        references = [
            row[0]
            for row in conn.execute(
                "SELECT reference FROM intake_contact TABLESAMPLE SYSTEM (1) REPEATABLE (3) "
                "LIMIT %s",
                [SAMPLES + WARM_UP],
            )
        ]
    cursor = signing.dumps([at.isoformat(), last_id, "received_at"], salt=SALT)
    return Probes(
        deep_cursor=cursor,
        deep_after=(at, last_id),
        quarter=(start, end),
        agency=agency[0] if agency else "ice_ero",
        term=words[0] if words else "warrant",
        references=references,
    )


LISTING_SQL = """
SELECT c.*, d.*, u.id, u.username, u.first_name, u.last_name
FROM intake_contact c
LEFT JOIN intake_decision d ON d.contact_id = c.id
LEFT JOIN auth_user u ON u.id = c.commanding_officer_id
{where}
ORDER BY c.received_at DESC, c.id DESC
LIMIT 51
"""


def sql_floor(emit: Emit, url: str, probe: Probes) -> None:
    """The listings' own SQL through psycopg: what the database alone costs."""
    at, last_id = probe.deep_after
    start, end = probe.quarter
    queries: dict[str, tuple[str, list[Any]]] = {
        "sql_first_page": (LISTING_SQL.format(where=""), []),
        "sql_deep_page": (
            LISTING_SQL.format(
                where="WHERE c.received_at <= %s AND (c.received_at < %s "
                "OR (c.received_at = %s AND c.id < %s))"
            ),
            [at, at, at, last_id],
        ),
        "sql_filter": (
            LISTING_SQL.format(
                where="WHERE c.agency = %s AND c.received_at >= %s AND c.received_at < %s"
            ),
            [probe.agency, start, end],
        ),
        "sql_search": (
            LISTING_SQL.format(
                where="WHERE c.search @@ websearch_to_tsquery('english', %s) "
                "OR c.reference = upper(%s)"
            ),
            [probe.term, probe.term],
        ),
    }
    # Client-side binding, as Django's backend does: the planner sees the values.
    with psycopg.connect(url, cursor_factory=psycopg.ClientCursor) as conn:
        for name, (query, params) in queries.items():

            def run_query(q: str = query, p: list[Any] = params) -> float:
                return timed(lambda: conn.execute(q, p).fetchall())

            report(emit, name, measure(run_query))


def listings(emit: Emit, port: int, probe: Probes) -> None:
    """The contact log and the stock admin, page by page, as a signed-in user of each."""
    auditor, admin = Session(port), Session(port)
    auditor.sign_in("bench-auditor")
    admin.sign_in("bench-admin")
    start, end = probe.quarter
    day = "%Y-%m-%d"
    quarter = {
        "agency": probe.agency,
        "received_from": start.strftime(day),
        "received_to": (end - timedelta(days=1)).strftime(day),
    }
    admin_quarter = {
        "agency__exact": probe.agency,
        "received_at__gte": start.strftime(day),
        "received_at__lt": end.strftime(day),
    }
    changelist = "/bench-admin/intake/contact/"
    encode = urllib.parse.urlencode
    pages = {
        "log_first_page": (auditor, "/log/"),
        "log_deep_page": (auditor, "/log/?" + encode({"after": probe.deep_cursor})),
        "log_filter": (auditor, "/log/?" + encode(quarter)),
        "log_search": (auditor, "/log/?" + encode({"q": probe.term})),
        "admin_first_page": (admin, changelist),
        "admin_deep_page": (admin, changelist + "?" + encode({"p": deep_page()})),
        "admin_filter": (admin, changelist + "?" + encode(admin_quarter)),
        "admin_search": (admin, changelist + "?" + encode({"q": probe.term})),
    }
    for name, (session, path) in pages.items():

        def get(s: Session = session, p: str = path) -> float:
            return s.timed_get(p)

        report(emit, name, measure(get))
    references = iter(probe.references * 2)
    report(emit, "detail", measure(lambda: auditor.timed_get(f"/intake/{next(references)}/")))


def export(emit: Emit, port: int, master: int) -> None:
    """The CSV of every contact, streamed; rows per second and the server's peak memory."""
    auditor = Session(port)
    auditor.sign_in("bench-auditor")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    cookie = "; ".join(f"{k}={v}" for k, v in auditor.cookies.items())
    started = time.perf_counter()
    conn.request("GET", "/log/export.csv", headers={"Cookie": cookie})
    response = conn.getresponse()
    if response.status != 200:
        raise SystemExit(f"bench: export answered {response.status}")
    lines = 0
    while chunk := response.read(1 << 20):
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    conn.close()
    rows = lines - 1  # the header
    emit("export_rows", rows, "rows")
    emit("export_rows_per_s", rows / seconds, "rows/s")
    emit("export_peak_rss_mb", worker_peak_rss_mb(master), "MB")


def intake_creation(emit: Emit, port: int) -> None:
    """New contacts opened by CREATE_CLIENTS call-takers at once, as fast as answered."""
    sessions = []
    for _ in range(CREATE_CLIENTS):
        session = Session(port)
        session.sign_in("bench-calltaker")
        sessions.append(session)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(CREATE_CLIENTS + 1)
    stop_at = [0.0]

    def work(session: Session) -> None:
        barrier.wait()
        while time.perf_counter() < stop_at[0]:
            form = {"channel": "metrosafe_911", "submission_key": str(uuid.uuid4())}
            started = time.perf_counter()
            status, headers, _ = session.request("POST", "/intake/new/", form)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 302 and "/step/caller/" in headers.get("location", ""):
                    latencies.append(elapsed)
                else:
                    failures.append(str(status))

    threads = [threading.Thread(target=work, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + CREATE_SECONDS
    started = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if failures:
        raise SystemExit(f"bench: {len(failures)} intake creations failed: {failures[:5]}")
    emit("intake_create_rps", len(latencies) / seconds, "req/s")
    emit("intake_create_p95_ms", percentile(latencies, 0.95), "ms")


def verify_rate(emit: Emit, env: dict[str, str]) -> None:
    """``manage.py verify_log`` over the whole data set's log, in entries per second."""
    started = time.perf_counter()
    output = manage("verify_log", env=env)
    seconds = time.perf_counter() - started
    counted = re.search(r"([\d,]+) entries", output)
    if counted is None:
        raise SystemExit(f"bench: verify_log said {output.strip()!r}")
    entries = int(counted.group(1).replace(",", ""))
    emit("verify_log_entries", entries, "entries")
    emit("verify_log_entries_per_s", entries / seconds, "entries/s")


def run(emit: Emit, url: str) -> None:
    """Every HTTP figure against the data set at ``url``."""
    from django.conf import settings

    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": url,
        "SECRET_KEY": settings.SECRET_KEY,  # the same key signs the deep-page cursor here
        "DATA_DIR": str(settings.DATA_DIR),
        "MFA_REQUIRED": "false",
        "BENCH_ADMIN": "true",
        "DEBUG": "false",
    }
    with psycopg.connect(url) as conn:
        contacts = conn.execute("SELECT count(*) FROM intake_contact").fetchone()
    emit("dataset_contacts", contacts[0] if contacts else 0, "contacts")
    manage("shell", "-c", USERS_SCRIPT.format(password=PASSWORD), env=env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    probe = probes(url)
    print(f"bench: search term {probe.term!r}, quarter {probe.quarter[0]:%Y-%m}", file=sys.stderr)
    sql_floor(emit, url, probe)
    verify_rate(emit, env)
    with server(env, workers=4) as (port, master):
        listings(emit, port, probe)
        export(emit, port, master)
        intake_creation(emit, port)
