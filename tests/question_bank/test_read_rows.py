import io
import re
import unicodedata
import zipfile

import pytest
from openpyxl import Workbook

from question_bank import FileRejected, Problem, fold, messages, read_rows

COLUMNS = {
    "code": ("mã", "mã đơn vị"),
    "name": ("tên",),
    "parent_code": ("mã cấp trên",),
    "note": (),
}
REQUIRED = {"code", "name"}


def rows_of(upload, filename="file.xlsx", **kwargs):
    return list(read_rows(upload, filename, COLUMNS, REQUIRED, **kwargs))


def rejection(upload, filename="file.xlsx", **kwargs):
    with pytest.raises(FileRejected) as caught:
        rows_of(upload, filename, **kwargs)
    return [(p.row, p.column, p.message) for p in caught.value.problems]


def test_rows_carry_spreadsheet_row_numbers_and_skip_blank_rows(make_xlsx):
    upload = make_xlsx(
        [
            ["code", "name"],
            ["A", "Một"],
            [None, None],
            ["  ", ""],
            ["B", "Hai"],
        ]
    )

    assert [(row, values["code"]) for row, values in rows_of(upload)] == [
        (2, "A"),
        (5, "B"),
    ]


def test_every_key_is_present_and_empty_when_its_column_is_absent(make_xlsx):
    upload = make_xlsx([["code", "name"], ["A", "Một"]])

    assert rows_of(upload) == [(2, {"code": "A", "name": "Một", "parent_code": "", "note": ""})]


def test_headers_match_ignoring_case_spaces_underscores_and_unicode_form(make_xlsx):
    decomposed = unicodedata.normalize("NFD", "Tên")
    upload = make_xlsx([[" MÃ  ĐƠN_VỊ ", decomposed, "Parent Code"], ["A", "B", "C"]])

    [(_, values)] = rows_of(upload)

    assert (values["code"], values["name"], values["parent_code"]) == ("A", "B", "C")


def test_values_are_stripped_and_stored_in_composed_form(make_xlsx):
    upload = make_xlsx([["code", "name"], [" A ", unicodedata.normalize("NFD", "Sơn ")]])

    [(_, values)] = rows_of(upload)

    assert values["code"] == "A"
    assert values["name"] == unicodedata.normalize("NFC", "Sơn")


def test_integral_numbers_from_excel_read_without_trailing_zero(make_xlsx):
    upload = make_xlsx([["code", "name", "note"], [12.0, 7, 85.5]])

    [(_, values)] = rows_of(upload)

    assert (values["code"], values["name"], values["note"]) == ("12", "7", "85.5")


def test_percent_formatted_cell_reads_as_the_percentage_typed(make_xlsx):
    workbook = Workbook()
    workbook.active.append(["code", "name", "note"])
    workbook.active.append(["A", "Một", 0.85])
    workbook.active["C2"].number_format = "0%"
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)

    [(_, values)] = rows_of(upload)

    assert values["note"] == "85%"


def test_only_the_first_sheet_is_read(make_xlsx):
    workbook = Workbook()
    workbook.active.append(["code", "name"])
    workbook.active.append(["A", "Một"])
    workbook.create_sheet("Hướng dẫn").append(["không phải", "dữ liệu"])
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)

    assert [values["code"] for _, values in rows_of(upload)] == ["A"]


def test_csv_with_and_without_bom_read_the_same(make_csv):
    rows = [["code", "name"], ["A", "Tỉnh Đắk Lắk"]]

    plain = rows_of(make_csv(rows), "units.csv")
    with_bom = rows_of(make_csv(rows, encoding="utf-8-sig"), "units.csv")

    assert plain == with_bom
    assert plain[0][1]["code"] == "A"


def test_csv_separated_by_semicolons_is_detected(make_csv):
    upload = make_csv([["code", "name"], ["A", "Xã Bình Sơn, Quảng Ngãi"]], ";")

    [(_, values)] = rows_of(upload, "units.csv")

    assert values["name"] == "Xã Bình Sơn, Quảng Ngãi"


def test_csv_quoted_field_with_comma_and_line_break_keeps_row_numbers():
    upload = io.BytesIO('code,name\nA,"Một, hai\nba"\nB,Bốn\n'.encode())

    rows = rows_of(upload, "units.csv")

    assert [(row, values["name"]) for row, values in rows] == [
        (2, "Một, hai\nba"),
        (3, "Bốn"),
    ]


@pytest.mark.parametrize(
    "encoded",
    [
        b"code,name\nA,S\xf5\xd2 T\xfd ph\xe1p\n",  # "Sở Tư pháp" in Windows-1258
        "code,name\nA,Café\n".encode("latin-1"),
    ],
)
def test_csv_that_is_not_utf8_is_rejected_with_how_to_resave(encoded):
    assert rejection(io.BytesIO(encoded), "units.csv") == [(None, None, messages.NOT_UTF8)]
    assert "CSV UTF-8 (Comma delimited)" in messages.NOT_UTF8


