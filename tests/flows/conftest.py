"""Journeys across apps, some in a real browser (Debian's chromium, driven by Playwright)."""

import os
import time
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM
from tests.disputes.conftest import neighbour, territory  # noqa: F401  (永修县; 德安县 beside it)

try:
    from playwright import sync_api as playwright
except ImportError:  # scripts/test.sh installs it
    playwright = None

# Screenshots for a person to look at; the test run leaves them (gitignored).
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BROWSER_MARKS = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        playwright is None or not os.path.exists(CHROMIUM),
        reason="needs playwright and Debian's chromium (scripts/test.sh installs both)",
    ),
]


def phone_login(browser, live_server, user, *, locale="en", **options):
    """A 360-pixel touch phone logged in to /m/ as `user`: (context, page)."""
    user.set_password("phone-2026")
    user.save()
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale=locale,
        base_url=live_server.url,
        **options,
    )
    page = context.new_page()
    page.goto("/m/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "phone-2026")
    page.click("button[type=submit]")
    return context, page


def wait_for_js(page, expression: str, timeout: float = 10_000):
    """Wait until a JavaScript expression is true on the page.

    Playwright's page.wait_for_function evaluates its predicate with eval in the
    page, which the Content-Security-Policy forbids; this polls through DevTools.
    """
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} ms waiting for: {expression}")
        page.wait_for_timeout(100)
