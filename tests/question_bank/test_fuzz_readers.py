"""Property tests: every file reader of question_bank, given any bytes (or text),
returns a ReadResult whose problems render, and never raises. Damaged workbooks are
made by flipping bytes of a real one."""

import io

from hypothesis import given
from hypothesis import strategies as st

import tests.fuzz  # noqa: F401  (loads the Hypothesis profile)
from question_bank import (
    ReadResult,
    read_aiken,
    read_gift,
    read_people,
    read_questions,
    read_units,
    write_aiken,
    write_csv,
    write_gift,
    write_xlsx,
)
from question_bank.formats import read_any
from question_bank.questions import QuestionRecord
from tests.bad_input.bombs import workbook

SAMPLE = [
    QuestionRecord(2, "CĐS", "Câu hỏi một?", ("Đúng", "Sai", "=1+1"), 0, "Vì thế.", "Luật", "easy"),
    QuestionRecord(3, "CCHC", "Câu hỏi hai?", ("A", "B"), 1, None, None, None),
]
UNITS = workbook(
    ["code", "name", "kind", "parent_code", "headcount", "target_rate"],
    [("T", "Tỉnh", "province", "", 10, "50"), ("X", "Xã", "commune", "T", 5, "")],
)
PEOPLE = workbook(
    ["full_name", "email", "phone", "unit_code", "role", "position", "group"],
    [("Lê Văn A", "a@example.vn", "0912345678", "T", "", "", "staff")],
)
SEEDS = [write_xlsx(SAMPLE), write_csv(SAMPLE), UNITS, PEOPLE]


@st.composite
def damaged(draw, seeds=SEEDS):
    """A real file with some bytes changed, cut short or padded."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(data)))
    return bytes(data[:cut]) if draw(st.booleans()) else bytes(data) + draw(st.binary())


any_bytes = st.one_of(st.binary(max_size=4096), damaged())
file_names = st.sampled_from(["f.xlsx", "f.csv", "f.gift", "f.txt", "f.XLSX", "f", "f.xls"])


def well_formed(result) -> bool:
    """A result the app can show: every problem renders its message (a bad params
    dict would be a 500 on the preview page), and ok means no problem at all."""
    assert isinstance(result, ReadResult)
    for problem in result.problems:
        assert problem.text()
    return result.ok == (not result.problems)


@given(data=any_bytes, name=file_names)
def test_read_units_never_raises(data, name):
    assert well_formed(read_units(io.BytesIO(data), name, {"T": None}))


@given(data=any_bytes, name=file_names)
def test_read_people_never_raises(data, name):
    assert well_formed(read_people(io.BytesIO(data), name, {"T"}, {"+84912345678"}))


@given(data=any_bytes, name=file_names)
def test_read_questions_never_raises(data, name):
    assert well_formed(read_questions(io.BytesIO(data), name, {"câu hỏi một?"}))


@given(data=st.one_of(any_bytes, st.text().map(str.encode)), name=file_names)
def test_read_any_never_raises(data, name):
    assert well_formed(read_any(io.BytesIO(data), name, topic="Chung"))


text_seeds = [write_gift(SAMPLE), write_aiken(SAMPLE)]


@st.composite
def damaged_text(draw):
    text = draw(st.sampled_from(text_seeds))
    cut = draw(st.integers(0, len(text)))
    return text[:cut] + draw(st.text(alphabet="{}=~#:\\\n ABCDEF.ANSWER", max_size=40))


@given(text=st.one_of(st.text(), damaged_text()))
def test_read_gift_and_aiken_never_raise(text):
    assert well_formed(read_gift(text, "Chung"))
    assert well_formed(read_aiken(text, "Chung"))
