"""Who never logged in: only the manager's subtree, paged past page one, printed, exported."""

import pytest

from quiz.extensions import db
from quiz.models import AccountLogin
from quiz.query_args import PAGE_SIZE
from tests.factories import now
from tests.results_pages.helpers import tables
from tests.sheets import open_book, table, title_block


@pytest.fixture
def site(make_unit, make_user):
    root = make_unit(code="P", kind="province", name="Tỉnh Thử")
    mine = make_unit(root, code="MINE", name="Huyện Của Tôi", kind="district")
    child = make_unit(mine, code="MINE-1", name="Xã Con", kind="commune")
    other = make_unit(root, code="OTHER", name="Huyện Bên Cạnh", kind="district")
    manager = make_user(mine, role="unit_manager", full_name="Quản Lý Huyện")
    # More than a page of people imported into the subtree who never logged in.
    never = [
        make_user(child, full_name=f"Chưa Vào {n:02d}", email=None, phone=f"+849120000{n:02d}")
        for n in range(PAGE_SIZE + 3)
    ]
    never.append(make_user(mine, full_name="Chưa Vào Huyện", position="Chuyên viên"))
    came = make_user(child, full_name="Đã Vào Rồi")
    db.session.add(AccountLogin(user_id=came.id, first_at=now(), last_at=now()))
    db.session.commit()
    outsider = make_user(other, full_name="Người Huyện Khác")
    return {
        "mine": mine,
        "child": child,
        "other": other,
        "manager": manager,
        "never": never,
        "came": came,
        "outsider": outsider,
    }


def people(client, query=""):
    html = client.get(f"/manager/never-logged-in?{query}").text
    table = next(t for t in tables(html) if "Tên đăng nhập" in t.head)
    return table


def test_lists_only_the_subtrees_people_who_never_logged_in_past_page_one(client, login, site):
    login(site["manager"])
    first = people(client)
    second = people(client, "page=2")
    assert len(first.rows) == PAGE_SIZE
    names = first.column("Họ và tên") + second.column("Họ và tên")
    assert sorted(names) == sorted(u.full_name for u in site["never"])
    assert "Đã Vào Rồi" not in names and "Người Huyện Khác" not in names
    assert "Quản Lý Huyện" not in names  # the manager logged in just now
    # Logins as people write them: a phone in its national form.
    shown = first.column("Tên đăng nhập") + second.column("Tên đăng nhập")
    logins = dict(zip(names, shown, strict=True))
    assert logins["Chưa Vào 07"] == "0912 000 007"


def test_a_login_takes_the_person_off_the_list(client, login, site):
    person = site["never"][0]
    login(person)
    client.post("/auth/logout")
    login(site["manager"])
    names = people(client).column("Họ và tên") + people(client, "page=2").column("Họ và tên")
    expected = {u.full_name for u in site["never"][1:]}
    assert sorted(names) == sorted(expected)


def test_counts_per_sub_unit(client, login, site):
    login(site["manager"])
    html = client.get("/manager/never-logged-in").text
    table = next(t for t in tables(html) if "Số tài khoản" in t.head)
    rows = {r[0].replace(" (toàn đơn vị)", ""): r[1:] for r in table.rows}
    # Accounts: 54 imported, and "Đã Vào Rồi" and the manager, who logged in.
    assert rows["Huyện Của Tôi"] == ["56", "54"]
    assert rows["Xã Con"] == ["54", "53"]


def test_filter_by_sub_unit_and_404_outside_the_subtree(client, login, site):
    login(site["manager"])
    table = people(client, f"unit={site['child'].id}&page=2")
    # The commune's 53 imported people: three past the first page.
    assert len(table.rows) == 3
    assert set(table.column("Đơn vị")) == {"Xã Con"}
    assert client.get(f"/manager/never-logged-in?unit={site['other'].id}").status_code == 404
    assert client.get(f"/manager/never-logged-in.xlsx?unit={site['other'].id}").status_code == 404
    response = client.get(f"/manager/never-logged-in/print?unit={site['other'].id}")
    assert response.status_code == 404


def test_the_other_manager_sees_only_their_own(client, login, site, make_user):
    boss = make_user(site["other"], role="unit_manager")
    login(boss)
    names = people(client).column("Họ và tên")
    assert names == ["Người Huyện Khác"]


def test_export_holds_every_row_with_vietnamese_headers(client, login, site):
    login(site["manager"])
    response = client.get("/manager/never-logged-in.xlsx")
    assert response.status_code == 200
    sheet = open_book(response.data).active
    rows = [tuple(r) for r in table(sheet)]
    assert any(site["manager"].unit.name in line for line in title_block(sheet))
    assert rows[0] == (
        "Họ và tên",
        "Đơn vị",
        "Mã đơn vị",
        "Chức vụ",
        "Email",
        "Số điện thoại",
        "Ngày tạo tài khoản",
    )
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {u.full_name for u in site["never"]}
    assert by_name["Chưa Vào 07"][1:3] == ("Xã Con", "MINE-1")
    assert by_name["Chưa Vào 07"][5] == "0912 000 007"
    assert by_name["Chưa Vào Huyện"][3] == "Chuyên viên"


def test_printable_list_holds_every_row_on_one_page(client, login, site):
    login(site["manager"])
    html = client.get("/manager/never-logged-in/print").text
    table = next(t for t in tables(html) if "STT" in t.head)
    assert len(table.rows) == len(site["never"])
    assert 'media="print"' in html or "print.js" in html


def test_contestants_cannot_see_the_list(client, login, site):
    login(site["came"])
    assert client.get("/manager/never-logged-in").status_code == 403


def test_reset_is_offered_only_where_the_manager_may_reset(client, login, site, make_user):
    peer = make_user(site["mine"], role="unit_manager", full_name="Quản Lý Cùng Cấp")
    login(site["manager"])
    html = client.get("/manager/never-logged-in").text
    assert f"/manager/people/{peer.id}/reset-password" not in html
    assert f"/manager/people/{site['never'][-1].id}/reset-password" in html
