"""Document numbers in the `source` column, written the ways organizers write them."""

import io

import pytest

from question_bank.legal import (
    DocumentRecord,
    find_references,
    number_key,
    read_register,
    resolve,
    write_register_xlsx,
)

REGISTER = [
    (number_key("13/2023/NĐ-CP"), 1),
    (number_key("91/2025/QH15"), 2),
    (number_key("06/QĐ-TTg"), 3),
    (number_key("57-NQ/TW"), 4),
    (number_key("116/2025/QH15"), 5),
    (number_key("30c/NQ-CP"), 6),
    (number_key("793/BTTTT-THH"), 7),
    (number_key("17/2024/TT-NHNN"), 8),
    (number_key("118/2025/NĐ-CP"), 9),
    (number_key("76/NQ-CP"), 10),
]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Nghị định số 13/2023/NĐ-CP ngày 17/4/2023 của Chính phủ", [1]),
        ("NĐ 13/2023", [1]),
        ("nđ13/2023", [1]),
        ("Nghị định 13/2023", [1]),
        ("Nghị định 13 / 2023 / NĐ-CP", [1]),
        ("Luật số 91/2025/QH15", [2]),
        ("Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15, Điều 2", [2]),
        ("Luật Bảo vệ dữ liệu cá nhân 91/2025", [2]),
        ("Quyết định 06/QĐ-TTg", [3]),
        ("Quyết định số 6/QĐ-TTg ngày 06/01/2022", [3]),
        ("QĐ 06/QĐ-TTg", [3]),
        ("Nghị quyết 57-NQ/TW", [4]),
        ("Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị", [4]),
        ("Nghị quyết số 57/NQ-TW", [4]),
        ("Nghị quyết số 30c/NQ-CP ngày 08/11/2011", [6]),
        ("Văn bản số 793/BTTTT-THH ngày 05/3/2022", [7]),
        ("Thông tư 17/2024/TT-NHNN", [8]),
        ("TT 17/2024", [8]),
        ("Nghị định 118/2025/NĐ-CP (thay thế Nghị định 61/2018/NĐ-CP)", [9]),
        ("Nghị quyết 76/NQ-CP và Nghị định số 13/2023/NĐ-CP; NĐ 13/2023", [10, 1]),
        ("Luật An ninh mạng số 116/2025/QH15 và Luật số 91/2025/QH15", [5, 2]),
    ],
)
def test_document_numbers_are_recognised_as_organizers_write_them(text, ids):
    assert resolve(text, REGISTER) == ids


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Kỹ năng an toàn trên mạng (không căn cứ văn bản)",
        "Ngày 10/10 hằng năm; 01/7/2025",
        "Nghị định 999/2030/NĐ-CP",  # not in the register
        "Khoản 2 Điều 29",
    ],
)
def test_text_without_a_registered_number_links_nothing(text):
    assert resolve(text, REGISTER) == []


def test_a_short_form_that_fits_two_documents_links_neither():
    register = [(number_key("5/2025/TT-BCA"), 1), (number_key("5/2025/TT-NHNN"), 2)]
    assert resolve("Thông tư 05/2025", register) == []
    assert resolve("Thông tư 05/2025/TT-NHNN", register) == [2]


def test_number_key_ignores_case_spaces_and_leading_zeros():
    assert number_key(" 06/qđ-TTg ") == number_key("6/QĐ-TTg")
    assert number_key("57-NQ/TW") == "57-NQ/TW"
    assert [r.key for r in find_references("NĐ 13/2023")] == ["13/2023/NĐ-CP"]


def _register_csv(rows: list[str]) -> io.BytesIO:
    header = "number,name,kind,issuer,issued_on,effective_on,status,replaced_by,replaced_from,note"
    return io.BytesIO(("\n".join([header, *rows]) + "\n").encode("utf-8"))


def test_register_file_reports_every_bad_row():
    result = read_register(
        _register_csv(
            [
                "13/2023/NĐ-CP,Nghị định về bảo vệ dữ liệu cá nhân,nghị định,Chính phủ,"
                "17/4/2023,01/7/2023,đã được thay thế,356/2025/NĐ-CP,01/01/2026,",
                "13/2023/nđ-cp,Trùng,decree,,,,in_force,,,",
                "X,Tên,sắc lệnh,,,,còn hiệu lực,,32/13/2025,",
            ]
        ),
        "register.csv",
    )
    assert not result.ok and result.records == []
    columns = sorted((p.row, p.column) for p in result.problems)
    assert columns == [
        (2, "replaced_by"),  # 356/2025/NĐ-CP is not in the file
        (3, "number"),
        (4, "kind"),
        (4, "replaced_from"),
    ]


def test_register_xlsx_round_trip():
    from datetime import date

    records = [
        DocumentRecord(
            2,
            "91/2025/QH15",
            "Luật Bảo vệ dữ liệu cá nhân",
            "law",
            "Quốc hội",
            date(2025, 6, 26),
            date(2026, 1, 1),
            "in_force",
            None,
            None,
            None,
        ),
        DocumentRecord(
            3,
            "13/2023/NĐ-CP",
            "Nghị định về bảo vệ dữ liệu cá nhân",
            "decree",
            "Chính phủ",
            date(2023, 4, 17),
            date(2023, 7, 1),
            "replaced",
            "91/2025/QH15",
            date(2026, 1, 1),
            "=không phải công thức",
        ),
    ]
    result = read_register(io.BytesIO(write_register_xlsx(records)), "register.xlsx")
    assert result.ok, result.problems
    assert result.records == records
