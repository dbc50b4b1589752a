import csv
import io
import unicodedata

import pytest
from openpyxl import load_workbook

from question_bank import (
    DIFFICULTIES,
    QuestionRecord,
    messages,
    normalize_text,
    questions_template_xlsx,
    read_questions,
    write_csv,
    write_xlsx,
)

from .conftest import QUESTION_HEADER

DAY_QUESTION = "Ngày Chuyển đổi số quốc gia là ngày nào hằng năm?"
DAY_EXPLANATION = (
    "Quyết định 505/QĐ-TTg ngày 22/4/2022 lấy ngày 10/10 hằng năm là Ngày Chuyển đổi số quốc gia."
)
DAY_SOURCE = "Quyết định 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ"
CCHC_QUESTION = (
    "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021–2030 "
    "được ban hành kèm theo văn bản nào?"
)
CCHC_CHOICES = (
    "Quyết định 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ",
    "Nghị quyết 76/NQ-CP ngày 15/7/2021 của Chính phủ",
)


def found(result):
    return [(p.row, p.column, p.message) for p in result.problems]


def question(
    topic="Chuyển đổi số",
    text=DAY_QUESTION,
    choices=("10/10", "20/10", "2/9", "19/8"),
    answer="A",
    explanation=None,
    source=None,
    difficulty=None,
):
    """A questions-file row, in the order of the English header."""
    cells = [*choices, *[None] * (6 - len(choices))]
    return [topic, text, *cells, answer, explanation, source, difficulty]


