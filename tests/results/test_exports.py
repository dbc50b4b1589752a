"""The results workbook (admin download and `flask results export`) and `results publish`."""

from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from quiz.extensions import db
from quiz.models import Round
from quiz.results import exports, publication
from quiz.results.exports import results_workbook
from quiz.timeutil import LOCAL
from tests.factories import make_round, now
from tests.sheets import header_row, open_book, table, title_block

from .conftest import T0, add_attempt

SHEETS = [
    "Thông tin",
    "Xếp hạng",
    "Giải cá nhân",
    "Giải tập thể",
    "Tham gia theo đơn vị",
    "Thống kê câu hỏi",
]
RANKING_HEADER = [
    "Hạng",
    "Họ và tên",
    "Đơn vị",
    "Mã đơn vị",
    "Đối tượng",
    "Số câu đúng",
    "Dự đoán",
    "Độ lệch dự đoán",
    "Thời gian làm bài (giây)",
    "Thời điểm nộp",
    "Giải",
]
STAFF = "Cán bộ, công chức, viên chức, người lao động"


@pytest.fixture
def scored(bank, unit, make_user):
    """A round with a prediction; four people, one of them a citizen, prizes set."""
    round_ = make_round(
        bank,
        question_count=10,
        prediction="perfect",
        prize_counts={"staff": {"first": 1, "second": 1}, "citizen": {"first": 1}},
        unit_prize_count=1,
    )
    # Hours after T0 (01:00 UTC): 16:30 UTC is 23:30 in Hà Nội, 17:30 UTC the next day there.
    rows = [
        ("Trần Thị Hoa", "staff", 10, 1, 15.5),
        ("=HYPERLINK(1)", "staff", 9, 3, 16.5),
        ("Lê Văn Minh", "staff", 9, None, 17),
        ("Phạm Dân", "citizen", 7, 0, 18),
    ]
    for name, group, correct, prediction, hours in rows:
        user = make_user(unit, full_name=name, participant_group=group)
        add_attempt(
            round_,
            user,
            correct=correct,
            prediction=prediction,
            duration_ms=123_456,
            submitted=hours * 3600,
        )
    return round_


def test_export_holds_every_sheet_with_vietnamese_headers(scored):
    wb = open_book(results_workbook(scored))
    assert wb.sheetnames == SHEETS
    assert table(wb["Xếp hạng"])[0] == RANKING_HEADER
    assert table(wb["Giải cá nhân"])[0] == ["Giải", *RANKING_HEADER[:-1]]
    assert table(wb["Giải tập thể"])[0][:3] == ["Hạng", "Mã đơn vị", "Tên đơn vị"]
    assert table(wb["Tham gia theo đơn vị"])[0] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "Loại đơn vị",
        "Đã tham gia",
        "Đã đăng ký",
        "Biên chế",
        "Tỷ lệ tham gia (%)",
        "Điểm trung bình",
    ]
    assert table(wb["Thống kê câu hỏi"])[0][-2:] == ["Tỷ lệ đúng (%)", "Ghi chú"]


def test_unpublished_export_is_the_live_preview_and_says_so(scored):
    wb = open_book(results_workbook(scored))
    info = dict(table(wb["Thông tin"])[1:])
    assert info["Kết quả"].startswith("CHƯA CÔNG BỐ")
    assert info["Con số thực tế (đáp án câu dự đoán)"] == 1
    ranking = table(wb["Xếp hạng"])[1:]
    assert ranking == [
        [1, "Trần Thị Hoa", "Sở Thông tin", "SO-TT", STAFF, 10, 1, 0, 123.456,
         datetime(2026, 10, 1, 23, 30), "Giải Nhất"],
        [2, "=HYPERLINK(1)", "Sở Thông tin", "SO-TT", STAFF, 9, 3, 2, 123.456,
         datetime(2026, 10, 2, 0, 30), "Giải Nhì"],
        [3, "Lê Văn Minh", "Sở Thông tin", "SO-TT", STAFF, 9, None, None, 123.456,
         datetime(2026, 10, 2, 1, 0), None],
        [1, "Phạm Dân", "Sở Thông tin", "SO-TT", "Nhân dân", 7, 0, 1, 123.456,
         datetime(2026, 10, 2, 2, 0), "Giải Nhất"],
    ]  # fmt: skip
    prizes = table(wb["Giải cá nhân"])[1:]
    assert [(r[0], r[2]) for r in prizes] == [
        ("Giải Nhất", "Trần Thị Hoa"),
        ("Giải Nhì", "=HYPERLINK(1)"),
        ("Giải Nhất", "Phạm Dân"),
    ]


