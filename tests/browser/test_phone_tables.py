"""Long tables on a 360 px phone: scrollable regions reachable by keyboard (axe-clean), and
the public ranking's prize column within the screen without sideways scrolling."""

from datetime import timedelta

import pytest

from quiz import audit
from quiz.extensions import db
from quiz.models import User
from quiz.results import publication
from tests.browser.test_accessibility import assert_accessible
from tests.factories import make_bank, make_round, now
from tests.results.conftest import T0, add_attempt

pytestmark = pytest.mark.browser


@pytest.fixture
def published(make_unit, make_user, end_reads):
    """A closed, published round with 60 ranked staff and prizes; an admin; a long audit log."""
    province = make_unit(code="QNG", name="Tỉnh Quảng Ngãi", kind="province")
    commune = make_unit(
        province, code="BS", name="Xã Bình Sơn thuộc tỉnh Quảng Ngãi", kind="commune"
    )
    admin = make_user(province, role="admin", full_name="Ban Tổ chức Hội thi")
    round_ = make_round(
        make_bank(),
        question_count=10,
        prediction="perfect",
        opens_at=T0 - timedelta(days=7),
        closes_at=T0 + timedelta(days=1),
    )
    round_.prize_counts = {"staff": {"first": 1, "second": 2, "third": 3, "consolation": 4}}
    db.session.commit()
    for i in range(60):
        person = make_user(commune, full_name=f"Nguyễn Thị Hồng Nhung Số {i}")
        add_attempt(round_, person, correct=10 - i % 10, prediction=i, submitted=i)
    publication.publish(round_, actor=None, now=now())
    actor = db.session.get(User, admin.id)
    for i in range(60):
        audit.record(
            actor,
            "round.update",
            "round",
            round_.id,
            now=now(),
            changes={"title": [f"Tuần thi thứ {i} với một tên khá dài", f"Tuần {i + 1}"]},
        )
    db.session.commit()
    end_reads()
    return {"round": round_.id, "admin": admin.login}


def overflows(locator) -> bool:
    return locator.evaluate("el => el.scrollWidth > el.clientWidth")


@pytest.mark.parametrize("path", ["/admin/rounds/{round}/results", "/admin/audit"])
def test_admin_tables_at_360_px_are_axe_clean(phone_page, live_server, published, log_in, path):
    log_in(phone_page, live_server, published["admin"])
    response = phone_page.goto(live_server + path.format(**published))
    assert response.status == 200
    wraps = phone_page.locator(".table-wrap")
    if "results" in path:
        # The check is about scrolling regions: the ranking must scroll sideways here.
        assert any(overflows(wraps.nth(i)) for i in range(wraps.count()))
    else:
        # The audit log wraps its sentences to the phone's width; a page of 50 rows.
        assert wraps.locator("tbody tr").count() == 50
        assert not overflows(wraps)
    assert_accessible(phone_page)


def test_public_ranking_shows_the_prize_column_on_a_phone(phone_page, live_server, published):
    phone_page.goto(f"{live_server}/rounds/{published['round']}/results")
    table = phone_page.locator("table").first
    prize_header = table.get_by_role("columnheader", name="Giải")
    first_prize = table.locator("tbody tr").first.locator("td strong")
    assert first_prize.inner_text() == "Nhất"
    width = phone_page.viewport_size["width"]
    for element in (prize_header, first_prize):
        box = element.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert not overflows(phone_page.locator(".table-wrap").first)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= width
    # The folded columns are still there for the phone reader, under the name.
    assert "Xã Bình Sơn" in table.locator("tbody th").first.inner_text()
    assert_accessible(phone_page)
