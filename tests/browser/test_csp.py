"""The Content-Security-Policy breaks nothing: no violation on the pages people use."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_quiz import choose, contest  # noqa: F401 - the fixture is reused
from tests.factories import make_bank, make_round, make_user

pytestmark = pytest.mark.browser

# Collects every CSP violation the page reports (an init script runs before the page's
# own scripts and is not itself subject to the policy).
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(page):
    messages = []
    page.add_init_script(LISTEN)
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)

    def violations():
        found = page.evaluate("window.__csp || []")
        return found + [m for m in messages if "Content Security Policy" in m]

    page.violations = violations
    return page


def test_quiz_page_runs_under_the_policy(watched, live_server, contest, log_in):  # noqa: F811
    page = watched
    log_in(page, live_server, contest["login"])
    response = page.goto(f"{live_server}/contests/{contest['slug']}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.violations() == []
    page.get_by_role("button", name="Bắt đầu thi").click()
    page.get_by_role("button", name="Bắt đầu tính giờ").click()
    choose(page, 1, right=True)
    expect(page.locator("[data-save-status]")).to_have_text("Đã lưu")
    assert page.violations() == []
    page.reload()
    expect(page.locator("#q-1 input:checked")).to_have_count(1)
    page.get_by_role("button", name="Nộp bài", exact=True).first.click()
    page.locator("dialog[data-confirm]").get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("heading", name="Kết quả bài thi")).to_be_visible()
    assert page.violations() == []


def test_public_and_admin_pages_run_under_the_policy(
    watched, live_server, make_unit, end_reads, log_in
):
    page = watched
    province = make_unit(code="QNG", kind="province")
    commune = make_unit(province, code="QNG-BS", kind="commune")
    make_unit(commune, code="QNG-BS-1", kind="other")
    admin = make_user(province, role="admin").login
    round_ = make_round(make_bank())
    end_reads()
    for path in ("/", "/auth/login", "/auth/register", "/practice/"):
        page.goto(f"{live_server}{path}")
    log_in(page, live_server, admin)
    for path in (
        "/admin/units",
        "/admin/users",
        "/admin/users/import",
        "/admin/banks",
        f"/admin/rounds/{round_.id}/results",
    ):
        assert page.goto(f"{live_server}{path}").status == 200, path
    assert page.violations() == []
