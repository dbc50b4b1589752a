"""The public unit participation pages: same rows as the API, ranked within a kind, drill-down."""

import re

import pytest

from tests.factories import make_bank, make_round
from tests.results_pages.helpers import tables, take


@pytest.fixture
def tree(make_unit, make_user):
    province = make_unit(code="P", name="Tỉnh Thử", kind="province", headcount=100)
    dept = make_unit(province, code="SO", name="Sở Thông Tin", kind="department", headcount=4)
    dept2 = make_unit(province, code="SO2", name="Sở Nội Vụ", kind="department", headcount=10)
    district = make_unit(province, code="H", name="Huyện Núi", kind="district", headcount=40)
    c1 = make_unit(district, code="X1", name="Xã Một", kind="commune", headcount=2)
    c2 = make_unit(district, code="X2", name="Xã Hai", kind="commune", headcount=None)
    c2.target_rate = 80.0
    people = {
        "dept": [make_user(dept), make_user(dept)],
        "dept2": [make_user(dept2)],
        "c1": [make_user(c1), make_user(c1)],
        "c2": [make_user(c2), make_user(c2), make_user(c2), make_user(c2)],
    }
    round_ = make_round(make_bank(), question_count=4)
    take(people["dept"][0], round_, 4)
    take(people["c1"][0], round_, 2)
    take(people["c1"][1], round_, 3)
    take(people["c2"][0], round_, 1)
    take(people["dept2"][0], round_, 0, submit=False)  # in progress: not a participant
    return {
        "province": province,
        "dept": dept,
        "district": district,
        "c1": c1,
        "c2": c2,
        "round": round_,
    }


def api_rows(client, round_id, **params):
    body = client.get(f"/api/v1/rounds/{round_id}/units", query_string=params).json
    return body["units"]


def test_units_page_rows_match_the_api_within_each_kind(client, tree):
    rid = tree["round"].id
    for kind in ("department", "district", "commune"):
        page = client.get(f"/rounds/{rid}/units?kind={kind}")
        assert page.status_code == 200
        [table] = tables(page.text)
        api = api_rows(client, rid, kind=kind)
        assert table.column("Đơn vị") == [u["name"] for u in api]
        assert table.column("Hạng") == [str(i) for i in range(1, len(api) + 1)]
        assert table.column("Đã tham gia") == [str(u["participants"]) for u in api]
        assert table.column("Đã đăng ký") == [str(u["registered"]) for u in api]


def test_all_kinds_show_one_ranked_table_per_kind(client, tree):
    page = client.get(f"/rounds/{tree['round'].id}/units").text
    by_caption = {t.caption.split(" (")[0]: t for t in tables(page)}
    assert set(by_caption) == {
        "Tỉnh, thành phố",
        "Sở, ban, ngành",
        "Huyện, thị xã, thành phố thuộc tỉnh",
        "Xã, phường, đặc khu",
    }
    communes = by_caption["Xã, phường, đặc khu"]
    # Xã Một: 2 of headcount 2 = 100 %; Xã Hai: 1 of 4 registered (no headcount) = 25 %.
    # No mean score before publication (docs/security.md).
    assert communes.rows == [
        ["1", "Xã Một", "100%", "2", "2", "2"],
        ["2", "Xã Hai", "25% (mục tiêu 80%)", "1", "4", "—"],
    ]
    departments = by_caption["Sở, ban, ngành"]
    assert departments.column("Đơn vị") == ["Sở Thông Tin", "Sở Nội Vụ"]
    assert departments.column("Tỷ lệ") == ["25%", "0%"]
    assert "Số liệu tính lúc" in page


def test_rate_bars_are_meters_with_a_target_marker_and_no_inline_style(client, tree):
    page = client.get(f"/rounds/{tree['round'].id}/units?kind=commune").text
    assert 'style="' not in page and "<script>" not in page
    assert 'class="rate-meter" min="0" max="1" value="0.25"' in page
    assert 'low="0.8" optimum="1"' in page
    assert 'class="rate-target" min="0" max="1" value="0.8"' in page


def test_drill_down_shows_only_the_direct_children_with_a_way_back(client, tree):
    rid = tree["round"].id
    top = tables(client.get(f"/rounds/{rid}/units?kind=district").text)[0]
    assert top.links[0] == [f"/rounds/{rid}/units?parent=H"]
    page = client.get(f"/rounds/{rid}/units?parent=H")
    assert page.status_code == 200
    [table] = tables(page.text)
    assert table.column("Đơn vị") == [u["name"] for u in api_rows(client, rid, parent="H")]
    assert table.column("Đơn vị") == ["Xã Một", "Xã Hai"]
    assert "Sở Thông Tin" not in page.text
    # The breadcrumb leads back to every level above.
    assert f'href="/rounds/{rid}/units?parent=P"' in page.text
    assert f'href="/rounds/{rid}/units"' in page.text
    assert client.get(f"/rounds/{rid}/units?parent=X1").status_code == 200
    assert tables(client.get(f"/rounds/{rid}/units?parent=X1").text) == []


def test_contest_page_counts_people_who_finished_any_round(client, tree):
    contest = tree["round"].contest
    page = client.get(f"/contests/{contest.slug}/units?kind=commune")
    assert page.status_code == 200
    [table] = tables(page.text)
    assert table.head == ["Hạng", "Đơn vị", "Tỷ lệ", "Đã tham gia", "Đã đăng ký", "Biên chế"]
    assert table.rows[0][:5] == ["1", "Xã Một", "100%", "2", "2"]
    detail = client.get(f"/contests/{contest.slug}").text
    assert f"/contests/{contest.slug}/units" in detail
    assert f"/rounds/{tree['round'].id}/units" in detail


@pytest.mark.parametrize(
    "path",
    ["/rounds/999999/units", "/contests/khong-co/units", "/rounds/{rid}/units?parent=KHONG"],
)
def test_unknown_round_contest_or_parent_is_not_found(client, tree, path):
    assert client.get(path.format(rid=tree["round"].id)).status_code == 404


def test_unknown_kind_is_a_bad_request(client, tree):
    response = client.get(f"/rounds/{tree['round'].id}/units?kind=planet")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.text


def kind_tabs(page: str) -> list[str]:
    nav = page.split('aria-label="Loại đơn vị" class="tabs"')[1].split("</nav>")[0]
    return re.findall(r">([^<>]+)</a>", nav)


def test_the_figures_time_is_written_day_first(client, tree):
    page = client.get(f"/rounds/{tree['round'].id}/units").text
    assert re.search(r"Số liệu tính lúc \d{2}/\d{2}/\d{4} \d{2}:\d{2}\.", page)


def test_kind_tabs_list_the_kinds_the_tree_holds(client, tree):
    page = client.get(f"/rounds/{tree['round'].id}/units").text
    assert kind_tabs(page) == [
        "Tất cả",
        "Sở, ban, ngành",
        "Huyện, thị xã, thành phố thuộc tỉnh",
        "Xã, phường, đặc khu",
    ]


def test_a_province_without_districts_shows_no_district_tab(client, make_unit):
    # Two-level local government since 1/7/2025: province → departments and communes.
    province = make_unit(code="P2", name="Tỉnh Mới", kind="province")
    make_unit(province, code="SO", name="Sở Tài chính", kind="department")
    make_unit(province, code="X", name="Đặc khu Lý Sơn", kind="commune")
    round_ = make_round(make_bank())
    page = client.get(f"/rounds/{round_.id}/units").text
    assert kind_tabs(page) == ["Tất cả", "Sở, ban, ngành", "Xã, phường, đặc khu"]
    assert "Huyện" not in page
