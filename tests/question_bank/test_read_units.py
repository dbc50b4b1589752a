import io

import pytest
from openpyxl import load_workbook

from question_bank import UnitRecord, messages, read_units, units_template_xlsx

from .conftest import UNIT_HEADER


def found(result):
    return [(p.row, p.column, p.message) for p in result.problems]


def unit(
    code="QNG.A",
    name="Sở A",
    kind="department",
    parent_code="QNG",
    headcount=1,
    target_rate=None,
):
    """A units-file row, in the order of the English header plus target_rate."""
    return [code, name, kind, parent_code, headcount, target_rate]


def test_two_level_province_reads_every_unit(units_xlsx):
    result = units_xlsx(
        ["QNG", "Tỉnh Quảng Ngãi", "province", None, None],
        ["QNG.SKHCN", "Sở Khoa học và Công nghệ", "department", "QNG", 85],
        ["QNG.BINHSON", "Xã Bình Sơn", "commune", "QNG", 42],
    )

    assert result.ok
    assert result.records == [
        UnitRecord(2, "QNG", "Tỉnh Quảng Ngãi", "province", None, None, None),
        UnitRecord(3, "QNG.SKHCN", "Sở Khoa học và Công nghệ", "department", "QNG", 85, None),
        UnitRecord(4, "QNG.BINHSON", "Xã Bình Sơn", "commune", "QNG", 42, None),
    ]


def test_three_level_province_with_districts_reads_every_unit(units_xlsx):
    result = units_xlsx(
        ["QNG", "Tỉnh Quảng Ngãi", "province", None, None],
        ["QNG.BS", "Huyện Bình Sơn", "district", "QNG", 120],
        ["QNG.BS.BD", "Xã Bình Dương", "commune", "QNG.BS", 25],
        ["QNG.BS.CT", "Thị trấn Châu Ổ", "commune", "QNG.BS", 30],
    )

    assert result.ok
    assert [(r.code, r.parent_code) for r in result.records] == [
        ("QNG", None),
        ("QNG.BS", "QNG"),
        ("QNG.BS.BD", "QNG.BS"),
        ("QNG.BS.CT", "QNG.BS"),
    ]


def test_parent_may_be_a_unit_already_in_the_database(units_xlsx):
    result = units_xlsx(
        ["QNG.BINHSON", "Xã Bình Sơn", "commune", "QNG", 42],
        existing={"QNG": None},
    )

    assert result.ok


def test_vietnamese_headers_and_kind_words_are_accepted(make_csv):
    header = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Số biên chế"]
    upload = make_csv(
        [
            [*header, "Chỉ tiêu (%)"],
            ["QNG", "Tỉnh Quảng Ngãi", "Tỉnh", "", "", ""],
            ["QNG.STP", "Sở Tư pháp", "SỞ", "QNG", "60", "90"],
            ["QNG.BS", "Huyện Bình Sơn", "huyện", "QNG", "", ""],
            ["QNG.BS.CO", "Thị trấn Châu Ổ", "Thị trấn", "QNG.BS", "", ""],
            ["QNG.BS.P1", "Phường 1", "phường", "QNG.BS", "", ""],
            ["QNG.CA", "Công an tỉnh", "Cơ quan", "QNG", "", ""],
            ["QNG.HOI", "Hội Nông dân", "khác", "QNG", "", ""],
        ],
        encoding="utf-8-sig",
    )

    result = read_units(upload, "don-vi.csv")

    assert result.ok, found(result)
    assert [r.kind for r in result.records] == [
        "province",
        "department",
        "district",
        "commune",
        "commune",
        "agency",
        "other",
    ]
    assert result.records[1].target_rate == 90


def test_kind_words_are_accent_sensitive(units_xlsx):
    result = units_xlsx(["QNG", "Tỉnh Quảng Ngãi", "tinh", None, None])

    assert found(result) == [(2, "kind", messages.UNKNOWN_KIND)]


def test_numbers_typed_in_excel_read_as_integers(units_xlsx):
    result = units_xlsx(
        [51, "Tỉnh Quảng Ngãi", "province", None, 1200.0],
        [5101.0, "Sở Tư pháp", "department", 51.0, 60],
    )

    assert result.ok
    assert [(r.code, r.parent_code, r.headcount) for r in result.records] == [
        ("51", None, 1200),
        ("5101", "51", 60),
    ]