def csv_upload(rows, encoding="utf-8-sig"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return io.BytesIO(buffer.getvalue().encode(encoding))


def test_good_xlsx_reads_every_question(questions_xlsx):
    result = questions_xlsx(
        question(explanation=DAY_EXPLANATION, source=DAY_SOURCE, difficulty="easy"),
        question("Cải cách hành chính", CCHC_QUESTION, CCHC_CHOICES, "B"),
    )

    assert result.ok
    assert result.records == [
        QuestionRecord(
            row=2,
            topic="Chuyển đổi số",
            text=DAY_QUESTION,
            choices=("10/10", "20/10", "2/9", "19/8"),
            answer=0,
            explanation=DAY_EXPLANATION,
            source=DAY_SOURCE,
            difficulty="easy",
        ),
        QuestionRecord(3, "Cải cách hành chính", CCHC_QUESTION, CCHC_CHOICES, 1, None, None, None),
    ]


@pytest.mark.parametrize(
    "header",
    [
        ["Chủ đề", "Câu hỏi", *"ABCDEF", "Đáp án", "Giải thích", "Nguồn", "Độ khó"],
        [
            "chủ đề",
            "Nội dung câu hỏi",
            *(f"Phương án {letter}" for letter in "ABCDEF"),
            "Đáp án đúng",
            "giải thích",
            "Căn cứ",
            "ĐỘ KHÓ",
        ],
        ["STT", "Chủ đề", "Câu hỏi", *(f"Đáp án {letter}" for letter in "ABCD"), "Đáp án đúng"],
    ],
)
def test_csv_with_vietnamese_headers_reads_like_xlsx(header):
    numbered = header[0] == "STT"
    row = question(explanation=DAY_EXPLANATION, source=DAY_SOURCE, difficulty="dễ")
    if numbered:
        row = [1, *row[:6], row[8]]

    result = read_questions(csv_upload([header, row]), "cau-hoi.csv")

    assert result.ok, found(result)
    [record] = result.records
    assert (record.topic, record.text, record.answer) == ("Chuyển đổi số", DAY_QUESTION, 0)
    assert record.choices == ("10/10", "20/10", "2/9", "19/8")
    if not numbered:
        assert (record.explanation, record.source) == (DAY_EXPLANATION, DAY_SOURCE)
        assert record.difficulty == "easy"


def test_csv_without_bom_reads_accents(make_csv):
    upload = csv_upload([QUESTION_HEADER, question()], encoding="utf-8")

    result = read_questions(upload, "questions.csv")

    assert result.ok
    assert result.records[0].text == DAY_QUESTION


@pytest.mark.parametrize(
    ("raw", "level"),
    [
        ("easy", "easy"),
        ("dễ", "easy"),
        ("De", "easy"),
        ("Trung bình", "medium"),
        ("vừa", "medium"),
        ("medium", "medium"),
        ("KHÓ", "hard"),
        ("hard", "hard"),
        (None, None),
    ],
)
def test_difficulty_accepts_english_and_vietnamese(questions_xlsx, raw, level):
    result = questions_xlsx(question(difficulty=raw))

    assert result.ok
    assert result.records[0].difficulty == level
    assert level is None or level in DIFFICULTIES


@pytest.mark.parametrize("raw", ["b", " B ", "b  "])
def test_answer_letter_may_be_lowercase_and_padded(questions_xlsx, raw):
    result = questions_xlsx(question(answer=raw))

    assert result.ok
    assert result.records[0].answer == 1


def test_texts_are_tidied_but_keep_line_breaks_of_the_question(questions_xlsx):
    decomposed = unicodedata.normalize("NFD", "Chuyển   đổi\u00a0số")
    text = "Dòng một  của câu hỏi\n  Dòng hai\t?"

    result = questions_xlsx(question(topic=decomposed, text=text, choices=("Có\n thể", "Không")))

    [record] = result.records
    assert record.topic == "Chuyển đổi số"
    assert record.text == "Dòng một của câu hỏi\nDòng hai ?"
    assert record.choices == ("Có thể", "Không")


def test_two_to_six_choices_are_accepted(questions_xlsx):
    result = questions_xlsx(
        question(choices=("Đúng", "Sai")),
        question(text="Câu hỏi thứ hai?", choices=tuple("123456"), answer="F"),
    )

    assert result.ok
    assert [len(r.choices) for r in result.records] == [2, 6]
    assert result.records[1].answer == 5


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (question(text=None), "question", messages.MISSING_QUESTION),
        (question(text="   "), "question", messages.MISSING_QUESTION),
        (question(topic=None), "topic", messages.MISSING_TOPIC),
        (question(choices=("10/10",)), "B", messages.TOO_FEW_CHOICES),
        (question(choices=("10/10", None, "2/9")), "B", messages.CHOICE_GAP),
        (question(choices=(None, "20/10", "2/9"), answer="B"), "A", messages.CHOICE_GAP),
        (question(answer=None), "answer", messages.MISSING_ANSWER),
        (question(answer="G"), "answer", messages.BAD_ANSWER),
        (question(answer="AB"), "answer", messages.BAD_ANSWER),
        (question(answer=1), "answer", messages.BAD_ANSWER),
        (question(answer="Đáp án B"), "answer", messages.BAD_ANSWER),
        (question(answer="E"), "answer", messages.ANSWER_NOT_A_CHOICE),
        (question(choices=("10/10", "20/10", "10/10")), "C", messages.DUPLICATE_CHOICE),
        (question(choices=("Có", "Không", "  CÓ ")), "C", messages.DUPLICATE_CHOICE),
        (question(topic="T" * 121), "topic", messages.TOPIC_TOO_LONG),
        (question(text="Q" * 2001), "question", messages.QUESTION_TOO_LONG),
        (question(choices=("10/10", "x" * 501)), "B", messages.CHOICE_TOO_LONG),
        (question(explanation="e" * 2001), "explanation", messages.EXPLANATION_TOO_LONG),
        (question(source="s" * 501), "source", messages.SOURCE_TOO_LONG),
        (question(difficulty="rất khó"), "difficulty", messages.UNKNOWN_DIFFICULTY),
    ],
)
def test_bad_row_is_reported_by_number_column_and_reason(questions_xlsx, cells, column, message):
    result = questions_xlsx(question(text="Câu hỏi hợp lệ?"), cells)

    assert not result.ok
    assert found(result) == [(3, column, message)]
    assert "%(" not in result.problems[0].text()  # every placeholder has its param
    assert [r.row for r in result.records] == [2]


def test_limits_are_inclusive(questions_xlsx):
    result = questions_xlsx(
        question(
            topic="T" * 120,
            text="Q" * 2000,
            choices=("x" * 500, "y"),
            explanation="e" * 2000,
            source="s" * 500,
        )
    )

    assert result.ok


