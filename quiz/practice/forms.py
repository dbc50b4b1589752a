"""The practice setup form, and the parser of a posted practice quiz."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, ValidationError

from question_bank.questions import TOPIC_MAX_LENGTH

from ..errors import DomainError
from .services import MAX_CHOICES, MAX_QUESTIONS, SIZES

# Ids are PostgreSQL integers: a larger number would fail in the database, not here.
_MAX_ID = 2**31 - 1


class PracticeForm(FlaskForm):
    # The template lists the banks and topics (grouped by bank); the service checks the
    # bank is public and has the topic, so these fields only check the shape of the
    # values, with our own Vietnamese messages instead of WTForms' English ones.
    bank_id = SelectField(_l("Ngân hàng câu hỏi"), validate_choice=False)
    topic = SelectField(_l("Chủ đề (không bắt buộc)"), validate_choice=False)
    size = RadioField(
        _l("Số câu hỏi"),
        choices=[SelectChoice(str(n), _l("%(n)d câu", n=n)) for n in SIZES],
        default=str(SIZES[1]),
        validate_choice=False,
    )
    timed = RadioField(
        _l("Thời gian làm bài"),
        choices=[
            SelectChoice("0", _l("Không tính giờ")),
            SelectChoice("1", _l("Tính giờ: 1 phút cho mỗi câu, hết giờ tự động nộp bài")),
        ],
        default="0",
        validate_choice=False,
    )
    submit = SubmitField(_l("Bắt đầu thi thử"))

    def validate_bank_id(self, field):
        if not _is_id(field.data):
            raise ValidationError(_l("Vui lòng chọn một ngân hàng câu hỏi trong danh sách."))

    def validate_topic(self, field):
        if field.data and len(field.data) > TOPIC_MAX_LENGTH:
            raise ValidationError(_l("Vui lòng chọn một chủ đề trong danh sách."))

    def validate_size(self, field):
        if field.data not in {str(n) for n in SIZES}:
            raise ValidationError(_l("Vui lòng chọn 5, 10 hoặc 20 câu hỏi."))

    def validate_timed(self, field):
        if field.data not in ("0", "1"):
            raise ValidationError(_l("Vui lòng chọn có tính giờ hay không."))


def _is_id(value: object) -> bool:
    return (
        isinstance(value, str)
        and value.isascii()
        and value.isdecimal()
        and len(value) <= 10
        and 1 <= int(value) <= _MAX_ID
    )


@dataclass(frozen=True)
class PostedAnswer:
    """One question of a submitted practice quiz, as the page posted it."""

    question_id: int
    order: tuple[int, ...]  # choice ids in the order they were shown
    choice_id: int | None


def _malformed(message, **params) -> DomainError:
    return DomainError("invalid_practice", message, status=400, **params)


def parse_submission(form: MultiDict) -> list[PostedAnswer]:
    """The posted quiz: question ids (`q`), `order-<id>` and `answer-<id>`; 400 if malformed."""
    raw_ids = form.getlist("q")
    if not raw_ids:
        raise _malformed(_l("Bài thi thử không có câu hỏi nào. Vui lòng làm bài thi thử mới."))
    if len(raw_ids) > MAX_QUESTIONS:
        raise _malformed(
            _l("Bài thi thử có nhiều nhất %(n)d câu hỏi. Vui lòng làm bài thi thử mới."),
            n=MAX_QUESTIONS,
        )
    if not all(_is_id(v) for v in raw_ids):
        raise _malformed(_l("Mã câu hỏi không hợp lệ. Vui lòng làm bài thi thử mới."))
    ids = [int(v) for v in raw_ids]
    if len(set(ids)) != len(ids):
        raise _malformed(_l("Một câu hỏi được gửi nhiều lần. Vui lòng làm bài thi thử mới."))
    known = {str(i) for i in ids}
    for key in form:
        for prefix in ("answer-", "order-"):
            if key.startswith(prefix) and key[len(prefix) :] not in known:
                raise _malformed(
                    _l("Câu trả lời gửi lên không khớp với các câu hỏi của bài thi thử.")
                )
    posted = []
    for qid in ids:
        order = form.getlist(f"order-{qid}")
        parts = order[0].split(",") if len(order) == 1 else []
        if not 2 <= len(parts) <= MAX_CHOICES or not all(_is_id(p) for p in parts):
            raise _malformed(_l("Thứ tự phương án không hợp lệ. Vui lòng làm bài thi thử mới."))
        answers = form.getlist(f"answer-{qid}")
        if len(answers) > 1 or (answers and answers[0] and not _is_id(answers[0])):
            raise _malformed(_l("Phương án đã chọn không hợp lệ."))
        choice_id = int(answers[0]) if answers and answers[0] else None
        posted.append(PostedAnswer(qid, tuple(int(p) for p in parts), choice_id))
    return posted
