import io

import pytest
from openpyxl import load_workbook

from question_bank import (
    PersonRecord,
    display_phone,
    messages,
    normalize_email,
    normalize_phone,
    people_template_xlsx,
    read_people,
)

from .conftest import PEOPLE_HEADER


def found(result):
    return [(p.row, p.column, p.message) for p in result.problems]


def person(
    full_name="Nguyễn Văn An",
    email="an@example.com",
    phone=None,
    unit_code="QNG",
    role=None,
    position=None,
    group=None,
):
    """A users-file row, in the order of the English header."""
    return [full_name, email, phone, unit_code, role, position, group]


def test_good_file_reads_with_defaults_for_blank_cells(people_xlsx):
    result = people_xlsx(
        person(email="An.Nguyen@Example.com", phone="0912 345 678", position="Chuyên viên"),
        person(full_name="Trần Thị Bình", email=None, phone="0987654321", role="unit_manager"),
    )

    assert result.ok
    assert result.records == [
        PersonRecord(
            row=2,
            full_name="Nguyễn Văn An",
            email="an.nguyen@example.com",
            phone="+84912345678",
            unit_code="QNG",
            role="contestant",
            position="Chuyên viên",
            group="staff",
        ),
        PersonRecord(
            row=3,
            full_name="Trần Thị Bình",
            email=None,
            phone="+84987654321",
            unit_code="QNG",
            role="unit_manager",
            position=None,
            group="staff",
        ),
    ]


def test_vietnamese_headers_and_words_are_accepted(make_csv):
    header = ["Họ và tên", "Thư điện tử", "Số điện thoại", "Mã đơn vị", "Vai trò", "Chức vụ"]
    upload = make_csv(
        [
            [*header, "Nhóm"],
            ["Nguyễn Văn An", "an@example.com", "", "QNG.SKHCN", "Thí sinh", "", "Cán bộ"],
            ["Trần Thị Bình", "binh@example.com", "", "QNG.SKHCN", "cán bộ đầu mối", "", ""],
            ["Lê Văn Cường", "cuong@example.com", "", "QNG", "Quản trị", "", ""],
            ["Phạm Thị Dung", "dung@example.com", "", "QNG.BINHSON", "", "", "nhân dân"],
        ],
        ";",
    )

    result = read_people(upload, "nguoi-dung.csv", {"QNG", "QNG.SKHCN", "QNG.BINHSON"})

    assert result.ok, found(result)
    assert [(r.role, r.group) for r in result.records] == [
        ("contestant", "staff"),
        ("unit_manager", "staff"),
        ("admin", "staff"),
        ("contestant", "citizen"),
    ]


def test_phone_typed_as_a_number_in_excel_keeps_its_meaning(people_xlsx):
    # Excel drops the leading zero of 0912345678 and may store it as a float.
    result = people_xlsx(
        ["Nguyễn Văn An", None, 912345678, "QNG", None, None],
        ["Trần Thị Bình", None, 84987654321.0, "QNG", None, None],
    )

    assert [r.phone for r in result.records] == ["+84912345678", "+84987654321"]


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (person(full_name=None), "full_name", messages.MISSING_FULL_NAME),
        (person(full_name="A" * 201), "full_name", messages.FULL_NAME_TOO_LONG),
        (person(email=None), "email", messages.MISSING_LOGIN),
        (person(email="an@"), "email", messages.BAD_EMAIL),
        (person(email=None, phone="12345"), "phone", messages.BAD_PHONE),
        (person(phone="0912 345 678 9"), "phone", messages.BAD_PHONE),
        (person(unit_code=None), "unit_code", messages.MISSING_UNIT_CODE),
        (person(unit_code="HUE"), "unit_code", messages.UNKNOWN_UNIT),
        (person(role="thư ký"), "role", messages.UNKNOWN_ROLE),
        (person(group="học sinh"), "group", messages.UNKNOWN_GROUP),
    ],
)
def test_bad_row_is_reported_by_number_and_column(people_xlsx, cells, column, message):
    result = people_xlsx(person(full_name="Trần Thị Bình", email="binh@example.com"), cells)

    assert not result.ok
    assert found(result) == [(3, column, message)]


