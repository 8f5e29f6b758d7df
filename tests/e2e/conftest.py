"""Shared Playwright fixtures for the browser tests (tests/e2e/).

Debian's Chromium drives the pages (Playwright never downloads a browser here); the
Django app runs in pytest-django's live_server thread on the test database, so the
tests that use it say @pytest.mark.django_db(transaction=True).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop on the main thread; the test's own ORM
# calls (building data, reading results) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def browser():
    # Per test (about a second to launch): a session-wide Playwright would keep its
    # event loop running under tests that start their own.
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """new_page(width, height) -> a page in a fresh context (own cookies), Chinese locale."""
    contexts = []

    def make(width=1280, height=900, locale="zh-CN"):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale, device_scale_factor=1
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, name): the page as it is now, in test-artifacts/NAME.png."""

    def take(page, name) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def submit(page, locator):
    """Click a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    submit(page, page.locator("main button[type=submit]"))
    # Each role lands on its own home (config/navigation.py), never back on the form.
    assert "/accounts/login/" not in page.url, page.inner_text("main")[:500]
