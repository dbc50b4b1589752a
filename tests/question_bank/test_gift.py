import pytest

from question_bank import QuestionRecord, messages, normalize_text, read_gift, write_gift

DAY = QuestionRecord(
    row=1,
    topic="Chuyển đổi số",
    text="Ngày Chuyển đổi số quốc gia là ngày nào hằng năm?",
    choices=("10/10", "20/10", "2/9", "19/8"),
    answer=0,
    explanation="Quyết định 505/QĐ-TTg ngày 22/4/2022 lấy ngày 10/10 hằng năm là Ngày "
    "Chuyển đổi số quốc gia.",
    source="Quyết định 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ",
    difficulty=None,
)
TRICKY = QuestionRecord(
    row=1,
    topic="Toán: {ký hiệu} = #1 ~ CĐS/CCHC",
    text="Trong GIFT, ký tự nào mở phần đáp án: { hay } ? Ví dụ: a = b, #1 ~ gần đúng\\n",
    choices=("{", "}", "= bằng", "~ xấp xỉ", "# thăng: 1:2", "C:\\new"),
    answer=3,
    explanation="Dấu ~ đánh dấu phương án sai;\nnguồn: dòng này vẫn là giải thích.\n"
    "Nguồn: cũng vậy",
    source="Tài liệu “GIFT format” của Moodle: mục {đáp án}",
    difficulty=None,
)
MOODLE_SAMPLE = """\
// Câu hỏi xuất từ Moodle
// question: 0  name: Switch category to $course$/top/Dịch vụ công
$CATEGORY: $course$/top/Default for Hội thi/Dịch vụ công trực tuyến

// question: 101  name: Cổng DVC
::Cổng DVC::[html]<p>Cổng Dịch vụ công quốc gia có địa chỉ nào?</p>{
\t=dichvucong.gov.vn#Đúng rồi
\t~dichvucong.vn#Chưa đúng
\t~%0%congdichvu.gov.vn
\t####<p>Cổng Dịch vụ công quốc gia\\: <b>dichvucong.gov.vn</b></p>
}

// question: 102  name: Đúng sai
::Đúng sai::Thanh toán không dùng tiền mặt chỉ dành cho doanh nghiệp.{FALSE#Sai\\: ai cũng dùng.}

Câu hỏi không tiêu đề về danh tính điện tử? {~Không có =VNeID ~Zalo}
"""


def found(result):
    return [(p.row, p.column, p.message) for p in result.problems]


def same_content(record):
    return (
        record.topic,
        record.text,
        record.choices,
        record.answer,
        record.explanation,
        record.source,
    )


def test_round_trip_keeps_topic_text_choices_answer_explanation_and_source():
    records = [
        DAY,
        QuestionRecord(2, "Chuyển đổi số", "Chỉ có nguồn?", ("Có", "Không"), 1, None, "Luật", None),
        QuestionRecord(
            3, "Công dân số", "Chỉ giải thích?", ("Có", "Không"), 0, "Vì thế.", None, None
        ),
        QuestionRecord(4, "Công dân số", "Không có gì thêm?", ("Có", "Không"), 0, None, None, None),
    ]

    result = read_gift(write_gift(records))

    assert result.ok, found(result)
    assert [same_content(r) for r in result.records] == [same_content(r) for r in records]
    assert {r.difficulty for r in result.records} == {None}


def test_special_characters_and_accents_survive_a_round_trip():
    text = write_gift([TRICKY])

    result = read_gift(text)

    assert result.ok, found(result)
    assert [same_content(r) for r in result.records] == [same_content(TRICKY)]
    assert "\\{" in text and "\\=" in text and "\\~" in text and "\\#" in text and "\\:" in text


def test_writing_names_each_run_of_a_topic_once():
    records = [
        DAY,
        QuestionRecord(2, "Chuyển đổi số", "Câu hai?", ("Có", "Không"), 0, None, None, None),
        QuestionRecord(3, "Cải cách hành chính", "Câu ba?", ("Có", "Không"), 1, None, None, None),
    ]

    text = write_gift(records)

    assert text.count("$CATEGORY:") == 2
    assert text.startswith("$CATEGORY: $course$/top/Chuyển đổi số\n\n::Q1:: Ngày Chuyển")
    assert "::Q3:: Câu ba? {\n~Có\n=Không\n}\n" in text
    assert (
        "####Quyết định 505/QĐ-TTg ngày 22/4/2022 lấy ngày 10/10 hằng năm là Ngày Chuyển "
        "đổi số quốc gia.\nNguồn\\: " not in text
    )
    assert "\nNguồn: Quyết định 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ\n}" in text


