"""What each simulated person does, through the same pages and forms a person uses.

Call-takers record contacts step by step and hand them to a commanding officer (now and then
an officer in distress: straight to dispatch, assign, close). Commanding officers acknowledge,
log the callback and the supervisor, decide, sometimes press *assign* too early (the gate
refuses and logs it), go on scene, assign one of their units and close out. Auditors browse the
contact log, its filters and pages, and contacts. Every acknowledged submission is recorded
with what it should have left in the database and the log.
"""

from __future__ import annotations

import queue
import re
import threading
import uuid
from dataclasses import dataclass, field

from benchmarks.load.client import (
    CAMERA_FIELD,
    COMMANDER_CHOICE,
    NEXT_PAGE,
    REFERENCE,
    SUBMISSION_KEY,
    UNIT_FORM,
    Answer,
    Browser,
    Stopped,
    Submission,
)

CALLER = {
    "agency": "ice_ero",
    "agent_name": "Dana Agent",
    "agent_badge": "ERO-4471",
    "agent_callback_number": "502-555-0100",
    "agent_supervisor": "SDDO Lee",
    "identity_check": "callback_known_number",
}
REQUEST = {
    "request_type": "arrest_backup",
    "agent_words": "We need officers at the door of 12 Elm St.",
    "location": "12 Elm St, Louisville",
    "people_targeted": "1",
    "subject_name": "",
    "warrant": "none",
    "warrant_number": "",
    "warrant_court": "",
    "crime": "none",
    "crime_description": "",
    "public_danger_description": "",
}
# The facts of each kind of contact, and the most a commanding officer may then decide.
SCENARIOS = {
    "full": (
        {
            "warrant": "local_criminal",
            "warrant_number": "24-F-01187",
            "warrant_court": "Jefferson Circuit Court",
        },
        "full",
    ),
    "backup_only": ({"subject_armed": "on", "request_type": "door_knock"}, "backup_only"),
    "deny": ({"request_type": "door_knock"}, "deny"),
}
OUTCOMES = {
    "full": "warrant_served",
    "backup_only": "perimeter_observe",
    "deny": "no_police_action",
}

Inboxes = dict[str, "queue.Queue[tuple[str, str]]"]


@dataclass
class Actor:
    """A person at a browser; ``run`` loops until the run is over."""

    browser: Browser
    think: float  # mean pause between actions, seconds
    go: threading.Event = field(kw_only=True)  # shared by all: the clock has started
    signed_in: threading.Event = field(default_factory=threading.Event, kw_only=True)

    @property
    def user(self) -> str:
        return self.browser.username

    def run(self) -> None:
        try:
            self.browser.sign_in()
            self.signed_in.set()
            while not self.go.wait(0.1):
                if self.browser.stop.is_set():
                    return
            while True:
                self.once()
        except Stopped:
            return

    def once(self) -> None:
        raise NotImplementedError

    def pause(self) -> None:
        self.browser.pause(self.browser.rng.expovariate(1 / self.think) if self.think else 0)

    def expect(
        self, answer: Answer, path: str, submission: Submission, *, follow: bool = True
    ) -> Answer | None:
        """Acknowledged when the server redirects to ``path`` (its success answer); then the
        browser loads that page, as a person's browser does."""
        if answer.status == 302 and answer.redirect_path == path:
            self.browser.recorder.ack(submission)
            return self.browser.follow(answer) if follow else answer
        self.browser.recorder.odd(f"{submission.action}: not acknowledged", answer)
        return None

    def assign(self, reference: str, page: Answer, *, refusal: bool) -> bool:
        """Press *assign* for one of this person's available units on the dispatch page.

        Success is a redirect back to the page; a refusal by the gate is a 409 showing the
        reasons, and it counts only because the app records it (``assignment.refused``)."""
        mine = set(self.browser.units)
        units = [(pk, sign) for pk, sign in UNIT_FORM.findall(page.body) if sign in mine]
        if not units:
            self.browser.recorder.odd("no own unit available", page)
            return False
        pk, sign = self.browser.rng.choice(units)
        path = f"/dispatch/{reference}/"
        answer = self.browser.post(path, {"unit": pk})
        if refusal:
            if answer.status == 409 and 'data-testid="refusal"' in answer.body:
                self.browser.recorder.ack(
                    Submission("assignment.refused", self.user, reference, sign)
                )
                return True
            self.browser.recorder.odd("assignment.refused: not acknowledged", answer)
            return False
        done = Submission("assignment.created", self.user, reference, sign)
        return self.expect(answer, path, done) is not None

    def close(self, reference: str, outcome: str) -> bool:
        """Close-out with a body-camera record for each unit the form asks about."""
        page = self.browser.get(f"/intake/{reference}/close/")
        form = {"outcome": outcome, "narrative": "Closed by the load run."}
        for assignment in sorted(set(CAMERA_FIELD.findall(page.body))):
            form[f"camera_{assignment}"] = "yes"
            form[f"reference_{assignment}"] = f"BWC-{assignment}"
        answer = self.browser.post(f"/intake/{reference}/close/", form)
        if answer.status == 200 and " is closed;" in answer.body:
            # Resent after an outage answer although the first try had committed: done
            # already, but this answer acknowledges nothing.
            self.browser.recorder.odd("close resent: already closed", answer)
            return True
        done = Submission("contact.closed", self.user, reference, outcome)
        return self.expect(answer, f"/intake/{reference}/", done) is not None