def test_csv_field_too_large_to_parse_is_rejected_as_broken():
    upload = io.BytesIO(b"code,name\nA," + b"x" * 200_000 + b"\n")

    assert rejection(upload, "units.csv") == [(None, None, messages.BROKEN_CSV)]


def test_csv_read_leaves_the_callers_stream_open(make_csv):
    upload = make_csv([["code", "name"], ["A", "Một"]])

    rows_of(upload, "units.csv")

    assert not upload.closed


def test_file_extension_is_matched_case_insensitively(make_csv):
    upload = make_csv([["code", "name"], ["A", "Một"]])

    assert len(rows_of(upload, "DON-VI.CSV")) == 1


def test_unknown_extension_is_rejected_listing_accepted_formats():
    with pytest.raises(FileRejected) as caught:
        rows_of(io.BytesIO(b"code,name\n"), "units.xls")

    [problem] = caught.value.problems
    assert problem.message == messages.UNSUPPORTED_FORMAT
    assert ".xlsx" in problem.text() and ".csv" in problem.text()


def test_random_bytes_are_rejected_as_a_broken_workbook():
    upload = io.BytesIO(bytes(range(256)) * 8)

    assert rejection(upload) == [(None, None, messages.BROKEN_XLSX)]


def test_zip_that_is_not_a_workbook_is_rejected_as_broken():
    upload = io.BytesIO()
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    upload.seek(0)

    assert rejection(upload) == [(None, None, messages.BROKEN_XLSX)]


@pytest.mark.parametrize("filename", ["units.csv", "units.xlsx"])
def test_file_without_a_header_row_is_rejected_as_empty(filename, make_csv, make_xlsx):
    upload = make_csv([]) if filename.endswith(".csv") else make_xlsx([])

    assert rejection(upload, filename) == [(None, None, messages.EMPTY_FILE)]


def test_unknown_header_is_rejected_naming_it_and_the_accepted_ones(make_xlsx):
    upload = make_xlsx([["code", "name", "Ghi chú thêm"], ["A", "Một", "x"]])

    with pytest.raises(FileRejected) as caught:
        rows_of(upload)

    [problem] = caught.value.problems
    assert (problem.row, problem.message) == (None, messages.UNKNOWN_HEADER)
    assert "Ghi chú thêm" in problem.text()
    assert "mã cấp trên" in problem.text()


def test_missing_required_header_is_rejected_naming_it(make_xlsx):
    upload = make_xlsx([["code", "note"], ["A", "x"]])

    assert rejection(upload) == [(None, "name", messages.MISSING_HEADER)]


def test_two_headers_for_the_same_column_are_rejected(make_xlsx):
    upload = make_xlsx([["code", "name", "Mã"], ["A", "Một", "B"]])

    assert rejection(upload) == [(None, "Mã", messages.DUPLICATE_HEADER)]


def test_every_header_problem_is_reported_at_once(make_xlsx):
    upload = make_xlsx([["code", "code", "extra"]])

    assert [message for _, _, message in rejection(upload)] == [
        messages.DUPLICATE_HEADER,
        messages.UNKNOWN_HEADER,
        messages.MISSING_HEADER,
    ]


def test_blank_header_cells_are_ignored(make_xlsx):
    upload = make_xlsx([["code", None, "name"], ["A", "bỏ qua", "Một"]])

    [(_, values)] = rows_of(upload)

    assert (values["code"], values["name"]) == ("A", "Một")


def test_more_data_rows_than_the_limit_are_rejected(make_xlsx):
    upload = make_xlsx([["code", "name"], ["A", "1"], ["B", "2"], ["C", "3"]])

    assert rejection(upload, max_rows=2) == [(None, None, messages.TOO_MANY_ROWS)]


def test_every_message_is_composed_vietnamese_with_named_placeholders_only():
    texts = [text for name, text in vars(messages).items() if name.isupper() and name != "N_"]

    assert len(texts) > 30
    for text in texts:
        assert text == unicodedata.normalize("NFC", text)
        # gettext leaves a message without params alone, so "%%" would show doubled.
        assert "%" not in re.sub(r"%\(\w+\)s", "", text), text


def test_problem_text_translates_the_template_then_fills_params():
    problem = Problem(3, "code", messages.DUPLICATE_CODE, {"code": "A", "other_row": 2})
    english = {messages.DUPLICATE_CODE: "Code %(code)s repeats row %(other_row)s."}

    assert problem.text() == "Mã đơn vị “A” bị trùng với dòng 2."
    assert problem.text(english.get) == "Code A repeats row 2."


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Bình Sơn", "binh son"),
        ("Đắk Lắk", "dak lak"),
        ("  XÃ   ĐỒNG\tTÂM ", "xa dong tam"),
        (unicodedata.normalize("NFD", "Quảng Ngãi"), "quang ngai"),
    ],
)
def test_fold_drops_accents_case_and_extra_spaces(text, folded):
    assert fold(text) == folded


def test_fold_makes_accented_and_plain_queries_meet():
    assert fold("Bình Sơn") == fold("binh son")
