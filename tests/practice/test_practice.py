"""Practice (thi thử): public banks only, random draws, server grading, nothing stored."""

import re

import pytest
from sqlalchemy import event, func, select

from question_bank.questions import QuestionRecord
from quiz.bank import services as bank_services
from quiz.extensions import db
from quiz.models import Attempt, AttemptQuestion, AuditLog, Question
from tests.factories import now
from tests.practice.helpers import TOPICS, drawn_ids, shown_orders, start, submission

NOT_COUNTED = "Bài thi thử không được tính vào kết quả hội thi"
SERVER_ERROR = "Hệ thống gặp sự cố"


def questions(ids) -> dict[int, Question]:
    rows = db.session.execute(select(Question).where(Question.id.in_(ids))).scalars()
    return {q.id: q for q in rows}


# ---- who may practise, and from which banks ----


@pytest.mark.parametrize(
    ("method", "path"), [("get", "/practice"), ("post", "/practice"), ("post", "/practice/grade")]
)
def test_anonymous_visitor_is_sent_to_login(client, bank, method, path):
    response = getattr(client, method)(path, data={"bank_id": str(bank.id), "q": "1"})
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_nav_links_to_practice_for_logged_in_people_only(client, make_unit, make_user, login):
    assert 'href="/practice"' not in client.get("/").text
    login(make_user(make_unit()))
    assert 'href="/practice">Thi thử</a>' in client.get("/").text


def test_setup_offers_only_public_banks_with_their_topics(client, person, bank, make_bank):
    make_bank("Ngân hàng nội bộ", public=False)
    page = client.get("/practice")
    assert page.status_code == 200
    assert "Ngân hàng thi thử (25 câu hỏi)" in page.text
    assert "Ngân hàng nội bộ" not in page.text
    for topic in TOPICS:
        assert f'value="{topic}"' in page.text
    assert NOT_COUNTED in page.text


def test_setup_says_so_when_no_bank_is_public(client, person, make_bank):
    make_bank("Ngân hàng nội bộ", public=False)
    page = client.get("/practice")
    assert page.status_code == 200
    assert "Hiện chưa có ngân hàng câu hỏi nào dùng để thi thử" in page.text
    assert "Ngân hàng nội bộ" not in page.text