@dataclass
class CallTaker(Actor):
    inboxes: Inboxes
    commanders: dict[str, int]

    def once(self) -> None:
        rng = self.browser.rng
        if rng.random() < 0.08:
            self.distress()
        else:
            self.record(rng.choice(["full", "full", "backup_only", "deny"]))
        if rng.random() < 0.2:
            self.browser.get("/calltaker/")
        self.pause()

    def record(self, scenario: str) -> None:
        """The guided intake: open, caller, request, notify a commander, hand over."""
        browser, rng = self.browser, self.browser.rng
        keys = SUBMISSION_KEY.findall(browser.get("/intake/new/").body)
        channel = rng.choice(["metrosafe_911", "metrosafe_non_emergency", "radio"])
        # The key the page's form carries: a resent form finds the contact it opened.
        form = {"channel": channel, "submission_key": keys[0] if keys else str(uuid.uuid4())}
        answer = browser.post("/intake/new/", form)
        opened = re.fullmatch(r"/intake/(FA-\d{4}-\d{5})/step/caller/", answer.redirect_path)
        if answer.status != 302 or opened is None:
            browser.recorder.odd("contact.created: not acknowledged", answer)
            return
        reference = opened.group(1)
        browser.recorder.ack(Submission("contact.created", self.user, reference))
        browser.follow(answer)
        base = f"/intake/{reference}/step"
        facts, _level = SCENARIOS[scenario]
        steps: list[tuple[str, dict[str, str], str, str]] = [
            ("caller", CALLER, "contact.caller_recorded", ""),
            ("request", {**REQUEST, **facts}, "contact.request_recorded", ""),
        ]
        for step, values, action, detail in steps:
            self.pause()
            answer = browser.post(f"{base}/{step}/", values)
            nxt = "request" if step == "caller" else "notify"
            page_or_none = self.expect(
                answer, f"{base}/{nxt}/", Submission(action, self.user, reference, detail)
            )
            if page_or_none is None:
                return
            page = page_or_none
        # The least busy commanding officer of this run, among those the page offers.
        offered = {int(pk) for pk in COMMANDER_CHOICE.findall(page.body)}
        ours = [name for name, pk in self.commanders.items() if pk in offered]
        if not ours:
            browser.recorder.odd("no commanding officer offered", page)
            return
        name = min(ours, key=lambda n: (self.inboxes[n].qsize(), rng.random()))
        pk = str(self.commanders[name])
        self.pause()
        answer = browser.post(f"{base}/notify/", {"commanding_officer": pk})
        done = Submission("contact.co_notified", self.user, reference, pk)
        if self.expect(answer, f"{base}/handover/", done) is None:
            return
        self.pause()
        answer = browser.post(f"{base}/handover/", {"told": "on"})
        done = Submission("contact.handed_over", self.user, reference)
        if self.expect(answer, f"/intake/{reference}/", done) is not None:
            self.inboxes[name].put((reference, scenario))

    def distress(self) -> None:
        """Officer in distress: a contact opened straight onto the dispatch page (P9)."""
        browser = self.browser
        keys = SUBMISSION_KEY.findall(browser.get("/intake/new/").body)
        # The red button's own form, with its own key.
        key = keys[-1] if keys else str(uuid.uuid4())
        form = {"channel": "metrosafe_911", "submission_key": key}
        answer = browser.post("/intake/distress/", form)
        opened = re.fullmatch(r"/dispatch/(FA-\d{4}-\d{5})/", answer.redirect_path)
        if answer.status != 302 or opened is None:
            browser.recorder.odd("contact.officer_in_distress: not acknowledged", answer)
            return
        reference = opened.group(1)
        browser.recorder.ack(Submission("contact.officer_in_distress", self.user, reference))
        page = browser.follow(answer)
        self.pause()
        self.assign(reference, page, refusal=False)
        self.pause()
        self.close(reference, "other")