def test_repeated_email_names_both_rows_whatever_its_case(people_xlsx):
    result = people_xlsx(
        ["Nguyễn Văn An", "an@example.com", None, "QNG", None, None],
        ["Trần Thị Bình", "binh@example.com", None, "QNG", None, None],
        ["Nguyễn Văn An", "AN@example.com", None, "QNG", None, None],
    )

    [problem] = result.problems
    assert (problem.row, problem.message) == (4, messages.DUPLICATE_EMAIL)
    assert problem.params == {"value": "AN@example.com", "other_row": 2}


def test_same_phone_written_differently_is_a_repeat(people_xlsx):
    result = people_xlsx(
        ["Nguyễn Văn An", None, "0912.345.678", "QNG", None, None],
        ["Trần Thị Bình", None, "+84 912 345 678", "QNG", None, None],
    )

    assert found(result) == [(3, "phone", messages.DUPLICATE_PHONE)]
    assert result.problems[0].params["other_row"] == 2


def test_logins_of_existing_accounts_are_reported(people_xlsx):
    result = people_xlsx(
        ["Nguyễn Văn An", "An@Example.com", None, "QNG", None, None],
        ["Trần Thị Bình", None, "0912 345 678", "QNG", None, None],
        taken={"an@example.com", "+84912345678"},
    )

    assert found(result) == [
        (2, "email", messages.EMAIL_TAKEN),
        (3, "phone", messages.PHONE_TAKEN),
    ]


def test_every_bad_row_is_reported_not_only_the_first(people_xlsx):
    result = people_xlsx(
        [None, None, None, "HUE", "khách", None],
        ["Trần Thị Bình", "binh@example.com", None, "QNG", None, None],
        ["Lê Văn Cường", "cuong@", "0000", "QNG", None, None],
    )

    assert found(result) == [
        (2, "email", messages.MISSING_LOGIN),
        (2, "full_name", messages.MISSING_FULL_NAME),
        (2, "unit_code", messages.UNKNOWN_UNIT),
        (2, "role", messages.UNKNOWN_ROLE),
        (4, "email", messages.BAD_EMAIL),
        (4, "phone", messages.BAD_PHONE),
    ]


def test_rejected_file_becomes_problems_without_a_row():
    result = read_people(io.BytesIO("họ tên\n".encode("utf-16")), "users.csv", ())

    assert result.records == []
    assert found(result) == [(None, None, messages.NOT_UTF8)]


@pytest.mark.parametrize(
    "raw",
    ["0912 345 678", "0912345678", "+84 912345678", "84912345678", "0912.345.678", "912345678"],
)
def test_vietnamese_mobile_number_is_normalized_to_e164(raw):
    assert normalize_phone(raw) == "+84912345678"


def test_landline_number_is_normalized_to_e164():
    assert normalize_phone("024 3825 1234") == "+842438251234"


@pytest.mark.parametrize("raw", ["", "12345", "0123456789", "số điện thoại", "0912 345 678 99"])
def test_invalid_phone_number_normalizes_to_none(raw):
    assert normalize_phone(raw) is None


def test_email_is_normalized_to_lowercase():
    assert normalize_email("Nguyen.Van.An@SoTP.Example.COM") == ("nguyen.van.an@sotp.example.com")


@pytest.mark.parametrize(
    "raw", ["", "an", "an@", "@example.com", "an@@example.com", "an @example.com"]
)
def test_invalid_email_normalizes_to_none(raw):
    assert normalize_email(raw) is None


def test_template_reads_back_without_problems():
    template = people_template_xlsx()

    result = read_people(io.BytesIO(template), "template.xlsx", {"QNG.SKHCN", "QNG.BINHSON"})

    assert result.ok, found(result)
    assert len(result.records) == 3
    assert load_workbook(io.BytesIO(template)).sheetnames == ["Người dùng", "Hướng dẫn"]