def test_moodle_export_with_comments_category_html_and_true_false():
    result = read_gift(MOODLE_SAMPLE, default_topic="Chung")

    assert found(result) == [(14, None, messages.GIFT_UNSUPPORTED)]
    assert result.problems[0].params == {"kind": "true_false"}
    assert "một đáp án đúng" in result.problems[0].text()
    assert not result.ok
    portal, identity = result.records
    assert portal.row == 6
    assert portal.topic == "Dịch vụ công trực tuyến"
    assert portal.text == "Cổng Dịch vụ công quốc gia có địa chỉ nào?"
    assert portal.choices == ("dichvucong.gov.vn", "dichvucong.vn", "congdichvu.gov.vn")
    assert portal.answer == 0
    assert portal.explanation == "Cổng Dịch vụ công quốc gia: dichvucong.gov.vn"
    assert identity.row == 16
    assert identity.topic == "Dịch vụ công trực tuyến"
    assert (identity.choices, identity.answer) == (("Không có", "VNeID", "Zalo"), 1)


def test_questions_before_any_category_take_the_default_topic():
    text = "Câu một? {=Có ~Không}\n\n$CATEGORY: $course$/top\n\nCâu hai? {=Có ~Không}\n"

    result = read_gift(text, default_topic="Kiến thức chung")

    assert [r.topic for r in result.records] == ["Kiến thức chung", "Kiến thức chung"]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Trái đất tròn.{T}", "true_false"),
        ("Trái đất tròn.{TRUE#Đúng#Sai}", "true_false"),
        ("Thủ đô của Việt Nam là {=Hà Nội =Hanoi}", "short_answer"),
        ("Ghép đôi {=Hà Nội -> Việt Nam =Viêng Chăn -> Lào =Phnôm Pênh -> Campuchia}", "matching"),
        ("Năm thành lập? {#1945:0}", "numerical"),
        ("Hãy trình bày ý kiến của bạn. {}", "essay"),
        ("Chỉ là một đoạn mô tả, không có đáp án.", "description"),
        ("Hà Nội là {=thủ đô ~thành phố cảng} của Việt Nam.", "missing_word"),
        ("Chọn hai {~%50%Có ~%50%Đúng ~%-100%Không}", "weighted"),
    ],
)
def test_other_question_types_are_reported_not_dropped(question, kind):
    text = f"// đầu tệp\nCâu đúng? {{=Có ~Không}}\n\n{question}\n"

    result = read_gift(text)

    assert found(result) == [(4, None, messages.GIFT_UNSUPPORTED)]
    assert result.problems[0].params == {"kind": kind}
    assert [r.text for r in result.records] == ["Câu đúng?"]


@pytest.mark.parametrize(
    ("question", "message", "params"),
    [
        ("Không có đáp án đúng? {~Có ~Không}", messages.GIFT_NO_CORRECT_CHOICE, {}),
        (
            "Hai đáp án đúng? {=Có =Đúng ~Không}",
            messages.GIFT_SEVERAL_CORRECT_CHOICES,
            {"count": 2},
        ),
        ("Thiếu ngoặc đóng? {=Có ~Không", messages.GIFT_UNCLOSED, {}),
    ],
)
def test_question_without_exactly_one_right_answer_is_reported(question, message, params):
    result = read_gift(f"Câu đúng? {{=Có ~Không}}\n\n\n{question}\n")

    assert found(result) == [(4, "answer", message)]
    assert result.problems[0].params == params


def test_multi_line_question_starts_on_its_first_line():
    text = "// chú thích\n\n::Q1::\nCâu hỏi trên\nhai dòng?\n{\n  =Có\n  ~Không\n}\n"

    result = read_gift(text)

    [record] = result.records
    assert (record.row, record.text) == (3, "Câu hỏi trên\nhai dòng?")


def test_full_and_no_weights_are_single_answer():
    result = read_gift("Câu? {=%100%Có ~%0%Không ~Có thể}")

    assert result.ok
    assert result.records[0].choices == ("Có", "Không", "Có thể")


def test_checks_of_the_spreadsheet_apply_too():
    text = (
        "Câu một? {=Có ~Không}\n\n"
        "câu  MỘT? {=Có ~Không}\n\n"
        "Câu đã có? {=Có ~Không}\n\n"
        "Một phương án? {=Có}\n\n"
        "Trùng phương án? {=Có ~có}\n\n"
        "Bảy phương án? {=1 ~2 ~3 ~4 ~5 ~6 ~7}\n"
    )

    result = read_gift(text, existing={normalize_text("Câu đã có?")})

    assert found(result) == [
        (3, "question", messages.DUPLICATE_QUESTION),
        (5, "question", messages.QUESTION_IN_BANK),
        (7, None, messages.GIFT_UNSUPPORTED),  # a lone "=" is a short-answer question
        (9, "B", messages.DUPLICATE_CHOICE),
        (11, "F", messages.TOO_MANY_CHOICES),
    ]
