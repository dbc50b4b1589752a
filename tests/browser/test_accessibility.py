"""axe-core finds nothing serious or critical on the pages people use most."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> list[dict]:
    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page):
    violations = blocking_violations(page)
    assert not violations, f"{page.url}\n{describe(violations)}"


@pytest.fixture
def people(make_unit, make_user, end_reads):
    """A small unit tree with one person of each role; returns their logins."""
    province = make_unit(name="Tỉnh Quảng Ngãi", code="QNG")
    commune = make_unit(parent=province, name="Xã Bình Sơn", kind="commune")
    make_unit(parent=province, name="Phường Cẩm Thành", kind="commune")
    logins = {
        "contestant": make_user(commune, full_name="Trần Thị Mai").login,
        "unit_manager": make_user(province, role="unit_manager").login,
        "admin": make_user(province, role="admin").login,
    }
    make_user(commune, email=None, phone="+84912345678", participant_group="citizen")
    end_reads()
    return logins


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/", None),
        ("/", "contestant"),
        ("/auth/register", None),
        ("/auth/login", None),
        ("/auth/profile", "contestant"),
        ("/admin/units", "admin"),
        ("/admin/users", "admin"),
        ("/manager/", "unit_manager"),
    ],
)
def test_page_has_no_serious_accessibility_violations(
    page, live_server, people, log_in, path, role
):
    if role:
        log_in(page, live_server, people[role])
    response = page.goto(f"{live_server}{path}")
    assert response.status == 200
    assert_accessible(page)


def test_registration_errors_have_no_serious_accessibility_violations(page, live_server, people):
    page.goto(f"{live_server}/auth/register")
    page.get_by_label("Email", exact=True).fill("khong-phai-email")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("p.error").first).to_be_visible()
    assert_accessible(page)


def test_the_axe_check_itself_catches_a_page_without_labels_or_alt_text(page):
    # Guards against a silently broken check (axe not injected, wrong result key).
    page.set_content('<html><body><img src="data:,"><input></body></html>')
    found = {v["id"] for v in blocking_violations(page)}
    assert {"image-alt", "label", "html-has-lang"} <= found
