"""Finding 11 of issue 8: a workbook that unzips too large is refused before openpyxl
parses it, by every reader; and a CSV export never carries a formula."""

import csv
import io

import pytest

from question_bank import read_people, read_questions, read_units, write_csv
from question_bank.questions import QuestionRecord
from question_bank.tabular import XLSX_MAX_MEMBERS
from tests.bad_input.bombs import shared_strings_bomb, sheet_bomb, with_member, workbook

UNITS = ["code", "name", "kind", "parent_code", "headcount"]
PEOPLE = ["full_name", "email", "phone", "unit_code", "role", "position"]
QUESTIONS = ["topic", "question", "A", "B", "answer"]

READERS = {
    "units": (UNITS, [("A", "Tỉnh A", "province", "", 1)], lambda s: read_units(s, "u.xlsx")),
    "people": (
        PEOPLE,
        [("Lê Văn A", "a@example.vn", "", "A", "", "")],
        lambda s: read_people(s, "p.xlsx", {"A"}),
    ),
    "questions": (
        QUESTIONS,
        [("CĐS", "Câu hỏi?", "Đúng", "Sai", "A")],
        lambda s: read_questions(s, "q.xlsx"),
    ),
}

BOMBS = {
    # 129 KB on disk, 51 MB of tiny shared strings: 19 s of CPU before the fix.
    "shared strings": lambda header, rows: shared_strings_bomb(header, rows, 3_000_000),
    "one huge member": lambda header, rows: sheet_bomb(header, rows, 30),
    "compression ratio": lambda header, rows: sheet_bomb(header, rows, 4),
    "too many members": lambda header, rows: with_member(
        workbook(header, rows), "xl/media/x", b"", XLSX_MAX_MEMBERS + 1
    ),
}


def refused_as_too_big(result) -> bool:
    return (
        not result.ok
        and not result.records
        and any("giải nén ra quá lớn" in p.text() for p in result.problems)
    )


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("bomb", list(BOMBS))
def test_a_workbook_that_unzips_too_large_is_refused_by_every_reader(reader, bomb):
    header, rows, read = READERS[reader]
    result = read(io.BytesIO(BOMBS[bomb](header, rows)))
    assert refused_as_too_big(result)


@pytest.mark.parametrize("reader", list(READERS))
def test_an_ordinary_workbook_still_reads(reader):
    header, rows, read = READERS[reader]
    result = read(io.BytesIO(workbook(header, rows)))
    assert result.ok, [p.text() for p in result.problems]
    assert len(result.records) == 1


FORMULAS = ["=1+1", "+84 912", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")']


def test_csv_export_cells_never_start_a_formula():
    record = QuestionRecord(
        row=2,
        topic="=cmd|' /C calc'!A0",
        text="@SUM(1+1)*cmd|' /C calc'!A0",
        choices=tuple(FORMULAS[:6]),
        answer=0,
        explanation='=HYPERLINK("http://x.example","bấm")',
        source="-1",
        difficulty=None,
    )
    rows = list(csv.reader(io.StringIO(write_csv([record]).decode("utf-8-sig"))))
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert rows[1][0] == "'=cmd|' /C calc'!A0"


def test_csv_export_imports_back_unchanged():
    record = QuestionRecord(
        row=2,
        topic="CĐS",
        text="=1+1 bằng mấy?",
        choices=("=2", "+2", "-2", "@2"),
        answer=0,
        explanation="'Trích dẫn' giữ nguyên dấu nháy.",
        source="-",
        difficulty=None,
    )
    result = read_questions(io.BytesIO(write_csv([record])), "export.csv")
    assert result.ok, [p.text() for p in result.problems]
    assert result.records == [record]