def test_a_formula_like_name_stays_a_string_and_figures_stay_numbers(scored):
    ws = open_book(results_workbook(scored))["Xếp hạng"]
    first = header_row(ws) + 1
    name = ws.cell(row=first + 1, column=2)
    assert name.value == "=HYPERLINK(1)" and name.data_type == "s"
    for column in (1, 6, 7, 8, 9):
        assert ws.cell(row=first, column=column).data_type == "n"
    units = open_book(results_workbook(scored))["Tham gia theo đơn vị"]
    department = next(
        r for r in units.iter_rows(min_row=header_row(units) + 1) if r[0].value == "SO-TT"
    )
    assert [c.value for c in department[3:]] == [4, 4, 50, 8.0, 8.75]
    assert all(c.data_type == "n" for c in department[3:])


def test_published_export_uses_the_frozen_rows(scored, unit, make_user):
    publication.publish(scored, actor=None, now=T0 + timedelta(days=3))
    late = make_user(unit, full_name="Người Nộp Muộn")
    add_attempt(scored, late, correct=10, prediction=2, submitted=30 * 3600)
    db.session.expire_all()
    round_ = db.session.get(Round, scored.id)
    wb = open_book(results_workbook(round_))
    info = dict(table(wb["Thông tin"])[1:])
    assert info["Kết quả"] == "Đã công bố lúc 04/10/2026 08:00"
    # The frozen distances still say which figure the predictions were measured against.
    assert info["Con số thực tế (đáp án câu dự đoán)"] == 1
    names = [r[1] for r in table(wb["Xếp hạng"])[1:]]
    assert names == ["Trần Thị Hoa", "=HYPERLINK(1)", "Lê Văn Minh", "Phạm Dân"]
    assert table(wb["Giải tập thể"])[1][:3] == [1, "SO-TT", "Sở Thông tin"]


def test_units_sheet_lists_names_in_vietnamese_order(scored, unit, make_unit):
    names = ["Zê", "Mạ", "Ân Phú", "Đông Ba", "Ma", "An Bình", "Dương Nỗ", "Ăn Hòa", "Má"]
    for n, name in enumerate(names):
        make_unit(unit, code=f"VI{n}", name=name, kind="commune")
    units = table(open_book(results_workbook(scored))["Tham gia theo đơn vị"])[1:]
    listed = [r[1] for r in units if r[0].startswith("VI")]
    assert listed == [
        "An Bình",
        "Ăn Hòa",
        "Ân Phú",
        "Dương Nỗ",
        "Đông Ba",
        "Ma",
        "Má",
        "Mạ",
        "Zê",
    ]


def test_units_sheet_falls_back_to_the_folded_name_without_icu(
    scored, unit, make_unit, backend, monkeypatch
):
    monkeypatch.setattr(exports, "VI_COLLATION", "khong-co-icu")
    for n, name in enumerate(["Đông Ba", "Dương Nỗ", "Ân Phú", "An Bình"]):
        make_unit(unit, code=f"VI{n}", name=name, kind="commune")
    units = table(open_book(results_workbook(scored))["Tham gia theo đơn vị"])[1:]
    names = [r[1] for r in units if r[0].startswith("VI")]
    if backend == "postgresql":
        # PostgreSQL without the ICU collation: "dong ba" < "duong no" once folded.
        assert names == ["An Bình", "Ân Phú", "Đông Ba", "Dương Nỗ"]
    else:
        # SQLite never had ICU: Python's Vietnamese key decides (d before đ).
        assert names == ["An Bình", "Ân Phú", "Dương Nỗ", "Đông Ba"]


def test_admin_downloads_the_workbook(client_for, admin, scored, run_jobs):
    browser = client_for(admin)
    job_page = browser.post(f"/admin/rounds/{scored.id}/export")
    assert job_page.status_code == 302
    assert "data-refresh" in browser.get(job_page.headers["Location"]).text
    assert run_jobs() == (1, 0)
    assert "data-refresh" not in browser.get(job_page.headers["Location"]).text
    response = browser.get(job_page.headers["Location"] + "/download")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    assert open_book(response.data).sheetnames == SHEETS


# ---- the commands ----


def test_cli_publish_prints_how_many_are_ranked_and_refuses_a_second_time(runner, scored):
    result = runner.invoke(args=["results", "publish", str(scored.id)])
    assert result.exit_code == 0, result.output
    assert "4 người được xếp hạng" in result.output
    db.session.expire_all()
    assert db.session.get(Round, scored.id).results_published_at is not None
    again = runner.invoke(args=["results", "publish", str(scored.id)])
    assert again.exit_code != 0
    assert "đã được công bố" in again.output


