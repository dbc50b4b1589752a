"""Build XLSX and CSV files in memory for the question_bank tests."""

import io

import pytest
from openpyxl import Workbook

from question_bank import read_people, read_questions, read_units

UNIT_HEADER = ["code", "name", "kind", "parent_code", "headcount"]
PEOPLE_HEADER = ["full_name", "email", "phone", "unit_code", "role", "position", "group"]
UNIT_CODES = {"QNG", "QNG.SKHCN", "QNG.BINHSON"}
QUESTION_HEADER = [
    "topic",
    "question",
    *"ABCDEF",
    "answer",
    "explanation",
    "source",
    "difficulty",
]


def xlsx_file(rows: list[list[object]]) -> io.BytesIO:
    """A one-sheet workbook holding rows; None leaves a cell empty."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def csv_file(rows: list[list[object]], delimiter: str = ",", encoding: str = "utf-8") -> io.BytesIO:
    """CSV bytes of rows (encoding "utf-8-sig" adds a BOM)."""
    text = "\r\n".join(delimiter.join(str(cell) for cell in row) for row in rows)
    return io.BytesIO(text.encode(encoding))


@pytest.fixture
def units_xlsx():
    """Read units rows (under the English header) as an XLSX upload."""

    def read(*rows, header=UNIT_HEADER, existing=None):
        upload = xlsx_file([header, *rows])
        return read_units(upload, "units.xlsx", existing or {})

    return read


@pytest.fixture
def people_xlsx():
    """Read users rows (under the English header) as an XLSX upload."""

    def read(*rows, header=PEOPLE_HEADER, units=UNIT_CODES, taken=()):
        upload = xlsx_file([header, *rows])
        return read_people(upload, "users.xlsx", units, taken)

    return read


@pytest.fixture
def questions_xlsx():
    """Read question rows (under the English header) as an XLSX upload."""

    def read(*rows, header=QUESTION_HEADER, existing=()):
        upload = xlsx_file([header, *rows])
        return read_questions(upload, "questions.xlsx", existing)

    return read


@pytest.fixture
def make_xlsx():
    return xlsx_file


@pytest.fixture
def make_csv():
    return csv_file
