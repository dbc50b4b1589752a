"""A real headless Chromium (Debian's), one per session; a fresh context per test."""

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from quiz.extensions import db
from tests.conftest import missing_service
from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous for a loaded machine, short enough that a wrong locator fails fast.
TIMEOUT_MS = 10_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        missing_service("Chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _open_page(browser, **context_options):
    context = browser.new_context(locale="vi-VN", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    context, page = _open_page(browser)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A 360 px wide phone: the narrowest screen the site promises to fit."""
    context, page = _open_page(
        browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    yield page
    context.close()


@pytest.fixture
def artifacts():
    """Screenshots land in test-artifacts/ at the repository root (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def end_reads(app):
    """End the test thread's read transaction, so it neither pins an old snapshot
    nor holds a lock while the server writes."""
    return db.session.rollback


@pytest.fixture
def log_in():
    """Log in through the login form, as a person would."""

    def do(page, base_url, login, password=PASSWORD):
        page.goto(f"{base_url}/auth/login")
        page.get_by_label("Email hoặc số điện thoại").fill(login)
        page.get_by_label("Mật khẩu", exact=True).fill(password)
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        expect(page.get_by_role("banner").get_by_role("button", name="Đăng xuất")).to_be_visible()

    return do