@pytest.mark.parametrize("value", ["999999", "abc", "99999999999999"])
def test_cli_publish_refuses_an_unknown_round(runner, scored, value):
    result = runner.invoke(args=["results", "publish", value])
    assert result.exit_code != 0
    assert f"Không có đợt thi {value}" in result.output


def test_cli_export_writes_the_workbook(runner, scored, tmp_path):
    out = tmp_path / "ket-qua.xlsx"
    result = runner.invoke(args=["results", "export", str(scored.id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output and "chưa công bố" in result.output
    assert load_workbook(out).sheetnames == SHEETS


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("ket-qua.csv", "phải có đuôi .xlsx"),
        ("khong-co/ket-qua.xlsx", "Thư mục của tệp kết quả không tồn tại"),
    ],
)
def test_cli_export_refuses_a_bad_path(runner, scored, tmp_path, target, message):
    out = tmp_path / target
    result = runner.invoke(args=["results", "export", str(scored.id), "--out", str(out)])
    assert result.exit_code != 0 and message in result.output
    assert not out.exists()


def test_cli_export_refuses_an_unknown_round(runner, scored, tmp_path):
    out = tmp_path / "ket-qua.xlsx"
    result = runner.invoke(args=["results", "export", "424242", "--out", str(out)])
    assert result.exit_code != 0 and "Không có đợt thi 424242" in result.output
    assert not out.exists()


def test_export_of_an_empty_round_has_headers_only(bank):
    round_ = make_round(bank, question_count=5, closes_at=now() + timedelta(days=1))
    wb = open_book(results_workbook(round_))
    assert table(wb["Xếp hạng"]) == [RANKING_HEADER]
    assert len(table(wb["Thống kê câu hỏi"])) == 1


# ---- ready to read and print in Excel ----


def test_every_sheet_opens_ready_to_read_and_print(scored):
    exported_at = datetime(2026, 10, 5, 2, 15, tzinfo=UTC)  # 09:15 in Hà Nội
    wb = open_book(results_workbook(scored, now=exported_at))
    for ws in wb.worksheets:
        row = header_row(ws)
        block = title_block(ws)
        assert block[0] == ws.title
        assert f"Hội thi: {scored.contest.title}" in block
        assert f"Đợt thi: {scored.title}" in block
        assert block[-1] == "Thời điểm xuất: 05/10/2026 09:15"
        assert ws.freeze_panes == f"A{row + 1}"
        assert ws.auto_filter.ref.startswith(f"A{row}:")
        assert ws.print_title_rows == f"${row}:${row}"
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        headers = [c.value for c in ws[row]]
        for index, header in enumerate(headers, start=1):
            width = ws.column_dimensions[ws.cell(row, index).column_letter].width
            assert width >= min(len(header), 60), (ws.title, header)


def test_times_are_excel_datetimes_in_vietnam_time(scored):
    wb = open_book(results_workbook(scored))
    ranking = wb["Xếp hạng"]
    submitted = ranking.cell(header_row(ranking) + 1, RANKING_HEADER.index("Thời điểm nộp") + 1)
    assert submitted.is_date and submitted.value == datetime(2026, 10, 1, 23, 30)
    assert submitted.number_format == "dd/mm/yyyy hh:mm"
    info = wb["Thông tin"]
    opens = next(r[1] for r in info.iter_rows(min_row=header_row(info)) if r[0].value == "Mở lúc")
    assert opens.is_date and opens.number_format == "dd/mm/yyyy hh:mm"
    assert opens.value == scored.opens_at.astimezone(LOCAL).replace(tzinfo=None, microsecond=0)


def test_published_figure_is_the_stored_one_when_every_prediction_is_the_same(
    client_for, admin, bank, unit, make_user
):
    # Everybody predicts 5 and the figure is 3: each frozen row says "3 or 7", so the
    # figure cannot be worked out from the rows; publication stored it.
    round_ = make_round(bank, question_count=10, prediction="perfect")
    for n, correct in enumerate([10, 10, 10, 9]):
        add_attempt(round_, make_user(unit), correct=correct, prediction=5, submitted=n)
    publication.publish(round_, actor=None, now=T0 + timedelta(days=3))
    db.session.expire_all()
    round_ = db.session.get(Round, round_.id)
    assert round_.results_true_figure == 3
    assert exports.figure(round_) == 3
    info = dict(table(open_book(results_workbook(round_))["Thông tin"])[1:])
    assert info["Con số thực tế (đáp án câu dự đoán)"] == 3
    page = client_for(admin).get(f"/admin/rounds/{round_.id}/results").text
    assert "Con số thực tế của câu hỏi dự đoán: 3" in page