@pytest.mark.parametrize(
    ("raw", "rate"),
    [("85", 85.0), ("85%", 85.0), ("85,5", 85.5), ("85.5 %", 85.5), ("0", 0.0)],
)
def test_target_rate_accepts_percent_sign_and_decimal_comma(units_xlsx, raw, rate):
    header = ["code", "name", "kind", "parent_code", "headcount", "target_rate"]

    result = units_xlsx(["QNG", "Tỉnh", "province", None, None, raw], header=header)

    assert result.ok
    assert result.records[0].target_rate == rate


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (unit(code=None), "code", messages.MISSING_CODE),
        (unit(code="X" * 51), "code", messages.CODE_TOO_LONG),
        (unit(code="QNG SO"), "code", messages.CODE_BAD_CHARACTERS),
        (unit(code="QNG.SỞ"), "code", messages.CODE_BAD_CHARACTERS),
        (unit(name=None), "name", messages.MISSING_UNIT_NAME),
        (unit(name="S" * 256), "name", messages.UNIT_NAME_TOO_LONG),
        (unit(kind="bộ"), "kind", messages.UNKNOWN_KIND),
        (unit(kind=None), "kind", messages.UNKNOWN_KIND),
        (unit(headcount=-3), "headcount", messages.BAD_HEADCOUNT),
        (unit(headcount=2.5), "headcount", messages.BAD_HEADCOUNT),
        (unit(headcount="mười"), "headcount", messages.BAD_HEADCOUNT),
        (unit(target_rate="101"), "target_rate", messages.BAD_TARGET_RATE),
        (unit(target_rate="-5"), "target_rate", messages.BAD_TARGET_RATE),
        (unit(target_rate="cao"), "target_rate", messages.BAD_TARGET_RATE),
        (unit(parent_code="HUE"), "parent_code", messages.UNKNOWN_PARENT),
        (unit(parent_code="QNG.A"), "parent_code", messages.OWN_PARENT),
    ],
)
def test_bad_row_is_reported_by_number_and_column(units_xlsx, cells, column, message):
    header = ["code", "name", "kind", "parent_code", "headcount", "target_rate"]

    result = units_xlsx(["QNG", "Tỉnh Quảng Ngãi", "province", None, None], cells, header=header)

    assert not result.ok
    assert found(result) == [(3, column, message)]


def test_duplicate_code_names_both_rows(units_xlsx):
    result = units_xlsx(
        ["QNG", "Tỉnh Quảng Ngãi", "province", None, None],
        ["QNG.A", "Sở A", "department", "QNG", None],
        ["QNG.A", "Sở A (lần hai)", "department", "QNG", None],
    )

    [problem] = result.problems
    assert (problem.row, problem.message) == (4, messages.DUPLICATE_CODE)
    assert problem.params == {"code": "QNG.A", "other_row": 3}
    assert not result.ok


def test_codes_are_compared_exactly(units_xlsx):
    result = units_xlsx(
        ["QNG", "Tỉnh Quảng Ngãi", "province", None, None],
        ["qng.a", "Sở A", "department", "qng", None],
    )

    assert found(result) == [(3, "parent_code", messages.UNKNOWN_PARENT)]


def test_cycle_reports_each_row_in_it(units_xlsx):
    result = units_xlsx(
        ["QNG", "Tỉnh Quảng Ngãi", "province", None, None],
        ["A", "Đơn vị A", "other", "C", None],
        ["B", "Đơn vị B", "other", "A", None],
        ["C", "Đơn vị C", "other", "B", None],
        ["D", "Đơn vị D", "other", "A", None],
    )

    assert found(result) == [
        (3, "parent_code", messages.PARENT_CYCLE),
        (4, "parent_code", messages.PARENT_CYCLE),
        (5, "parent_code", messages.PARENT_CYCLE),
    ]
    assert result.problems[0].params["cycle"] == "A → C → B → A"


def test_cycle_through_a_unit_in_the_database_is_reported(units_xlsx):
    result = units_xlsx(
        ["QNG", "Tỉnh Quảng Ngãi", "province", "QNG.BS", None],
        existing={"QNG": None, "QNG.BS": "QNG"},
    )

    assert found(result) == [(2, "parent_code", messages.PARENT_CYCLE)]


def test_parents_in_the_file_replace_those_in_the_database(units_xlsx):
    # Moving a commune up and its old district under it is no cycle once both
    # moves are read together.
    result = units_xlsx(
        ["QNG.BS", "Huyện Bình Sơn", "district", "QNG.BS.X", None],
        ["QNG.BS.X", "Xã X", "commune", "QNG", None],
        existing={"QNG": None, "QNG.BS": "QNG", "QNG.BS.X": "QNG.BS"},
    )

    assert result.ok