def test_organizer_staff_column_reads_yes_no_in_either_language_and_no_when_blank(make_csv):
    header = ["full_name", "email", "phone", "unit_code", "role", "position", "organizer_staff"]
    upload = make_csv(
        [
            header,
            ["Nguyễn Văn An", "an@example.com", "", "QNG", "", "", "yes"],
            ["Trần Thị Bình", "binh@example.com", "", "QNG", "", "", "Có"],
            ["Lê Văn Cường", "cuong@example.com", "", "QNG", "", "", "không"],
            ["Phạm Thị Dung", "dung@example.com", "", "QNG", "", "", ""],
            ["Hồ Văn Em", "em@example.com", "", "QNG", "", "", "no"],
        ],
        ",",
    )

    result = read_people(upload, "nguoi-dung.csv", {"QNG"})

    assert result.ok, found(result)
    assert [r.organizer_staff for r in result.records] == [True, True, False, False, False]


def test_organizer_staff_is_no_without_the_column_and_a_bad_value_is_named(people_xlsx):
    assert people_xlsx(person()).records[0].organizer_staff is False
    header = ["full_name", "email", "phone", "unit_code", "role", "position", "Ban Tổ chức"]
    result = people_xlsx([*person()[:6], "có lẽ"], header=header)
    assert found(result) == [(2, "organizer_staff", messages.UNKNOWN_ORGANIZER_STAFF)]
    assert "có lẽ" in result.problems[0].text()


VIETNAMESE_HEADER = [
    "Họ và tên",
    "Email",
    "Số điện thoại",
    "Mã đơn vị",
    "Vai trò",
    "Chức vụ",
    "Đối tượng",
    "Thành viên Ban Tổ chức",
]


def test_template_has_vietnamese_headers_and_names_the_english_ones():
    workbook = load_workbook(io.BytesIO(people_template_xlsx()))
    assert [c.value for c in workbook["Người dùng"][1]] == VIETNAMESE_HEADER
    help_rows = list(workbook["Hướng dẫn"].iter_rows(min_row=2, max_row=9, values_only=True))
    assert [row[:2] for row in help_rows] == list(
        zip(VIETNAMESE_HEADER, [*PEOPLE_HEADER, "organizer_staff"], strict=True)
    )


@pytest.mark.parametrize("filename", ["users.xlsx", "users.csv"])
def test_vietnamese_headers_read_the_same_as_english_ones(make_xlsx, make_csv, filename):
    rows = [
        ["Nguyễn Văn An", "an@example.com", "0912 345 678", "QNG", "thí sinh", "", "", ""],
        ["Trần Thị Bình", "", "0987654321", "QNG", "đầu mối", "Phó Chủ tịch", "nhân dân", "có"],
    ]
    make = make_csv if filename.endswith(".csv") else make_xlsx
    english = read_people(make([[*PEOPLE_HEADER, "organizer_staff"], *rows]), filename, {"QNG"})
    vietnamese = read_people(make([VIETNAMESE_HEADER, *rows]), filename, {"QNG"})
    assert english.ok and vietnamese.ok
    assert vietnamese.records == english.records
    assert vietnamese.records[1].organizer_staff and vietnamese.records[1].group == "citizen"


def test_a_problem_names_the_files_own_header_and_its_excel_column(make_xlsx):
    header = ["STT", "Họ và tên", "Số điện thoại", "Email", "Mã đơn vị", "Vai trò", "Chức vụ"]
    upload = make_xlsx([header, [1, "Nguyễn Văn An", "12345", "", "QNG", "", ""]])
    result = read_people(upload, "users.xlsx", {"QNG"})
    assert [(p.row, p.where(), p.message) for p in result.problems] == [
        (2, "C «Số điện thoại»", messages.BAD_PHONE)
    ]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+84912000002", "0912 000 002"),
        ("+842438123456", "024 3812 3456"),
        ("+14155552671", "+1 415-555-2671"),
        (None, ""),
        ("", ""),
    ],
)
def test_a_stored_phone_is_shown_the_way_people_dial_it(stored, shown):
    assert display_phone(stored) == shown


@pytest.mark.parametrize("word", ["judge", "giám khảo", "Giám khảo"])
def test_judge_role_is_read_in_english_and_vietnamese(people_xlsx, word):
    result = people_xlsx(person(role=word))

    assert result.ok
    assert result.records[0].role == "judge"
