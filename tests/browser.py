"""Playwright helpers for browser tests (Debian's Chromium, headless; never ``playwright install``).

Usage in a test module::

    from tests.browser import browser_page, login, shot  # noqa: F401  (browser_page is a fixture)

    @pytest.mark.browser
    def test_x(transactional_db, live_server, browser_page):  # this order: the test database outlives the server
        login(browser_page, live_server, "user", "password")
        shot(browser_page, "area", "name")

Under ``CI=true`` a missing /usr/bin/chromium fails the test; elsewhere it is skipped.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"


def _media_never_served_by_url():
    """Uploaded files and documents are never served by URL here (``MEDIA_URL = None``); Django's live server
    still wraps a media handler that cannot cope with ``None``: make it pass every request on."""
    from django.conf import settings
    from django.test import testcases

    original = testcases._MediaFilesHandler._should_handle
    if getattr(original, "_patched", False):
        return

    def should_handle(self, path):
        return bool(settings.MEDIA_URL) and original(self, path)

    should_handle._patched = True
    testcases._MediaFilesHandler._should_handle = should_handle


def _require_chromium():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def browser_page(monkeypatch):
    """A fresh page (1280×900) in headless Chromium; closed after the test."""
    _require_chromium()
    _media_never_served_by_url()
    # Playwright's sync API runs an event loop; Django must still allow its ORM in this thread
    # (for this test only: subprocesses of later tests must not inherit it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # Code run inside Playwright's context has its own (context-local) database connections:
            # close them here, or the test database cannot be dropped at the end of the session.
            from django.db import connections

            connections.close_all()


def login(page, live_server, username, password):
    """Log in through /login/ (clearing any earlier session first)."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.stack-form button[type=submit]")
    page.wait_for_load_state("networkidle")


def shot(page, area, name):
    """Save a full-page screenshot as test-output/screenshots/<area>/<name>.png and return its path."""
    folder = SCREENSHOTS / area
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
