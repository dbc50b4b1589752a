import pytest

from question_bank import QuestionRecord, messages, normalize_text, read_aiken, write_aiken

SAMPLE = """\
Ngày Chuyển đổi số quốc gia là ngày nào hằng năm?
A. 10/10
B. 20/10
C. 2/9
D. 19/8
ANSWER: A

Chương trình tổng thể cải cách hành chính nhà nước
giai đoạn 2021–2030 được ban hành kèm theo văn bản nào?
A) Quyết định 749/QĐ-TTg ngày 03/6/2020
B) Nghị quyết 76/NQ-CP ngày 15/7/2021
ANSWER: B
"""


def found(result):
    return [(p.row, p.column, p.message) for p in result.problems]


def test_questions_get_the_topic_given_and_the_line_they_start_on():
    result = read_aiken(SAMPLE, "Chuyển đổi số")

    assert result.ok, found(result)
    assert result.records == [
        QuestionRecord(
            1,
            "Chuyển đổi số",
            "Ngày Chuyển đổi số quốc gia là ngày nào hằng năm?",
            ("10/10", "20/10", "2/9", "19/8"),
            0,
            None,
            None,
            None,
        ),
        QuestionRecord(
            8,
            "Chuyển đổi số",
            "Chương trình tổng thể cải cách hành chính nhà nước\n"
            "giai đoạn 2021–2030 được ban hành kèm theo văn bản nào?",
            ("Quyết định 749/QĐ-TTg ngày 03/6/2020", "Nghị quyết 76/NQ-CP ngày 15/7/2021"),
            1,
            None,
            None,
            None,
        ),
    ]


def test_questions_need_no_blank_line_between_them_and_tolerate_spacing():
    text = (
        "\ufeffCâu một?\r\n  A.   Có \r\nB. Không\r\nanswer:b\r\n"
        "Câu hai?\nA. Một\nB. Hai\nANSWER: A"
    )

    result = read_aiken(text, "Chung")

    assert result.ok, found(result)
    assert [(r.row, r.text, r.choices, r.answer) for r in result.records] == [
        (1, "Câu một?", ("Có", "Không"), 1),
        (5, "Câu hai?", ("Một", "Hai"), 0),
    ]


def test_first_line_is_question_text_even_when_it_looks_like_a_choice():
    result = read_aiken("A. Lincoln là ai?\nA. Tổng thống\nB. Nhà văn\nANSWER: A\n", "Chung")

    assert result.ok
    assert result.records[0].text == "A. Lincoln là ai?"


def test_missing_answer_line_is_reported_and_the_next_question_still_read():
    text = (
        "Câu một?\nA. Có\nB. Không\n\nCâu hai?\nA. Một\nB. Hai\nANSWER: B\n\nCâu ba?\nA. X\nB. Y\n"
    )

    result = read_aiken(text, "Chung")

    assert found(result) == [
        (1, "answer", messages.AIKEN_MISSING_ANSWER),
        (10, "answer", messages.AIKEN_MISSING_ANSWER),
    ]
    assert [r.text for r in result.records] == ["Câu hai?"]
    assert not result.ok


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("Câu?\nA. Có\nB. Không\nANSWER: C", "answer", messages.ANSWER_NOT_A_CHOICE),
        ("Câu?\nA. Có\nB. Không\nANSWER: Có", "answer", messages.BAD_ANSWER),
        ("Câu?\nA. Có\nB. Không\nANSWER:", "answer", messages.MISSING_ANSWER),
        ("Câu?\nA. Có\nANSWER: A", "B", messages.TOO_FEW_CHOICES),
        ("Câu?\nA. Có\nB.  có \nANSWER: A", "B", messages.DUPLICATE_CHOICE),
        ("Câu?\nA. Có\nC. Không\nANSWER: A", "C", messages.AIKEN_CHOICE_ORDER),
        ("Câu?\nA. Có\nB.\nC. Không\nANSWER: A", "B", messages.CHOICE_GAP),
    ],
)
def test_bad_question_is_reported_with_its_line(text, column, message):
    result = read_aiken("Câu đúng?\nA. Có\nB. Không\nANSWER: A\n\n" + text, "Chung")

    assert not result.ok
    [(row, got_column, got_message)] = found(result)
    assert (got_column, got_message) == (column, message)
    assert row >= 6
    assert [r.row for r in result.records] == [1]


def test_seven_choices_are_too_many():
    choices = "\n".join(f"{letter}. Phương án {letter}" for letter in "ABCDEFG")

    result = read_aiken(f"Câu?\n{choices}\nANSWER: G\n", "Chung")

    assert found(result) == [
        (1, "F", messages.TOO_MANY_CHOICES),
        (1, "answer", messages.BAD_ANSWER),
    ]


def test_duplicates_in_the_text_and_in_the_bank_are_reported():
    text = "Câu một?\nA. Có\nB. Không\nANSWER: A\n\nCÂU  MỘT?\nA. Có\nB. Không\nANSWER: B\n"

    result = read_aiken(text, "Chung", existing={normalize_text("Câu một?")})

    assert found(result) == [
        (1, "question", messages.QUESTION_IN_BANK),
        (6, "question", messages.DUPLICATE_QUESTION),
    ]
    assert result.problems[1].params == {"other_row": 1}


def test_round_trip_keeps_text_choices_and_answer_and_takes_the_topic_given():
    records = [
        QuestionRecord(
            2,
            "Chuyển đổi số",
            "Ngày Chuyển đổi số quốc gia là ngày nào hằng năm?",
            ("10/10", "20/10", "2/9", "19/8"),
            0,
            "Giải thích không có chỗ trong Aiken.",
            "Quyết định 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ",
            "easy",
        ),
        QuestionRecord(
            3, "Công dân số", "A. B. C: ANSWER?", ("A) x", "ANSWER: A"), 1, None, None, None
        ),
        QuestionRecord(
            4, "Công dân số", "Sáu phương án?", ("1", "2", "3", "4", "5", "6"), 5, None, None, None
        ),
    ]

    result = read_aiken(write_aiken(records), "Ngân hàng Aiken")

    assert result.ok, found(result)
    assert [(r.text, r.choices, r.answer, r.topic) for r in result.records] == [
        (r.text, r.choices, r.answer, "Ngân hàng Aiken") for r in records
    ]


def test_writing_puts_each_text_on_one_line():
    record = QuestionRecord(
        2, "Chung", "Dòng một\nDòng hai", ("Có\nthể", "Không"), 0, None, None, None
    )

    text = write_aiken([record])

    assert text == "Dòng một Dòng hai\nA. Có thể\nB. Không\nANSWER: A\n"
    assert read_aiken(text, "Chung").records[0].text == "Dòng một Dòng hai"