def test_every_bad_row_is_reported_not_only_the_first(units_xlsx):
    result = units_xlsx(
        ["QNG", "Tỉnh Quảng Ngãi", "province", None, None],
        [None, "Không mã", "department", "QNG", None],
        ["QNG.A", "Sở A", "department", "QNG", None],
        ["QNG.B", None, "vũ trụ", "QNG", "nhiều"],
        ["QNG.C", "Xã C", "commune", "KHONG.CO", None],
    )

    assert found(result) == [
        (3, "code", messages.MISSING_CODE),
        (5, "name", messages.MISSING_UNIT_NAME),
        (5, "kind", messages.UNKNOWN_KIND),
        (5, "headcount", messages.BAD_HEADCOUNT),
        (6, "parent_code", messages.UNKNOWN_PARENT),
    ]
    assert not result.ok


def test_bad_row_does_not_make_its_children_orphans(units_xlsx):
    result = units_xlsx(
        ["QNG", "Tỉnh Quảng Ngãi", "province", None, None],
        ["QNG.A", "Sở A", "bộ", "QNG", None],
        ["QNG.A.1", "Phòng 1", "other", "QNG.A", None],
    )

    assert found(result) == [(3, "kind", messages.UNKNOWN_KIND)]


def test_rejected_file_becomes_problems_without_a_row():
    result = read_units(io.BytesIO(b"\xff\xfe\x00garbage"), "units.xlsx")

    assert not result.ok
    assert result.records == []
    assert found(result) == [(None, None, messages.BROKEN_XLSX)]


def test_missing_header_is_reported_as_a_problem(make_xlsx):
    upload = make_xlsx([["code", "name", "kind", "headcount"], ["QNG", "Tỉnh", "province", 1]])

    result = read_units(upload, "units.xlsx")

    assert found(result) == [(None, "parent_code", messages.MISSING_HEADER)]


def test_template_reads_back_without_problems_and_explains_each_column():
    template = units_template_xlsx()

    result = read_units(io.BytesIO(template), "template.xlsx")
    workbook = load_workbook(io.BytesIO(template))

    assert result.ok
    assert [r.kind for r in result.records] == ["province", "department", "commune"]
    assert workbook.sheetnames == ["Đơn vị", "Hướng dẫn"]
    header = [c.value for c in workbook["Đơn vị"][1]]
    assert header == VIETNAMESE_HEADER
    help_rows = list(workbook["Hướng dẫn"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in help_rows] == VIETNAMESE_HEADER
    assert [row[1] for row in help_rows] == [
        "code",
        "name",
        "kind",
        "parent_code",
        "headcount",
        "target_rate",
    ]


VIETNAMESE_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại đơn vị",
    "Mã đơn vị cấp trên",
    "Biên chế",
    "Tỷ lệ mục tiêu (%)",
]


@pytest.mark.parametrize("filename", ["units.xlsx", "units.csv"])
def test_vietnamese_headers_read_the_same_as_english_ones(make_xlsx, make_csv, filename):
    rows = [
        ["QNG", "Tỉnh Quảng Ngãi", "tỉnh", "", "", ""],
        ["QNG.SKHCN", "Sở Khoa học và Công nghệ", "sở", "QNG", 85, "90%"],
    ]
    make = make_csv if filename.endswith(".csv") else make_xlsx
    english = read_units(make([[*UNIT_HEADER, "target_rate"], *rows]), filename)
    vietnamese = read_units(make([VIETNAMESE_HEADER, *rows]), filename)
    assert english.ok and vietnamese.ok
    assert vietnamese.records == english.records
    assert vietnamese.records[1].target_rate == 90


def test_a_problem_names_the_files_own_header_and_its_excel_column(make_xlsx):
    header = ["STT", "Tên đơn vị", "Mã đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Biên chế"]
    upload = make_xlsx([header, [1, "Tỉnh", "QNG", "tỉnh", "", "nhiều"]])
    problem = read_units(upload, "units.xlsx").problems[0]
    assert (problem.row, problem.column, problem.message) == (
        2,
        "headcount",
        messages.BAD_HEADCOUNT,
    )
    assert problem.where() == "F «Biên chế»"


def test_a_problem_in_a_csv_file_gives_the_column_number_too(make_csv):
    header = ["name", "code", "kind", "parent_code", "headcount"]
    upload = make_csv([header, ["Tỉnh", "QNG", "làng", "", ""]], delimiter=";")
    problem = read_units(upload, "units.csv").problems[0]
    assert problem.where() == "C «kind» (cột thứ 3)"
