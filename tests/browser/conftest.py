"""Headless Chromium (Debian's) driven by Playwright against Django's live test server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.helpers import ROOT

SCREENSHOTS = ROOT / ".screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    # Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests
    # make between page actions are still plain synchronous code. Only while a browser runs.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


class Shots:
    """Numbered screenshots of each step, under a git-ignored folder."""

    def __init__(self, name: str) -> None:
        self.folder = SCREENSHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0

    def __call__(self, page: Page, label: str) -> None:
        self.count += 1
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{label}.png"), full_page=True)


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    return Shots(request.node.name)


@pytest.fixture
def open_page(browser, live_server):
    """A fresh browser context per user, signed in through the real sign-in form.

    Every page must load without a Content-Security-Policy violation or a script error."""
    contexts = []
    problems: list[str] = []

    def sign_in(username: str, password: str, *, viewport=(1280, 800)):
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, base_url=live_server.url
        )
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.set_default_timeout(10_000)
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    yield sign_in
    for context in contexts:
        context.close()
    # A refusal the test provokes (403, or the gate's 409) is expected; anything else is not.
    assert not [p for p in problems if "status of 403" not in p and "status of 409" not in p], (
        problems
    )
