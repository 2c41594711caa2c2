"""One simulated browser: a cookie jar, CSRF, sign-in, and every answer recorded with its time."""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

LOGIN = "/accounts/login/"
TIMEOUT = 30.0  # gunicorn's own worker timeout: past it, the worker is killed anyway


@dataclass(frozen=True)
class Answer:
    """One request and what came back; ``status`` 0 means no answer (refused, reset, timeout)."""

    method: str
    path: str
    status: int
    started: float
    ended: float
    body: str = ""
    location: str = ""
    retry_after: float | None = None
    error: str = ""

    @property
    def redirect_path(self) -> str:
        return urllib.parse.urlsplit(self.location).path if self.location else ""

    @property
    def to_login(self) -> bool:
        return self.status == 302 and self.redirect_path == LOGIN

    @property
    def failed(self) -> bool:
        """No answer, or the server's own failure: the client waits and tries again."""
        return self.status == 0 or self.status >= 500


@dataclass(frozen=True)
class Submission:
    """An acknowledged state change, and what it should have left in the database and log."""

    action: str  # what the checker looks for, e.g. "contact.closed", "assignment.refused"
    user: str
    reference: str = ""
    detail: str = ""  # the unit, the decision level, the recording reference...


@dataclass
class Recorder:
    """Every answer of every client (for p95, throughput and the outage window) and every
    acknowledged submission (for the final check). Shared by all client threads."""

    answers: list[Answer] = field(default_factory=list)
    acknowledged: list[Submission] = field(default_factory=list)
    submissions: int = 0
    unexpected: Counter[str] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    def submitted(self) -> None:
        with self.lock:
            self.submissions += 1

    def ack(self, submission: Submission) -> None:
        with self.lock:
            self.acknowledged.append(submission)

    def odd(self, kind: str, answer: Answer) -> None:
        """An answer that is neither success, a recorded refusal nor an outage: kept to report."""
        with self.lock:
            self.unexpected[kind] += 1
            self.samples.setdefault(
                kind, f"{answer.method} {answer.path} -> {answer.status} {answer.body[:300]!r}"
            )


class Stopped(Exception):
    """The run is over: the client leaves whatever it was doing."""


@dataclass
class Browser:
    """A signed-in user's browser: one TCP connection per request, cookies kept like a jar."""

    port: int
    username: str
    password: str
    recorder: Recorder
    stop: threading.Event
    rng: random.Random
    units: list[str] = field(default_factory=list)  # call signs this person dispatches
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "close"}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.msg.get_all("Set-Cookie") or []:
                self._keep_cookie(header)
            retry = response.getheader("Retry-After")
            answer = Answer(
                method=method,
                path=path,
                status=response.status,
                started=started,
                ended=time.monotonic(),
                body=text,
                location=response.getheader("Location", ""),
                retry_after=float(retry) if retry and retry.strip().isdigit() else None,
            )
        except (TimeoutError, OSError, http.client.HTTPException) as error:
            answer = Answer(method, path, 0, started, time.monotonic(), error=repr(error))
        finally:
            connection.close()
        self.recorder.answer(answer)
        return answer

    def _keep_cookie(self, header: str) -> None:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or not morsel.value or morsel.value == '""':
                self.cookies.pop(name, None)  # Django deletes a cookie this way
            else:
                self.cookies[name] = morsel.value

    def pause(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise Stopped

    def backoff(self, answer: Answer) -> None:
        """After a failure: the server's Retry-After (a 503 in an outage), else a second."""
        wait = answer.retry_after if answer.retry_after is not None else 1.0
        self.pause(min(wait, 10.0) * self.rng.uniform(0.5, 1.0))

    # -- what a person does: open a page, press a button ---------------------------------------

    def get(self, path: str) -> Answer:
        """A page, retried through outages, with a new sign-in when the session is gone."""
        while True:
            if self.stop.is_set():
                raise Stopped
            answer = self.request("GET", path)
            if answer.failed:
                self.backoff(answer)
            elif answer.to_login:
                self.sign_in()
            else:
                return answer

    def post(self, path: str, form: dict[str, str]) -> Answer:
        """Press a button: one submission, resent after a failure. Every form here is safe to
        resend: a new contact carries its submission key, a step or decision sent again is
        taken again or as the same, and a close already done is refused (the caller notes it)."""
        while True:
            if self.stop.is_set():
                raise Stopped
            self.recorder.submitted()
            answer = self.request("POST", path, form)
            if answer.failed:
                self.backoff(answer)
            elif answer.to_login:
                self.sign_in()
            else:
                return answer

    def follow(self, answer: Answer) -> Answer:
        """The browser loads the page a successful form redirects to (and where that sends it:
        the sign-in lands on ``/``, which sends each role to its home page)."""
        for _hop in range(5):
            answer = self.get(answer.location)
            if answer.status not in {301, 302, 303}:
                break
        return answer

    def sign_in(self) -> None:
        """Sign in through the form; acknowledged when the server sends us to our home page."""
        while True:
            self.cookies.clear()
            page = self.get(LOGIN)
            if "csrftoken" not in self.cookies:
                self.recorder.odd("login page without a CSRF cookie", page)
                self.pause(1)
                continue
            answer = self.post(LOGIN, {"username": self.username, "password": self.password})
            if answer.status == 302 and not answer.to_login and "sessionid" in self.cookies:
                self.recorder.ack(Submission("auth.signed_in", self.username))
                self.follow(answer)
                return
            self.recorder.odd("sign-in refused", answer)
            self.pause(2)


REFERENCE = re.compile(r"FA-\d{4}-\d{5}")
# A unit row on the dispatch page: only available units carry a form.
UNIT_FORM = re.compile(
    r'name="unit" value="(\d+)">\s*<button[^>]*data-testid="assign-([^"]+)"', re.S
)
CAMERA_FIELD = re.compile(r'name="camera_(\d+)"')
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')
COMMANDER_CHOICE = re.compile(r'name="commanding_officer" value="(\d+)"')
NEXT_PAGE = re.compile(r'href="(\?[^"]*after=[^"]*)"[^>]*data-testid="next-page"')
