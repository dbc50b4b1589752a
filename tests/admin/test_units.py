"""Admin: the unit tree, its upload (all or nothing) and editing."""

import io

import pytest
from openpyxl import load_workbook

from quiz.extensions import db
from quiz.models import AuditLog, Unit
from tests.admin.helpers import UNIT_HEADER, csv_bytes, xlsx

TWO_LEVEL = [
    ("QNG", "Tỉnh Quảng Ngãi", "province", "", 1800, ""),
    ("QNG-STP", "Sở Tư pháp", "department", "QNG", 64, "90"),
    ("QNG-BS", "Xã Bình Sơn", "commune", "QNG", 58, "85,5"),
]
THREE_LEVEL = [
    ("T1", "Tỉnh Cũ", "province", "", None, None),
    ("T1-H1", "Huyện Sơn Tịnh", "district", "T1", 300, None),
    ("T1-H1-X1", "Xã Tịnh Hà", "commune", "T1-H1", 25, None),
]


@pytest.fixture
def admin(make_unit, make_user, login):
    user = make_user(make_unit(code="ROOT"), role="admin")
    login(user)
    return user


def units():
    return {u.code: u for u in db.session.execute(db.select(Unit)).scalars()}


def upload(client, data, filename="don-vi.xlsx"):
    return client.post(
        "/admin/units/upload",
        data={"file": (data, filename)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(("rows", "filename"), [(TWO_LEVEL, "a.xlsx"), (THREE_LEVEL, "b.csv")])
def test_good_file_builds_the_tree_with_paths_and_audit(client, admin, rows, filename):
    data = xlsx(UNIT_HEADER, rows) if filename.endswith("xlsx") else csv_bytes(UNIT_HEADER, rows)
    response = upload(client, data, filename)
    assert response.status_code == 302
    tree = units()
    root, mid, leaf = (tree[r[0]] for r in rows)
    assert mid.parent_id == root.id
    assert leaf.path.startswith(root.path) and leaf.depth == root.depth + 1 + (rows is THREE_LEVEL)
    actions = [a.action for a in db.session.execute(db.select(AuditLog)).scalars()]
    assert actions == ["units.import"]
    page = client.get("/admin/units").text
    assert "Xã Bình Sơn" in page or "Xã Tịnh Hà" in page


def test_reupload_updates_by_code_and_keeps_people(client, admin, make_user):
    upload(client, xlsx(UNIT_HEADER, TWO_LEVEL))
    make_user(units()["QNG-BS"])
    changed = [
        r if r[0] != "QNG-BS" else ("QNG-BS", "Xã Bình Sơn mới", "commune", "QNG", 60, "")
        for r in TWO_LEVEL
    ]
    assert upload(client, xlsx(UNIT_HEADER, changed)).status_code == 302
    assert units()["QNG-BS"].name == "Xã Bình Sơn mới"
    assert units()["QNG-BS"].headcount == 60


BAD_FILES = {
    "unknown parent": ([("X1", "Xã Một", "commune", "KHONG-CO", 10, "")], 2, "KHONG-CO"),
    "duplicate code": (
        [("A", "Tỉnh A", "province", "", 1, ""), ("A", "Tỉnh B", "province", "", 1, "")],
        3,
        "trùng",
    ),
    "cycle": (
        [("A", "Xã A", "commune", "B", 1, ""), ("B", "Xã B", "commune", "A", 1, "")],
        2,
        "vòng lặp",
    ),
    "negative headcount": ([("A", "Tỉnh A", "province", "", -5, "")], 2, "-5"),
    "missing name": ([("A", "", "province", "", 1, "")], 2, "Thiếu tên đơn vị"),
    "unknown kind": ([("A", "Tỉnh A", "vương quốc", "", 1, "")], 2, "vương quốc"),
    "bad target": ([("A", "Tỉnh A", "province", "", 1, "150")], 2, "150"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_any_bad_row_imports_nothing_and_names_row_and_reason(client, admin, case):
    rows, bad_row, reason = BAD_FILES[case]
    good_first = [("OK", "Tỉnh Tốt", "province", "", 10, "")]
    response = upload(client, xlsx(UNIT_HEADER, good_first + rows))
    assert response.status_code == 422
    assert reason in response.text
    assert f'<td class="num">{bad_row + 1}</td>' in response.text
    assert set(units()) == {"ROOT"}
    assert db.session.execute(db.select(AuditLog)).first() is None


def test_non_utf8_csv_is_refused_with_how_to_resave(client, admin):
    data = csv_bytes(UNIT_HEADER, [("A", "Tinh Sơn La", "province", "", 1, "")], "cp1258")
    response = upload(client, data, "don-vi.csv")
    assert response.status_code == 422
    assert "UTF-8" in response.text
    assert set(units()) == {"ROOT"}


@pytest.mark.parametrize("payload", [b"PK\x03\x04 not really a zip", b"\x00\x01garbage"])
def test_broken_xlsx_is_refused(client, admin, payload):
    response = upload(client, io.BytesIO(payload), "hong.xlsx")
    assert response.status_code == 422
    assert "Excel" in response.text
    assert set(units()) == {"ROOT"}


def test_upload_without_file_is_a_4xx_with_message(client, admin):
    response = client.post("/admin/units/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Vui lòng chọn một tệp" in response.text


def test_template_is_a_workbook_with_instructions(client, admin):
    response = client.get("/admin/units/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.data))
    header = [c.value for c in next(wb.worksheets[0].iter_rows(max_row=1))]
    assert header == [*VIETNAMESE_HEADER, "Tỷ lệ mục tiêu (%)"]
    assert "Hướng dẫn" in wb.sheetnames


VIETNAMESE_HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Biên chế"]


def test_the_template_reimports_as_it_is(client, admin):
    template = client.get("/admin/units/template.xlsx").data
    response = upload(client, io.BytesIO(template), "mau-don-vi.xlsx")
    assert response.status_code == 302, response.text
    assert {"QNG", "QNG.SKHCN", "QNG.BINHSON"} <= set(units())
    assert units()["QNG.SKHCN"].kind == "department"


def test_a_vietnamese_header_file_imports_like_an_english_one(client, admin):
    response = upload(client, xlsx(VIETNAMESE_HEADER, [r[:5] for r in TWO_LEVEL]))
    assert response.status_code == 302, response.text
    assert set(units()) == {"ROOT", "QNG", "QNG-STP", "QNG-BS"}
    assert units()["QNG-BS"].headcount == TWO_LEVEL[2][4]


def test_the_upload_page_lists_the_vietnamese_column_names_and_the_english_ones(client, admin):
    page = client.get("/admin/units").text
    for vietnamese, english in zip(VIETNAMESE_HEADER, UNIT_HEADER, strict=False):
        assert f"<strong>{vietnamese}</strong> (<code>{english}</code>)" in page


def test_an_error_names_the_files_header_and_excel_column(client, admin):
    header = ["STT", "Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Biên chế"]
    rows = [(1, "OK", "Tỉnh Tốt", "tỉnh", "", 10), (2, "A", "Xã A", "làng", "OK", 1)]
    response = upload(client, xlsx(header, rows))
    assert response.status_code == 422
    assert "<td>D «Loại đơn vị»</td>" in response.text
    response = upload(client, csv_bytes(header, rows), "don-vi.csv")
    assert "<td>D «Loại đơn vị» (cột thứ 4)</td>" in response.text
    assert set(units()) == {"ROOT"}


def test_tree_page_shows_registered_counts_of_the_subtree(client, admin, make_user):
    upload(client, xlsx(UNIT_HEADER, TWO_LEVEL))
    for _ in range(3):
        make_user(units()["QNG-BS"])
    page = client.get("/admin/units").text
    row = page[page.index("Tỉnh Quảng Ngãi") :].split("</tr>")[0]
    assert '<td class="num">3</td>' in row


def test_edit_unit_saves_and_audits(client, admin):
    upload(client, xlsx(UNIT_HEADER, TWO_LEVEL))
    unit = units()["QNG-BS"]
    response = client.post(
        f"/admin/units/{unit.id}/edit",
        data={
            "name": "Xã Bình Sơn",
            "kind": "commune",
            "parent_id": str(units()["QNG-STP"].id),
            "headcount": "70",
            "target_rate": "95",
        },
    )
    assert response.status_code == 302
    unit = units()["QNG-BS"]
    assert (unit.headcount, unit.target_rate) == (70, 95.0)
    assert unit.path.startswith(units()["QNG-STP"].path)
    assert db.session.execute(
        db.select(AuditLog).filter_by(action="unit.update", target_id="QNG-BS")
    ).scalar_one()


def test_edit_refuses_moving_a_unit_under_its_own_child(client, admin):
    upload(client, xlsx(UNIT_HEADER, THREE_LEVEL))
    tree = units()
    response = client.post(
        f"/admin/units/{tree['T1-H1'].id}/edit",
        data={"name": "Huyện Sơn Tịnh", "kind": "district", "parent_id": str(tree["T1-H1-X1"].id)},
    )
    assert response.status_code == 422
    assert "cấp dưới của chính nó" in response.text
    assert units()["T1-H1"].parent_id == tree["T1"].id


@pytest.mark.parametrize("field", [{"headcount": "-3"}, {"target_rate": "abc"}, {"name": ""}])
def test_edit_with_bad_values_changes_nothing(client, admin, field):
    upload(client, xlsx(UNIT_HEADER, TWO_LEVEL))
    unit = units()["QNG-BS"]
    data = {"name": "Xã Bình Sơn", "kind": "commune", "parent_id": "0", **field}
    assert client.post(f"/admin/units/{unit.id}/edit", data=data).status_code == 422
    assert units()["QNG-BS"].headcount == 58


def test_cli_units_import_reports_bad_rows_and_loads_good_files(runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(UNIT_HEADER, [("X", "Xã X", "commune", "NOPE", 1, "")]).getvalue())
    result = runner.invoke(args=["units", "import", str(bad)])
    assert result.exit_code == 1
    assert "dòng 2, cột D «parent_code» (cột thứ 4)" in result.output and "NOPE" in result.output
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(UNIT_HEADER, TWO_LEVEL).getvalue())
    result = runner.invoke(args=["units", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "3 mới" in result.output
    assert set(units()) == {"QNG", "QNG-STP", "QNG-BS"}
    missing = runner.invoke(args=["units", "import", str(tmp_path / "none.xlsx")])
    assert missing.exit_code != 0 and "Không mở được tệp" in missing.output


def test_row_number_column_stt_is_ignored(client, admin):
    header = ["STT", *UNIT_HEADER]
    rows = [(i, *r) for i, r in enumerate(TWO_LEVEL, start=1)]
    assert upload(client, xlsx(header, rows)).status_code == 302
    assert units()["QNG-BS"].name == "Xã Bình Sơn"
