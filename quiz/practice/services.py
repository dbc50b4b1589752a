"""Practice: draw from a public bank's cached pool, grade on the server, write nothing.

A practice quiz lives only in the page: the drawn question ids (version ids) and the
choice order travel in the form and come back with the answers. Grading reads those
versions, so a question edited or retired since the draw is graded as it was shown.
"""

import random
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import question_pool
from ..disclosure import bank_reserved_error, reserved_bank_ids, reserved_clause
from ..errors import DomainError
from ..extensions import db
from ..models import Bank, Choice, Question

SIZES = (5, 10, 20)
MAX_QUESTIONS = max(SIZES)
MAX_CHOICES = 6
SECONDS_PER_QUESTION = 60
LETTERS = "ABCDEF"

_rng = random.SystemRandom()


@dataclass(frozen=True)
class TopicOption:
    name: str
    count: int


@dataclass(frozen=True)
class BankOption:
    id: int
    name: str
    count: int
    topics: list[TopicOption]


def bank_options(now: datetime) -> list[BankOption]:
    """Public banks that have drawable questions, with their topics and counts.

    A bank an open or upcoming round draws from is left out: practice grades with the
    answers, so serving it would hand out the round's answer key.
    """
    banks = db.session.execute(
        select(Bank.id, Bank.name).where(Bank.is_public).order_by(Bank.name, Bank.id)
    ).all()
    reserved = reserved_bank_ids(now)
    options = []
    for bank_id, name in banks:
        if bank_id in reserved:
            continue
        # Counted from the draw pool itself, so the page offers exactly what can be drawn.
        by_topic = question_pool.pool(bank_id).by_topic
        topics = [TopicOption(t, len(by_topic[t])) for t in sorted(by_topic) if by_topic[t]]
        if topics:
            options.append(BankOption(bank_id, name, sum(t.count for t in topics), topics))
    return options


@dataclass(frozen=True)
class DrawnQuestion:
    question: Question
    choices: list[Choice]  # in the shuffled order shown


@dataclass(frozen=True)
class PracticeQuiz:
    bank_name: str
    topic: str | None
    requested: int
    questions: list[DrawnQuestion]
    time_limit_seconds: int | None


def draw(bank_id: int, topic: str | None, size: int, *, timed: bool, now: datetime) -> PracticeQuiz:
    """A practice quiz: `size` distinct questions (fewer if the bank has fewer), shuffled."""
    if size not in SIZES:
        raise DomainError("invalid_size", _l("Vui lòng chọn 5, 10 hoặc 20 câu hỏi."), status=422)
    # One query: the bank, if public, and whether a round still to close draws from it.
    row = db.session.execute(
        select(Bank.name, reserved_clause(Bank.id, now)).where(Bank.id == bank_id, Bank.is_public)
    ).first()
    if row is None:
        # Also checked before the pool, so no made-up id takes a place in the pool cache.
        raise DomainError(
            "bank_not_public",
            _l("Ngân hàng câu hỏi này không dùng để thi thử. Vui lòng chọn ngân hàng khác."),
            status=422,
        )
    bank_name, reserved = row
    if reserved:
        raise bank_reserved_error()
    pool = question_pool.pool(bank_id)
    if topic:
        candidates = pool.by_topic.get(topic)
        if candidates is None:
            raise DomainError(
                "unknown_topic",
                _l("Ngân hàng câu hỏi đã chọn không có chủ đề “%(topic)s”."),
                status=422,
                topic=topic,
            )
    else:
        candidates = [c for cs in pool.by_topic.values() for c in cs]
    if not candidates:
        raise DomainError(
            "no_questions", _l("Ngân hàng câu hỏi này chưa có câu hỏi nào."), status=422
        )
    ids = [qid for qid, _n in _rng.sample(candidates, min(size, len(candidates)))]
    loaded = {
        q.id: q
        for q in db.session.execute(
            select(Question).where(Question.id.in_(ids)).options(db.selectinload(Question.choices))
        ).scalars()
    }
    questions = []
    for qid in ids:
        question = loaded.get(qid)
        if question is None:
            continue
        choices = list(question.choices)
        _rng.shuffle(choices)
        questions.append(DrawnQuestion(question, choices))
    return PracticeQuiz(
        bank_name=bank_name,
        topic=topic or None,
        requested=size,
        questions=questions,
        time_limit_seconds=len(questions) * SECONDS_PER_QUESTION if timed else None,
    )


@dataclass(frozen=True)
class GradedQuestion:
    question: Question
    choices: list[Choice]  # in the order shown
    chosen: Choice | None
    correct: Choice

    @property
    def is_right(self) -> bool:
        return self.chosen is not None and self.chosen.id == self.correct.id

    def letter(self, choice: Choice) -> str:
        return LETTERS[self.choices.index(choice)]


@dataclass(frozen=True)
class PracticeResult:
    items: list[GradedQuestion]

    @property
    def correct_count(self) -> int:
        return sum(item.is_right for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)


def _tampered(message, status: int = 422, **params) -> DomainError:
    return DomainError("invalid_practice", message, status=status, **params)


def grade(posted, now: datetime) -> PracticeResult:
    """Grade posted answers (from forms.parse_submission) against the versions shown.

    Refused for a bank that became reserved since the draw: grading shows the answers.
    """
    ids = [p.question_id for p in posted]
    # Any version, current or not: the posted ids are the versions that were shown.
    rows = db.session.execute(
        select(Question, reserved_clause(Question.bank_id, now))
        .join(Bank, Bank.id == Question.bank_id)
        .where(Question.id.in_(ids), Bank.is_public)
        .options(db.selectinload(Question.choices))
    ).all()
    questions = {q.id: q for q, _reserved in rows}
    if len(questions) != len(ids):
        raise _tampered(
            _l(
                "Bài thi thử có câu hỏi không tồn tại hoặc không thuộc ngân hàng dùng để "
                "thi thử. Vui lòng làm bài thi thử mới."
            )
        )
    if any(reserved for _q, reserved in rows):
        raise bank_reserved_error()
    items = []
    for number, p in enumerate(posted, start=1):
        question = questions[p.question_id]
        by_id = {c.id: c for c in question.choices}
        if sorted(p.order) != sorted(by_id):
            raise _tampered(_l("Thứ tự phương án của câu %(n)d không khớp với câu hỏi."), n=number)
        chosen = None
        if p.choice_id is not None:
            chosen = by_id.get(p.choice_id)
            if chosen is None:
                raise _tampered(
                    _l("Phương án đã chọn ở câu %(n)d không thuộc câu hỏi này."), n=number
                )
        items.append(
            GradedQuestion(
                question=question,
                choices=[by_id[i] for i in p.order],
                chosen=chosen,
                correct=question.correct_choice,
            )
        )
    return PracticeResult(items)
