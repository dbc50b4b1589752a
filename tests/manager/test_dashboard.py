"""The unit manager's dashboard and export: statuses, filters, and only its own subtree."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from quiz.extensions import db
from quiz.results import publication
from quiz.timeutil import to_local
from tests.factories import PASSWORD, make_bank, make_round, now
from tests.results_pages.helpers import tables, take
from tests.sheets import header_row, title_block

HEADERS = [
    "Họ và tên",
    "Đơn vị",
    "Mã đơn vị",
    "Chức vụ",
    "Email",
    "Số điện thoại",
    "Trạng thái",
    "Thời điểm nộp",
]


@pytest.fixture
def site(make_unit, make_user):
    root = make_unit(code="P", kind="province", name="Tỉnh Thử", headcount=100)
    mine = make_unit(root, code="MINE", name="Huyện Của Tôi", kind="district", headcount=10)
    child = make_unit(mine, code="MINE-1", name="Xã Con", kind="commune", headcount=4)
    other = make_unit(root, code="OTHER", name="Huyện Bên Cạnh", kind="district")
    round_ = make_round(make_bank(), question_count=4, title="Tuần 1")
    people = {
        "manager": make_user(mine, role="unit_manager", full_name="Quản Lý Huyện"),
        "other_manager": make_user(other, role="unit_manager", full_name="Quản Lý Bên Cạnh"),
        "admin": make_user(root, role="admin", full_name="Quản Trị Tỉnh"),
        "idle": make_user(mine, full_name="Chưa Bắt Đầu", position="Chuyên viên"),
        "busy": make_user(child, full_name="Đang Làm Bài", phone="+84912000111"),
        "done": make_user(child, full_name="Đã Nộp Bài"),
        "formula": make_user(mine, full_name='=HYPERLINK("http://x.example","bấm")'),
        "outsider": make_user(other, full_name="Người Xã Khác"),
    }
    take(people["busy"], round_, 2, submit=False)
    done = take(people["done"], round_, 3)
    take(people["outsider"], round_, 4)
    return {
        "root": root,
        "mine": mine,
        "child": child,
        "other": other,
        "round": round_,
        "done_attempt": done,
        **people,
    }


def log_in(client, user):
    client.post("/auth/login", data={"login": user.email, "password": PASSWORD})


def people_table(html):
    return next(t for t in tables(html) if "Họ và tên" in t.head)


def statuses(client, query=""):
    table = people_table(client.get(f"/manager/?{query}").text)
    return dict(zip(table.column("Họ và tên"), table.column("Trạng thái"), strict=True))


def test_dashboard_shows_each_persons_status_in_the_round(client, site):
    log_in(client, site["manager"])
    assert statuses(client) == {
        "Chưa Bắt Đầu": "Chưa thi",
        "Đang Làm Bài": "Đang thi",
        "Đã Nộp Bài": "Đã nộp",
        "Quản Lý Huyện": "Chưa thi",
        '=HYPERLINK("http://x.example","bấm")': "Chưa thi",
    }


def test_the_open_round_is_chosen_by_default_and_others_can_be_picked(client, site):
    later = make_round(site["round"].bank, contest=site["round"].contest, title="Tuần 0")
    later.opens_at = now().replace(year=2020)
    later.closes_at = now().replace(year=2021)
    db.session.commit()
    log_in(client, site["manager"])
    page = client.get("/manager/").text
    assert f'<option value="{site["round"].id}" selected>' in page
    assert statuses(client, f"round={later.id}")["Đã Nộp Bài"] == "Chưa thi"
    assert client.get("/manager/?round=999999").status_code == 404


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("not_started", {"Chưa Bắt Đầu", "Quản Lý Huyện", '=HYPERLINK("http://x.example","bấm")'}),
        ("in_progress", {"Đang Làm Bài"}),
        ("submitted", {"Đã Nộp Bài"}),
    ],
)
def test_status_filter(client, site, status, names):
    log_in(client, site["manager"])
    assert set(statuses(client, f"status={status}")) == names


def test_a_bad_status_is_a_bad_request(client, site):
    log_in(client, site["manager"])
    assert client.get("/manager/?status=winner").status_code == 400


def test_search_by_name_without_accents_and_by_phone(client, site):
    log_in(client, site["manager"])
    assert set(statuses(client, "q=dang lam")) == {"Đang Làm Bài"}
    assert set(statuses(client, "q=0912000111")) == {"Đang Làm Bài"}
    # The search never reaches outside the subtree.
    assert statuses(client, "q=Người Xã Khác") == {}


def test_sub_unit_filter_and_a_unit_outside_the_subtree_is_not_found(client, site):
    log_in(client, site["manager"])
    assert set(statuses(client, f"unit={site['child'].id}")) == {"Đang Làm Bài", "Đã Nộp Bài"}
    assert client.get(f"/manager/?unit={site['other'].id}").status_code == 404
    assert client.get(f"/manager/?unit={site['root'].id}").status_code == 404
    assert client.get(f"/manager/export.xlsx?unit={site['other'].id}").status_code == 404


def test_participation_per_direct_sub_unit_and_the_unit_itself(client, site):
    log_in(client, site["manager"])
    table = next(t for t in tables(client.get("/manager/").text) if "Tỷ lệ" in t.head)
    assert [r[:5] for r in table.rows] == [
        ["Huyện Của Tôi (toàn đơn vị)", "10%", "1", "5", "10"],
        ["Xã Con", "25%", "1", "2", "4"],
    ]
    assert "Huyện Bên Cạnh" not in client.get("/manager/").text


def test_scores_appear_once_results_are_published(client, site):
    log_in(client, site["manager"])
    assert "Số câu đúng" not in people_table(client.get("/manager/").text).head
    publication.publish(site["round"], actor=None, now=now())
    table = people_table(client.get("/manager/").text)
    scores = dict(zip(table.column("Họ và tên"), table.column("Số câu đúng"), strict=True))
    assert scores["Đã Nộp Bài"] == "3/4" and scores["Chưa Bắt Đầu"] == "—"


def test_queries_per_page_do_not_grow_with_the_people_on_it(client, site, web_app, make_user):
    log_in(client, site["manager"])
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement.split("\n")[0][:100])

    with web_app.app_context():
        engine = db.engine
    client.get("/manager/")  # warm the per-worker caches
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get("/manager/")
        few = len(statements)
        for i in range(12):
            person = make_user(site["child"], full_name=f"Người Thêm {i}")
            if i % 2:
                take(person, site["round"], 1)
        client.get("/manager/")  # rebuild the cached figures the new people changed
        statements.clear()
        client.get("/manager/")
        many = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert many == few, statements
    # (BEGIN on SQLite,) user with session, scope, rounds, subtree units, count, page,
    # statuses, scope stat, and for the scope row and the sub-unit rows each the contest's
    # counting rule and the figure versions; unit rows.
    assert few <= 14, "\n".join(statements)


def export(client, query=""):
    response = client.get(f"/manager/export.xlsx?{query}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(response.data)).active
    rows = list(ws.iter_rows(min_row=header_row(ws)))
    return response, [c.value for c in rows[0]], rows[1:]


def test_export_has_the_vietnamese_headers_and_exactly_the_subtree(client, site):
    log_in(client, site["manager"])
    response, headers, rows = export(client)
    assert headers == HEADERS
    rid = site["round"].id
    assert f'filename="tham-gia-{rid}.xlsx"' in response.headers["Content-Disposition"]
    names = [r[0].value for r in rows]
    assert sorted(names) == sorted(
        [
            "Chưa Bắt Đầu",
            "Quản Lý Huyện",
            '=HYPERLINK("http://x.example","bấm")',
            "Đang Làm Bài",
            "Đã Nộp Bài",
        ]
    )
    assert "Người Xã Khác" not in names and "Quản Lý Bên Cạnh" not in names
    # Sorted by unit, then name: the district's people before the commune's.
    assert [r[2].value for r in rows] == ["MINE"] * 3 + ["MINE-1"] * 2
    by_name = {r[0].value: [c.value for c in r] for r in rows}
    assert by_name["Đã Nộp Bài"][6] == "Đã nộp" and by_name["Đang Làm Bài"][6] == "Đang thi"
    assert by_name["Chưa Bắt Đầu"][3] == "Chuyên viên"
    # A real Excel time, in Vietnam time, shown dd/mm/yyyy hh:mm.
    submitted_at = to_local(site["done_attempt"].submitted_at).replace(tzinfo=None, microsecond=0)
    assert by_name["Đã Nộp Bài"][7] == submitted_at
    cell = next(r[7] for r in rows if r[0].value == "Đã Nộp Bài")
    assert cell.is_date and cell.number_format == "dd/mm/yyyy hh:mm"
    assert by_name["Chưa Bắt Đầu"][7] is None
    # The number as people dial it, not the stored +84912000111.
    assert by_name["Đang Làm Bài"][5] == "0912 000 111"


def test_export_opens_with_a_title_block_a_frozen_header_and_a_filter(client, site):
    log_in(client, site["manager"])
    response = client.get(f"/manager/export.xlsx?round={site['round'].id}")
    ws = load_workbook(io.BytesIO(response.data)).active
    row = header_row(ws)
    block = title_block(ws)
    assert block[0] == "Tham gia"
    assert f"Hội thi: {site['round'].contest.title}" in block
    assert "Đợt thi: Tuần 1" in block and "Đơn vị: Huyện Của Tôi (MINE)" in block
    assert block[-1].startswith("Thời điểm xuất: ")
    assert [c.value for c in ws[row]] == HEADERS
    assert ws.freeze_panes == f"A{row + 1}" and ws.auto_filter.ref == f"A{row}:H{row + 5}"
    assert ws.print_title_rows == f"${row}:${row}" and ws.page_setup.orientation == "landscape"


def test_dashboard_shows_phone_numbers_as_people_dial_them(client, site):
    log_in(client, site["manager"])
    page = client.get(f"/manager/?round={site['round'].id}&unit={site['child'].id}").text
    assert "0912 000 111" in page and "+84912000111" not in page


def test_a_name_starting_with_equals_stays_text(client, site):
    log_in(client, site["manager"])
    _response, _headers, rows = export(client)
    cell = next(r[0] for r in rows if str(r[0].value).startswith("="))
    assert cell.data_type == "s"


def test_export_follows_the_filters_and_adds_scores_once_published(client, site):
    log_in(client, site["manager"])
    _r, _h, rows = export(client, "status=in_progress")
    assert [r[0].value for r in rows] == ["Đang Làm Bài"]
    _r, _h, rows = export(client, "q=da nop")
    assert [r[0].value for r in rows] == ["Đã Nộp Bài"]
    publication.publish(site["round"], actor=None, now=now())
    _r, headers, rows = export(client, f"unit={site['child'].id}")
    assert headers == HEADERS[:7] + ["Số câu đúng", "Thời điểm nộp"]
    assert {r[0].value: r[7].value for r in rows} == {"Đang Làm Bài": None, "Đã Nộp Bài": 3}


def test_another_manager_exports_none_of_mine(client, site):
    log_in(client, site["other_manager"])
    _r, _h, rows = export(client)
    assert [r[0].value for r in rows] == ["Người Xã Khác", "Quản Lý Bên Cạnh"]


def test_an_admin_sees_its_own_units_subtree(client, site):
    log_in(client, site["admin"])
    names = set(statuses(client))
    assert {"Người Xã Khác", "Đã Nộp Bài", "Quản Trị Tỉnh"} <= names