def test_problem_params_name_the_letters(questions_xlsx):
    result = questions_xlsx(
        question(choices=("10/10", None, None, "19/8")),
        question(text="Khác?", choices=("Có", "Không", "có"), answer="C"),
        question(text="Khác nữa?", choices=("Có", "Không"), answer="d"),
    )

    gap_b, gap_c, duplicate, not_a_choice = result.problems
    assert gap_b.params == {"letter": "B", "next": "D"}
    assert gap_c.params == {"letter": "C", "next": "D"}
    assert duplicate.params == {"letter": "C", "other": "A"}
    assert not_a_choice.params == {"letter": "D"}
    assert "Phương án B để trống nhưng phương án D có nội dung" in gap_b.text()


def test_no_choice_at_all_is_reported_once_on_a(questions_xlsx):
    result = questions_xlsx(question(choices=(), answer="A"))

    assert found(result) == [
        (2, "A", messages.TOO_FEW_CHOICES),
        (2, "answer", messages.ANSWER_NOT_A_CHOICE),
    ]


def test_duplicate_question_names_the_first_row(questions_xlsx):
    result = questions_xlsx(
        question(),
        question(text="Câu hỏi khác?"),
        question(text="  ngày chuyển đổi số QUỐC GIA  là ngày nào hằng năm? "),
    )

    [problem] = result.problems
    assert (problem.row, problem.column, problem.message) == (
        4,
        "question",
        messages.DUPLICATE_QUESTION,
    )
    assert problem.params == {"other_row": 2}
    assert problem.text() == "Câu hỏi bị trùng với câu hỏi ở dòng 2."


def test_questions_differing_only_in_accents_are_not_duplicates(questions_xlsx):
    result = questions_xlsx(
        question(text="Chuyển đổi số là gì?"),
        question(text="Chuyen doi so la gi?"),
    )

    assert result.ok


def test_question_already_in_the_bank_is_reported(questions_xlsx):
    existing = {normalize_text("Ngày Chuyển đổi số quốc gia là ngày nào hằng năm?")}

    result = questions_xlsx(question(text="Câu hỏi mới?"), question(), existing=existing)

    assert found(result) == [(3, "question", messages.QUESTION_IN_BANK)]


def test_normalize_text_folds_case_form_and_spaces_but_keeps_accents():
    decomposed = unicodedata.normalize("NFD", "CHUYỂN  đổi\nsố")

    assert normalize_text(decomposed) == "chuyển đổi số"
    assert normalize_text("Chuyển đổi số") != normalize_text("Chuyen doi so")


def test_every_problem_of_every_row_is_reported(questions_xlsx):
    result = questions_xlsx(
        question(),
        question(topic=None, text=None, choices=("Một",), answer="Z"),
        question(choices=("10/10", None, "2/9"), answer="B", difficulty="khó lắm"),
    )

    assert found(result) == [
        (3, "topic", messages.MISSING_TOPIC),
        (3, "question", messages.MISSING_QUESTION),
        (3, "B", messages.TOO_FEW_CHOICES),
        (3, "answer", messages.BAD_ANSWER),
        (4, "question", messages.DUPLICATE_QUESTION),
        (4, "B", messages.CHOICE_GAP),
        (4, "answer", messages.ANSWER_NOT_A_CHOICE),
        (4, "difficulty", messages.UNKNOWN_DIFFICULTY),
    ]
    assert [r.row for r in result.records] == [2]


def test_control_characters_from_a_csv_are_dropped():
    row = question(text="Câu\x0bhỏi\x07 có ký tự lạ?", choices=("Có\x00", "Không"))

    result = read_questions(csv_upload([QUESTION_HEADER, row]), "questions.csv")

    [record] = result.records
    assert record.text == "Câu\nhỏi có ký tự lạ?"
    assert record.choices == ("Có", "Không")


def test_broken_xlsx_is_a_problem_without_a_row():
    result = read_questions(io.BytesIO(b"PK\x03\x04 not really a zip"), "questions.xlsx")

    assert found(result) == [(None, None, messages.BROKEN_XLSX)]
    assert result.records == []