def test_start_refuses_a_bank_that_is_not_public(client, person, bank, make_bank):
    private = make_bank("Ngân hàng nội bộ", public=False)
    response = start(client, private.id)
    assert response.status_code == 422
    assert "Ngân hàng câu hỏi này không dùng để thi thử" in response.text
    assert drawn_ids(response.text) == []
    assert "nội bộ: câu hỏi" not in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bank_id", "abc", "Vui lòng chọn một ngân hàng câu hỏi trong danh sách."),
        ("bank_id", "99999999999999999999", "Vui lòng chọn một ngân hàng câu hỏi trong danh sách."),
        ("bank_id", "424242", "Ngân hàng câu hỏi này không dùng để thi thử"),
        ("size", "7", "Vui lòng chọn 5, 10 hoặc 20 câu hỏi."),
        ("size", "1000", "Vui lòng chọn 5, 10 hoặc 20 câu hỏi."),
        ("timed", "maybe", "Vui lòng chọn có tính giờ hay không."),
        ("topic", "Không có chủ đề này", "không có chủ đề “Không có chủ đề này”"),
        ("topic", "x" * 500, "Vui lòng chọn một chủ đề trong danh sách."),
    ],
)
def test_start_with_a_bad_value_shows_the_form_again_with_a_message(
    client, person, bank, field, value, message
):
    data = {"bank_id": str(bank.id), "size": "10", "topic": "", "timed": "0", field: value}
    response = client.post("/practice", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert drawn_ids(response.text) == []


def test_start_refuses_a_topic_of_another_bank(client, person, bank, make_bank):
    make_bank("Ngân hàng khác", count=4, topics=("Công dân số",))
    response = start(client, bank.id, topic="Công dân số")
    assert response.status_code == 422
    assert "không có chủ đề “Công dân số”" in response.text


# ---- drawing ----


@pytest.mark.parametrize("size", [5, 10, 20])
def test_draw_has_the_asked_size_and_no_repeats(client, person, bank, size):
    response = start(client, bank.id, size)
    assert response.status_code == 200
    ids = drawn_ids(response.text)
    assert len(ids) == size
    assert len(set(ids)) == size
    drawn = questions(ids)
    assert len(drawn) == size
    assert {q.bank_id for q in drawn.values()} == {bank.id}


def test_draw_never_has_more_questions_than_the_bank(client, person, make_bank):
    small = make_bank("Ngân hàng nhỏ", count=7)
    response = start(client, small.id, 10)
    assert response.status_code == 200
    assert len(drawn_ids(response.text)) == 7
    assert "chỉ có 7 câu hỏi phù hợp" in response.text


@pytest.mark.parametrize("topic", TOPICS)
def test_draw_respects_the_topic(client, person, bank, topic):
    response = start(client, bank.id, 10, topic=topic)
    assert response.status_code == 200
    ids = drawn_ids(response.text)
    assert len(ids) == 10
    assert {q.topic.name for q in questions(ids).values()} == {topic}


def test_draw_varies_between_quizzes(client, person, bank):
    draws = {tuple(sorted(drawn_ids(start(client, bank.id, 5).text))) for _ in range(5)}
    # Five identical draws of 5 out of 25 happen once in 53,130**4 runs.
    assert len(draws) > 1


def test_draw_skips_retired_questions_and_old_versions(client, person, make_unit, make_user, bank):
    admin = make_user(make_unit(), role="admin")
    all_ids = list(
        db.session.execute(
            select(Question.id).where(Question.bank_id == bank.id).order_by(Question.id)
        ).scalars()
    )
    retired = db.session.get(Question, all_ids[0])
    bank_services.set_retired(retired, True, actor=admin, now=now())
    edited = db.session.get(Question, all_ids[1])
    new = bank_services.edit_question(
        edited,
        QuestionRecord(0, TOPICS[1], "Câu hỏi đã sửa?", ("Có", "Không"), 0, None, None, None),
        actor=admin,
        now=now(),
    )
    seen: set[int] = set()
    for _ in range(6):
        seen.update(drawn_ids(start(client, bank.id, 20).text))
    assert retired.id not in seen
    assert edited.id not in seen
    assert len(seen) > 20  # the draws do cover the rest of the bank
    assert questions(seen).keys() <= set(all_ids[2:]) | {new.id}


def test_choices_are_shuffled_and_the_page_tells_nothing_of_the_answer(client, person, bank):
    response = start(client, bank.id, 20)
    orders = shown_orders(response.text)
    drawn = questions(orders)
    for qid, order in orders.items():
        assert sorted(order) == sorted(c.id for c in drawn[qid].choices)
    natural = [sorted(order) for order in orders.values()]
    # 20 questions of 4 choices all left in file order: once in 24**20 draws.
    assert list(orders.values()) != natural
    assert "Giải thích" not in response.text
    assert "Quyết định số" not in response.text
    assert "correct" not in response.text


# ---- the quiz page ----


def test_quiz_page_is_a_plain_accessible_form(client, person, bank):
    html = start(client, bank.id, 5).text
    assert html.count("<fieldset") == 5
    assert html.count("<legend>") == 5
    radios = re.findall(r'<input type="radio" id="([^"]+)" name="answer-\d+" value="\d+">', html)
    assert len(radios) == 20
    for radio_id in radios:
        assert f'<label for="{radio_id}">' in html
    assert 'action="/practice/grade"' in html
    assert '<button type="submit" class="primary">Nộp bài</button>' in html
    assert "data-time-limit" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script"


def test_timed_quiz_gives_one_minute_per_question_to_the_countdown(client, person, bank):
    html = start(client, bank.id, 10, timed="1").text
    assert 'data-time-limit="600"' in html
    assert "Thời gian làm bài: 10 phút." in html
    src = re.search(r'<script src="(/static/js/practice\.js\?v=[0-9a-f]+)" defer></script>', html)
    assert src, "the practice script, fingerprinted"
    with client.get(src[1]) as script:
        assert script.status_code == 200


def test_quiz_and_result_pages_are_never_cached(client, person, bank):
    quiz = start(client, bank.id, 5)
    assert quiz.headers["Cache-Control"] == "no-store"
    result = client.post("/practice/grade", data=submission(quiz.text))
    assert result.headers["Cache-Control"] == "no-store"


# ---- grading ----


def test_grading_counts_right_answers_and_shows_explanations_and_sources(client, person, bank):
    html = start(client, bank.id, 10).text
    ids = drawn_ids(html)
    drawn = questions(ids)
    answers = {qid: drawn[qid].correct_choice.id for qid in ids[:6]}
    wrong = drawn[ids[6]]
    answers[ids[6]] = next(c.id for c in wrong.choices if c.id != wrong.correct_choice.id)
    response = client.post("/practice/grade", data=submission(html, answers))
    assert response.status_code == 200
    assert "<strong>6 / 10</strong>" in response.text
    assert NOT_COUNTED in response.text
    assert response.text.count("Đúng</span>") == 6
    assert response.text.count("Sai</span>") == 1
    assert response.text.count("Chưa trả lời</span>") == 3
    for q in drawn.values():
        assert q.text in response.text
        assert f"Giải thích: {q.explanation}" in response.text
        assert f"Nguồn: {q.source}" in response.text
        assert q.correct_choice.text in response.text


def test_result_letters_follow_the_order_that_was_shown(client, person, bank):
    html = start(client, bank.id, 5).text
    qid = drawn_ids(html)[0]
    order = shown_orders(html)[qid]
    question = questions([qid])[qid]
    chosen = order[-1]
    response = client.post("/practice/grade", data=submission(html, {qid: chosen}))
    chosen_text = next(c.text for c in question.choices if c.id == chosen)
    correct_letter = "ABCD"[order.index(question.correct_choice.id)]
    assert f"Bạn chọn: D. {chosen_text}" in response.text
    assert f"{correct_letter}. {question.correct_choice.text}" in response.text


def test_grading_uses_the_version_that_was_shown(client, person, make_unit, make_user, bank):
    html = start(client, bank.id, 5).text
    ids = drawn_ids(html)
    shown = questions(ids)
    admin = make_user(make_unit(), role="admin")
    edited = shown[ids[0]]
    # The edit makes another choice the right one; the shown version is still graded as shown.
    bank_services.edit_question(
        edited,
        QuestionRecord(
            0,
            edited.topic.name,
            edited.text + " (đã sửa)",
            tuple(c.text for c in edited.choices),
            edited.correct_position % 4,
            "Giải thích mới.",
            None,
            None,
        ),
        actor=admin,
        now=now(),
    )
    bank_services.set_retired(shown[ids[1]], True, actor=admin, now=now())
    answers = {qid: shown[qid].correct_choice.id for qid in ids}
    response = client.post("/practice/grade", data=submission(html, answers))
    assert response.status_code == 200
    assert "<strong>5 / 5</strong>" in response.text
    assert f"Giải thích: {edited.explanation}" in response.text
    assert "Giải thích mới." not in response.text


# ---- tampered posts ----


def _tamper(html, bank_ids, kind):
    """A quiz post changed in one way; returns (form data, expected status, message)."""
    data = submission(html)
    ids = drawn_ids(html)
    first, second = ids[0], ids[1]
    order = data[f"order-{first}"]
    if kind == "foreign_choice":
        data[f"answer-{first}"] = data[f"order-{second}"].split(",")[0]
        return data, 422, "Phương án đã chọn ở câu 1 không thuộc câu hỏi này."
    if kind == "private_bank_question":
        private_qid = bank_ids["private_question"]
        data["q"] = [str(private_qid)]
        data = {"q": data["q"], f"order-{private_qid}": bank_ids["private_order"]}
        return data, 422, "không thuộc ngân hàng dùng để thi thử"
    if kind == "unknown_question":
        data["q"][0] = "987654"
        data["order-987654"] = data.pop(f"order-{first}")
        return data, 422, "câu hỏi không tồn tại"
    if kind == "order_of_another_question":
        data[f"order-{first}"] = data[f"order-{second}"]
        return data, 422, "Thứ tự phương án của câu 1 không khớp với câu hỏi."
    if kind == "missing_order":
        del data[f"order-{first}"]
        return data, 400, "Thứ tự phương án không hợp lệ."
    if kind == "garbage_order":
        data[f"order-{first}"] = order + ",x"
        return data, 400, "Thứ tự phương án không hợp lệ."
    garbage_ids = {"word": "abc", "negative": "-1", "float": "1.5", "huge": "9" * 30}
    if kind in garbage_ids:
        data["q"][0] = garbage_ids[kind]
        return data, 400, "Mã câu hỏi không hợp lệ."
    if kind == "garbage_answer":
        data[f"answer-{first}"] = "A"
        return data, 400, "Phương án đã chọn không hợp lệ."
    if kind == "two_answers":
        data[f"answer-{first}"] = order.split(",")[:2]
        return data, 400, "Phương án đã chọn không hợp lệ."
    if kind == "answer_to_a_question_not_drawn":
        data["answer-987654"] = "1"
        return data, 400, "không khớp với các câu hỏi của bài thi thử"
    if kind == "repeated_question":
        data["q"] = [*data["q"], str(first)]
        return data, 400, "Một câu hỏi được gửi nhiều lần."
    if kind == "no_questions":
        return {}, 400, "Bài thi thử không có câu hỏi nào."
    if kind == "a_thousand_questions":
        data["q"] = [str(i) for i in range(1, 1001)]
        return data, 400, "Bài thi thử có nhiều nhất 20 câu hỏi."
    raise AssertionError(kind)


TAMPERINGS = [
    "foreign_choice",
    "private_bank_question",
    "unknown_question",
    "order_of_another_question",
    "missing_order",
    "garbage_order",
    "word",
    "negative",
    "float",
    "huge",
    "garbage_answer",
    "two_answers",
    "answer_to_a_question_not_drawn",
    "repeated_question",
    "no_questions",
    "a_thousand_questions",
]


@pytest.mark.parametrize("kind", TAMPERINGS)
def test_tampered_post_gets_a_4xx_with_a_message(client, person, bank, make_bank, kind):
    private = make_bank("Ngân hàng nội bộ", count=4, public=False)
    private_question = db.session.execute(
        select(Question).where(Question.bank_id == private.id).limit(1)
    ).scalar_one()
    bank_ids = {
        "private_question": private_question.id,
        "private_order": ",".join(str(c.id) for c in private_question.choices),
    }
    html = start(client, bank.id, 5).text
    data, status, message = _tamper(html, bank_ids, kind)
    response = client.post("/practice/grade", data=data)
    assert response.status_code == status
    assert message in response.text
    assert SERVER_ERROR not in response.text
    assert "Làm bài thi thử mới" in response.text
    assert private_question.text not in response.text


def test_question_of_a_bank_made_private_after_the_draw_is_refused(client, person, bank):
    html = start(client, bank.id, 5).text
    bank.is_public = False
    db.session.commit()
    response = client.post("/practice/grade", data=submission(html))
    assert response.status_code == 422
    assert "không thuộc ngân hàng dùng để thi thử" in response.text


# ---- nothing is stored; the work per request does not grow with the quiz ----


def _row_counts() -> dict[str, int]:
    db.session.rollback()
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    for model in (Attempt, AttemptQuestion, AuditLog):
        assert model.__tablename__ in counts
    return counts


class Statements:
    """The SQL statements the web app runs while the block is open."""

    def __init__(self, web_app):
        with web_app.app_context():
            self.engine = db.engine
        self.seen: list[str] = []

    def _record(self, _conn, _cursor, statement, *_args):
        self.seen.append(statement.lstrip().split(None, 1)[0].upper())

    def __enter__(self):
        self.seen.clear()
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def selects(self) -> int:
        return self.seen.count("SELECT")

    @property
    def writes(self) -> list[str]:
        return [s for s in self.seen if s in {"INSERT", "UPDATE", "DELETE", "MERGE", "CREATE"}]


def test_practice_writes_no_row_to_any_table(client, person, bank, web_app):
    before = _row_counts()
    with Statements(web_app) as statements:
        client.get("/practice")
        html = start(client, bank.id, 20, timed="1").text
        ids = drawn_ids(html)
        answers = {qid: questions([qid])[qid].correct_choice.id for qid in ids[:3]}
        db.session.rollback()
        assert client.post("/practice/grade", data=submission(html, answers)).status_code == 200
        assert client.post("/practice/grade", data={"q": "abc"}).status_code == 400
        assert start(client, 424242).status_code == 422
    assert statements.writes == []
    assert _row_counts() == before


def test_queries_per_request_do_not_grow_with_the_quiz_size(client, person, bank, web_app):
    start(client, bank.id, 5)  # the first draw fills this worker's pool cache
    counts = {}
    for size in (5, 20):
        with Statements(web_app) as drawing:
            html = start(client, bank.id, size).text
        with Statements(web_app) as grading:
            client.post("/practice/grade", data=submission(html))
        counts[size] = (drawing.selects, grading.selects)
    assert counts[5] == counts[20]
    drawing_selects, grading_selects = counts[20]
    # Drawing: user, bank (and whether a round reserves it), pool revision, questions,
    # their choices. Grading: user, questions (and their banks' reservation), choices,
    # the legal documents they cite (with their status).
    assert drawing_selects <= 5
    assert grading_selects <= 4