@dataclass
class Commander(Actor):
    inbox: queue.Queue[tuple[str, str]]

    def once(self) -> None:
        try:
            reference, scenario = self.inbox.get(timeout=0.2)
        except queue.Empty:
            # Nothing handed over yet: look at the queue, sometimes at the contact log.
            rng = self.browser.rng
            self.browser.get("/commander/" if rng.random() < 0.7 else "/log/")
            self.browser.pause(rng.uniform(0.5, 1.5))
            return
        self.handle(reference, scenario)

    def act(self, reference: str, action: str, form: dict[str, str], done: Submission) -> bool:
        self.pause()
        answer = self.browser.post(f"/commander/{reference}/{action}/", form)
        return self.expect(answer, f"/commander/{reference}/", done) is not None

    def handle(self, reference: str, scenario: str) -> None:
        """Acknowledge, callback, supervisor, decide, (an early assign), on scene, assign,
        close: each a button on the decision or dispatch screen."""
        rng, user = self.browser.rng, self.user
        _facts, level = SCENARIOS[scenario]
        recording = f"REC-{reference}"
        self.browser.get(f"/commander/{reference}/")
        steps = [
            ("acknowledge", {}, Submission("contact.co_acknowledged", user, reference)),
            (
                "callback",
                {"recording_ref": recording, "at": ""},
                Submission("contact.callback_recorded", user, reference, recording),
            ),
            (
                "supervisor",
                {"supervisor_name": "Sgt. K. Moore", "at": ""},
                Submission("contact.supervisor_notified", user, reference, "Sgt. K. Moore"),
            ),
            (
                "decide",
                {"level": level, "assessment": f"Load run: {scenario} on the facts given."},
                Submission("decision.recorded", user, reference, level),
            ),
        ]
        for action, form, done in steps:
            if not self.act(reference, action, form, done):
                return
        dispatch = f"/dispatch/{reference}/"
        # Pressing assign before being on scene (or after a denial): the gate refuses, logged.
        if rng.random() < (0.5 if level == "deny" else 0.25):
            self.pause()
            self.assign(reference, self.browser.get(dispatch), refusal=True)
        if level != "deny":
            done = Submission("contact.co_on_scene", user, reference)
            if not self.act(reference, "on-scene", {}, done):
                return
            self.pause()
            self.assign(reference, self.browser.get(dispatch), refusal=False)
        self.pause()
        self.close(reference, OUTCOMES[scenario])


@dataclass
class Auditor(Actor):
    """Reads only: the dashboard, the contact log with filters, sorts and pages, contacts."""

    last_log: str = ""

    PAGES = (
        "/auditor/",
        "/log/",
        "/log/?decision=full",
        "/log/?decision=undecided&sort=received&dir=asc",
        "/log/?agency=ice_ero&sort=reference",
        "/log/?q=Elm",
        "/log/?flag=officer_in_distress",
        "/log/?flag=under_review&sort=status",
        "/log/?request_type=door_knock&permitted=backup_only",
    )

    def once(self) -> None:
        rng = self.browser.rng
        choice = rng.random()
        if choice < 0.25 and self.last_log:
            # The next page of the last list, or a contact from it.
            more = NEXT_PAGE.search(self.last_log)
            references = REFERENCE.findall(self.last_log)
            if more and rng.random() < 0.5:
                path = "/log/" + more.group(1).replace("&amp;", "&")
            elif references:
                path = f"/intake/{rng.choice(references)}/"
            else:
                path = "/log/"
        else:
            path = rng.choice(self.PAGES)
        answer = self.browser.get(path)
        if answer.status != 200:
            self.browser.recorder.odd(f"auditor GET {path.split('?')[0]}: {answer.status}", answer)
        elif path.startswith("/log/"):
            self.last_log = answer.body
        self.pause()