def test_csv_not_in_utf8_is_a_problem_without_a_row():
    text = "topic,question,A,B,answer\r\nChung,Đúng hay sai?,Đúng,Sai,A\r\n"
    upload = io.BytesIO(text.encode("cp1258"))

    result = read_questions(upload, "questions.csv")

    assert found(result) == [(None, None, messages.NOT_UTF8)]


def test_unknown_and_missing_headers_are_problems_without_a_row(make_xlsx):
    upload = make_xlsx([["topic", "question", "A", "lựa chọn B", "answer"], question()[:5]])

    result = read_questions(upload, "questions.xlsx")

    assert found(result) == [
        (None, "lựa chọn B", messages.UNKNOWN_HEADER),
        (None, "B", messages.MISSING_HEADER),
    ]


def test_other_file_kinds_are_refused():
    result = read_questions(io.BytesIO(b"x"), "questions.docx")

    assert found(result) == [(None, None, messages.UNSUPPORTED_FORMAT)]


VIETNAMESE_HEADER = [
    "Chủ đề",
    "Câu hỏi",
    *"ABCDEF",
    "Đáp án",
    "Giải thích",
    "Nguồn",
    "Độ khó",
]


def test_template_reads_back_and_explains_each_column():
    template = questions_template_xlsx()

    result = read_questions(io.BytesIO(template), "mau-cau-hoi.xlsx")
    workbook = load_workbook(io.BytesIO(template))

    assert result.ok, found(result)
    first = result.records[0]
    assert first == QuestionRecord(
        2,
        "Chuyển đổi số",
        DAY_QUESTION,
        ("10/10", "20/10", "2/9", "19/8"),
        0,
        DAY_EXPLANATION,
        DAY_SOURCE,
        "easy",
    )
    assert len(result.records) == 3
    assert len({r.answer for r in result.records}) == 3
    assert workbook.sheetnames == ["Câu hỏi", "Hướng dẫn"]
    questions = workbook["Câu hỏi"]
    # DESIGN §7: chủ đề, câu hỏi, A…F, đáp án, giải thích, nguồn, độ khó.
    assert [c.value for c in questions[1]] == VIETNAMESE_HEADER
    # Choices typed later into the template must stay text, not become dates.
    assert questions.column_dimensions["C"].number_format == "@"
    help_rows = list(workbook["Hướng dẫn"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in help_rows[: len(QUESTION_HEADER)]] == VIETNAMESE_HEADER
    assert [row[1] for row in help_rows[: len(QUESTION_HEADER)]] == QUESTION_HEADER
    assert all(row[3] for row in help_rows[: len(QUESTION_HEADER)])
    notes = " ".join(row[3] for row in help_rows[len(QUESTION_HEADER) :] if row[3])
    assert "từ 2 đến 6 phương án" in notes
    assert "tất cả hoặc không" in notes


TRICKY = [
    QuestionRecord(
        row=2,
        topic="Thanh toán không dùng tiền mặt",
        text="Kết quả của phép tính trong ô nào?\nChọn một đáp án.",
        choices=("=1+1", "+84 912 345 678", "-1", "@admin", "2, 3; 4"),
        answer=0,
        explanation='Giải thích có "ngoặc kép", dấu phẩy, và\nhai dòng.',
        source=None,
        difficulty="hard",
    ),
    QuestionRecord(3, "Công dân số", "Đúng hay sai?", ("Đúng", "Sai"), 1, None, "Luật", None),
    QuestionRecord(
        4,
        "Chuyển đổi số",
        DAY_QUESTION,
        ("10/10", "20/10", "2/9", "19/8"),
        0,
        DAY_EXPLANATION,
        DAY_SOURCE,
        "easy",
    ),
]


def test_xlsx_round_trip_gives_the_same_records():
    result = read_questions(io.BytesIO(write_xlsx(TRICKY)), "export.xlsx")

    assert result.ok, found(result)
    assert result.records == TRICKY


def test_csv_round_trip_gives_the_same_records():
    result = read_questions(io.BytesIO(write_csv(TRICKY)), "export.csv")

    assert result.ok, found(result)
    assert result.records == TRICKY


def test_csv_has_a_bom_and_the_english_header():
    data = write_csv(TRICKY)

    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines()[0] == ",".join(QUESTION_HEADER)


def test_formula_looking_text_stays_text_in_xlsx():
    workbook = load_workbook(io.BytesIO(write_xlsx(TRICKY)))

    sheet = workbook["Câu hỏi"]
    assert workbook.sheetnames == ["Câu hỏi"]
    assert [c.value for c in sheet[1]] == QUESTION_HEADER
    formula_like = [sheet.cell(2, column) for column in range(3, 7)]
    assert [c.value for c in formula_like] == ["=1+1", "+84 912 345 678", "-1", "@admin"]
    assert {c.data_type for c in formula_like} == {"s"}


def test_writers_accept_no_records():
    assert read_questions(io.BytesIO(write_xlsx([])), "empty.xlsx").records == []
    assert read_questions(io.BytesIO(write_csv([])), "empty.csv").records == []


# ---- Vietnamese headers, and problems named the way the organizer sees the file ----

VI_ROWS = [
    ["Chuyển đổi số", "Câu một?", "Đúng", "Sai", "", "", "", "", "A", "", "", "dễ"],
    ["Chuyển đổi số", "Câu hai?", "Có", "Không", "Chưa", "", "", "", "C", "", "", "khó"],
]


@pytest.mark.parametrize("filename", ["q.xlsx", "q.csv"])
def test_vietnamese_headers_read_the_same_as_english_ones(make_xlsx, make_csv, filename):
    make = make_csv if filename.endswith(".csv") else make_xlsx
    english = read_questions(make([QUESTION_HEADER, *VI_ROWS]), filename)
    vietnamese = read_questions(make([VIETNAMESE_HEADER, *VI_ROWS]), filename)
    assert english.ok and vietnamese.ok
    assert vietnamese.records == english.records
    assert [r.difficulty for r in vietnamese.records] == ["easy", "hard"]


ORGANIZER_HEADER = ["STT", "Chủ đề", "Câu hỏi", "Đáp án", "Phương án A", "Phương án B"]
ORGANIZER_ROWS = [
    [1, "Chuyển đổi số", "Câu một?", "A", "Đúng", "Sai"],
    [2, "Chuyển đổi số", "Câu hai?", "X", "Có", "Không"],
    [3, "Chuyển đổi số", "Câu ba?", "A", "Chỉ một", ""],
]


def test_a_problem_names_the_files_own_header_and_its_excel_column(make_xlsx):
    result = read_questions(make_xlsx([ORGANIZER_HEADER, *ORGANIZER_ROWS]), "q.xlsx")
    places = [(p.row, p.where(), p.message) for p in result.problems]
    assert places == [
        (3, "D «Đáp án»", messages.BAD_ANSWER),
        (4, "F «Phương án B»", messages.TOO_FEW_CHOICES),
    ]


def test_a_problem_in_a_csv_file_gives_the_column_number_too(make_csv):
    result = read_questions(make_csv([ORGANIZER_HEADER, *ORGANIZER_ROWS]), "q.csv")
    assert [p.where() for p in result.problems] == [
        "D «Đáp án» (cột thứ 4)",
        "F «Phương án B» (cột thứ 6)",
    ]


def test_a_header_problem_names_the_header_and_its_column(make_xlsx):
    result = read_questions(
        make_xlsx([[*ORGANIZER_HEADER, "Ghi chú"], ORGANIZER_ROWS[0]]), "q.xlsx"
    )
    assert [(p.where(), p.message) for p in result.problems] == [
        ("G «Ghi chú»", messages.UNKNOWN_HEADER)
    ]


def test_xlsx_export_keeps_its_header_in_row_one_frozen_with_a_filter():
    sheet = load_workbook(io.BytesIO(write_xlsx(TRICKY))).active
    assert [c.value for c in sheet[1]] == QUESTION_HEADER
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:L{len(TRICKY) + 1}"
