"""Browser tests: Debian's headless Chromium driven by Playwright against live_server.

CI (``.ci/run``) installs ``chromium``; on a machine without it these tests are skipped
with the command to install it, except under CI, where a missing browser is a failure.
"""

import os
import tempfile
from pathlib import Path

import pytest
from django.db import connections

from tests.organization.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A common Android phone; work teams use the app on one.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def browser(monkeypatch):
    """One browser per test: Playwright's sync API runs an event loop in this thread
    while it lives, which Django's async-safety check would otherwise refuse for the
    ORM calls a test makes between browser steps (and the variable that allows them
    must not leak into other tests: ``check --deploy`` rejects it)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found: apt-get install chromium (or set CHROMIUM=/path/to/chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # With the loop running, Django (asgiref's Local) keeps this thread's connections apart
        # from its usual ones: the test's ORM calls opened their own. Close them while the loop
        # still runs; afterwards nothing can reach them, and they would stay open to the end of
        # the run, where the test database cannot be dropped while they are.
        connections.close_all()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads, photos and bulletins of a browser test go to its own folder, not the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def phone_page(browser, live_server):
    """A fresh phone-sized page; ``page.base_url`` is the live server's address."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def desk_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, username: str, password: str = PASSWORD):
    """Log in through the login form and wait for the home page."""
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


# Screenshots of the journeys' key steps, to look at after a run (or keep as CI artefacts).
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", Path(tempfile.gettempdir()) / "journeys"))


def screenshot(page, name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
