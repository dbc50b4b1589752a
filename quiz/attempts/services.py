"""Taking a round: start (draw and freeze), save answers, submit, finalize expired attempts.

Every public function is one transaction, takes `now`, and checks time on the server inside
the transaction it guards. The database caps attempts (unique user + round + number, and at
most one open attempt per person and round); a lost race resumes instead of failing.
"""

import hashlib
import hmac
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from .. import figure_cache, question_pool
from ..errors import DomainError, NotFound
from ..extensions import db, lock_row, write_lock
from ..models import (
    Attempt,
    AttemptQuestion,
    AttemptStatus,
    Choice,
    Question,
    Round,
    User,
)
from ..results.flags import flag_if_too_fast
from .aggregates import record_finalized

log = logging.getLogger(__name__)
_rng = random.SystemRandom()
MAX_PREDICTION = 10**9


def draw(round_: Round, group: str) -> list[tuple[int, int]]:
    """Questions for one attempt: topic quotas first, the rest from the whole bank."""
    pool = question_pool.pool(round_.bank_for(group))
    chosen: list[tuple[int, int]] = []
    taken: set[int] = set()
    for rule in round_.draws:
        candidates = pool.by_topic.get(rule.topic, [])
        if len(candidates) < rule.count:
            raise _not_enough()
        picked = _rng.sample(candidates, rule.count)
        chosen.extend(picked)
        taken.update(q for q, _ in picked)
    rest = round_.question_count - len(chosen)
    if rest > 0:
        others = [c for cs in pool.by_topic.values() for c in cs if c[0] not in taken]
        if len(others) < rest:
            raise _not_enough()
        chosen.extend(_rng.sample(others, rest))
    if round_.shuffle_questions:
        _rng.shuffle(chosen)
    return chosen[: round_.question_count]


def _not_enough() -> DomainError:
    return DomainError(
        "not_enough_questions",
        _l("Ngân hàng câu hỏi của đợt thi không đủ câu hỏi. Vui lòng báo Ban Tổ chức."),
        status=409,
    )


# ---- opaque choice ids: nothing in an id tells its position or its correctness ----


def choice_token(attempt_id: int, choice_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    msg = f"choice:{attempt_id}:{choice_id}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()[:16]


# ---- reading ----


def _lock(attempt_id: int, user: User) -> Attempt:
    """The caller's attempt, row-locked for the rest of the transaction; 404 otherwise."""
    attempt = lock_row(Attempt, Attempt.id == attempt_id, Attempt.user_id == user.id)
    if attempt is None:
        raise NotFound()
    return attempt


_OWN_ATTEMPT = (
    select(Attempt)
    .where(Attempt.id == bindparam("attempt_id"), Attempt.user_id == bindparam("user_id"))
    .options(db.joinedload(Attempt.round))
)


def own_attempt(attempt_id: int, user: User) -> Attempt:
    attempt = db.session.execute(
        _OWN_ATTEMPT, {"attempt_id": attempt_id, "user_id": user.id}
    ).scalar_one_or_none()
    if attempt is None:
        raise NotFound()
    return attempt


def _past_grace(attempt: Attempt, round_: Round, now: datetime) -> bool:
    return now > attempt.deadline_at + timedelta(seconds=round_.grace_seconds)


def in_frozen_order(choice_order: str, by_position: dict[int, object]) -> list:
    """The choices as the attempt shows them: choice_order lists their positions ("3,1,4,2")."""
    return [by_position[int(p)] for p in choice_order.split(",")]


def frozen_rows(attempt: Attempt) -> list[tuple[AttemptQuestion, list[Choice]]]:
    """Each drawn question with its choices in the frozen display order."""
    rows = db.session.execute(
        select(AttemptQuestion)
        .where(AttemptQuestion.attempt_id == attempt.id)
        .order_by(AttemptQuestion.position)
        .options(db.selectinload(AttemptQuestion.question).selectinload(Question.choices))
    ).scalars()
    out = []
    for aq in rows:
        by_position = {c.position: c for c in aq.question.choices}
        out.append((aq, in_frozen_order(aq.choice_order, by_position)))
    return out


@dataclass(frozen=True)
class ShownQuestion:
    """A question as the contestant's page shows it: no key, no explanation."""

    position: int
    text: str
    choices: list[tuple[int, str]]  # (choice id, text) in the frozen display order
    selected_choice_id: int | None


_SHOWN = (
    select(
        AttemptQuestion.position,
        AttemptQuestion.choice_order,
        AttemptQuestion.selected_choice_id,
        Question.text,
        Choice.id,
        Choice.position,
        Choice.text,
    )
    .join(Question, Question.id == AttemptQuestion.question_id)
    .join(Choice, Choice.question_id == AttemptQuestion.question_id)
    .where(AttemptQuestion.attempt_id == bindparam("attempt_id"))
    .order_by(AttemptQuestion.position)
)


def shown_questions(attempt_id: int) -> list[ShownQuestion]:
    """The attempt's questions in frozen order, read as plain rows in one query."""
    rows = db.session.execute(_SHOWN, {"attempt_id": attempt_id}).all()
    shown: list[ShownQuestion] = []
    by_position: dict[int, tuple[int, str]] = {}
    for i, (position, order, selected, text, choice_id, choice_position, choice_text) in enumerate(
        rows
    ):
        by_position[choice_position] = (choice_id, choice_text)
        if i + 1 == len(rows) or rows[i + 1][0] != position:
            choices = in_frozen_order(order, by_position)
            shown.append(ShownQuestion(position, text, choices, selected))
            by_position = {}
    return shown


# ---- finalizing ----


def _grade(attempt: Attempt) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AttemptQuestion)
        .join(Choice, Choice.id == AttemptQuestion.selected_choice_id)
        .join(Question, Question.id == AttemptQuestion.question_id)
        .where(
            AttemptQuestion.attempt_id == attempt.id,
            Choice.position == Question.correct_position,
        )
    )


def _finalize(attempt: Attempt, status: AttemptStatus, at: datetime) -> None:
    """Grade on the server, close the attempt and update the aggregates (flush only)."""
    attempt.correct_count = _grade(attempt)
    attempt.status = status.value
    attempt.submitted_at = at
    attempt.duration_ms = max(0, (at - attempt.started_at) // timedelta(milliseconds=1))
    round_ = db.session.get(Round, attempt.round_id)
    flag_if_too_fast(attempt, round_)
    db.session.flush()
    record_finalized(attempt, round_)
    # The ranking moved even where no aggregate did (an attempt that is nobody's new best
    # by score may still be by time): the results pages' caches must know.
    figure_cache.bump(f"round:{round_.id}")


def _expire_if_due(attempt: Attempt, round_: Round, now: datetime) -> bool:
    """Finalize an open attempt left past deadline + grace; its time is its deadline."""
    if attempt.is_open and _past_grace(attempt, round_, now):
        _finalize(attempt, AttemptStatus.EXPIRED, attempt.deadline_at)
        return True
    return False


# ---- starting ----


@dataclass(frozen=True)
class StartPreview:
    """What the confirmation before the clock shows: the attempt it would start."""

    number: int  # this attempt's number (1 for a first attempt)
    allowed: int
    minutes: float  # the time the attempt would have if started now
    cut_by_close: bool  # the round closes before the time limit runs out
    open_attempt_id: int | None  # an attempt already running: resume it instead


def start_preview(user: User, round_: Round, now: datetime) -> StartPreview:
    """Read-only: the checks of start() in words, without starting anything."""
    if round_.state(now) != "open":
        raise DomainError("round_not_open", _l("Đợt thi này hiện không mở."), status=403)
    if not round_.admits(user.participant_group):
        raise DomainError(
            "not_eligible",
            _l("Đợt thi này không dành cho đối tượng dự thi của bạn."),
            status=403,
        )
    attempts = db.session.execute(
        select(Attempt.id, Attempt.status).where(
            Attempt.user_id == user.id, Attempt.round_id == round_.id
        )
    ).all()
    running = next((a.id for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    if running is None and len(attempts) >= round_.attempts_allowed:
        raise DomainError(
            "already_submitted", _l("Bạn đã dùng hết số lần thi của đợt này."), status=409
        )
    limit = timedelta(seconds=round_.time_limit_seconds)
    left = min(limit, round_.closes_at - now)
    return StartPreview(
        number=len(attempts) + 1,
        allowed=round_.attempts_allowed,
        minutes=left.total_seconds() / 60,
        cut_by_close=left < limit,
        open_attempt_id=running,
    )


def start(user: User, round_id: int, now: datetime) -> tuple[Attempt, bool]:
    """(attempt, created): a new attempt, or the caller's open one (resume)."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise NotFound()
    if round_.state(now) != "open":
        raise DomainError("round_not_open", _l("Đợt thi này hiện không mở."), status=403)
    # The person's row lock, also taken by a profile edit: the unit and group read here
    # are the ones the attempt keeps, and an edit cannot slip in before the attempt exists.
    user = lock_row(User, User.id == user.id)
    if not round_.admits(user.participant_group):
        raise DomainError(
            "not_eligible",
            _l("Đợt thi này không dành cho đối tượng dự thi của bạn."),
            status=403,
        )
    attempts = (
        db.session.execute(
            select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.round_id == round_.id)
            .order_by(Attempt.number)
        )
        .scalars()
        .all()
    )
    for attempt in attempts:
        if attempt.is_open and not _expire_if_due(attempt, round_, now):
            return attempt, False
    if len(attempts) >= round_.attempts_allowed:
        db.session.commit()  # keep a lazily expired attempt final
        raise DomainError(
            "already_submitted",
            _l("Bạn đã dùng hết số lần thi của đợt này."),
            status=409,
        )
    drawn = draw(round_, user.participant_group)
    attempt = Attempt(
        user_id=user.id,
        round_id=round_.id,
        number=len(attempts) + 1,
        unit_id=user.unit_id,
        participant_group=user.participant_group,
        status=AttemptStatus.IN_PROGRESS.value,
        started_at=now,
        deadline_at=min(now + timedelta(seconds=round_.time_limit_seconds), round_.closes_at),
        question_count=len(drawn),
    )
    db.session.add(attempt)
    try:
        db.session.flush()
    except IntegrityError:
        # Another request of this person started first (two tabs, two servers): resume it.
        db.session.rollback()
        return _open_attempt_after_race(user, round_id)
    db.session.execute(
        insert(AttemptQuestion),
        [
            {
                "attempt_id": attempt.id,
                "position": position,
                "question_id": qid,
                "choice_order": ",".join(map(str, _order(n, round_.shuffle_choices))),
            }
            for position, (qid, n) in enumerate(drawn, start=1)
        ],
    )
    db.session.commit()
    return attempt, True


def _order(n: int, shuffle: bool) -> list[int]:
    order = list(range(1, n + 1))
    if shuffle:
        _rng.shuffle(order)
    return order


def _open_attempt_after_race(user: User, round_id: int) -> tuple[Attempt, bool]:
    attempt = db.session.execute(
        select(Attempt).where(
            Attempt.user_id == user.id,
            Attempt.round_id == round_id,
            Attempt.status == AttemptStatus.IN_PROGRESS.value,
        )
    ).scalar_one_or_none()
    if attempt is None:
        raise DomainError(
            "already_submitted", _l("Bạn đã dùng hết số lần thi của đợt này."), status=409
        )
    return attempt, False


# ---- answering ----


def _open_for_writing(user: User, attempt_id: int, now: datetime) -> tuple[Attempt, Round]:
    """Lock the attempt and check, in this transaction, that it still takes answers."""
    attempt = _lock(attempt_id, user)
    round_ = db.session.get(Round, attempt.round_id)
    if _expire_if_due(attempt, round_, now):
        db.session.commit()
        raise DomainError(
            "deadline_passed",
            _l(
                "Đã hết giờ làm bài: câu trả lời này không được ghi nhận. Bài thi đã được nộp "
                "với các câu trả lời đã lưu trước khi hết giờ."
            ),
            status=422,
        )
    if not attempt.is_open:
        raise DomainError(
            "attempt_closed", _l("Bài thi đã nộp, không thể thay đổi câu trả lời."), status=409
        )
    return attempt, round_


# The hot path's statements, built once (construction and cache keys cost a tenth of a
# request). Read: the attempt, locked, with its deadline and the question's choice ids.
_SAVE_READ = (
    select(Attempt.status, Attempt.deadline_at, Round.grace_seconds, AttemptQuestion.id, Choice.id)
    .join(Round, Round.id == Attempt.round_id)
    .outerjoin(
        AttemptQuestion,
        and_(
            AttemptQuestion.attempt_id == Attempt.id,
            AttemptQuestion.position == bindparam("position"),
        ),
    )
    .outerjoin(Choice, Choice.question_id == AttemptQuestion.question_id)
    .where(Attempt.id == bindparam("attempt_id"), Attempt.user_id == bindparam("user_id"))
    .with_for_update(of=Attempt)
)
_answers = AttemptQuestion.__table__
_SAVE_WRITE = (
    update(_answers)
    .where(_answers.c.id == bindparam("aq_id"))
    .values(selected_choice_id=bindparam("choice_id"), answered_at=bindparam("at"))
)


@dataclass(frozen=True)
class SavedAnswer:
    position: int
    answered_at: datetime


def save_answer(
    user: User, attempt_id: int, position: int, token: object, now: datetime
) -> SavedAnswer:
    """Record the chosen choice of one question before answering OK.

    Two statements on the common path: the attempt is locked and read together with its
    deadline and the question's choice ids, then the answer is written.
    """
    write_lock()
    rows = db.session.execute(
        _SAVE_READ, {"attempt_id": attempt_id, "user_id": user.id, "position": position}
    ).all()
    if not rows:
        raise NotFound()
    status, deadline_at, grace, aq_id, _choice = rows[0]
    if status != AttemptStatus.IN_PROGRESS or now > deadline_at + timedelta(seconds=grace):
        _open_for_writing(user, attempt_id, now)  # expires it and raises the right error
    if aq_id is None:
        raise NotFound()
    choice_id = next(
        (c for *_, c in rows if c is not None and choice_token(attempt_id, c) == token), None
    )
    if choice_id is None:
        raise DomainError(
            "invalid_choice", _l("Phương án đã chọn không thuộc câu hỏi này."), status=422
        )
    db.session.execute(_SAVE_WRITE, {"aq_id": aq_id, "choice_id": choice_id, "at": now})
    db.session.commit()
    return SavedAnswer(position, now)


def save_prediction(user: User, attempt_id: int, value: object, now: datetime) -> int:
    attempt, round_ = _open_for_writing(user, attempt_id, now)
    if round_.prediction == "none":
        raise DomainError(
            "invalid_prediction", _l("Đợt thi này không có câu hỏi dự đoán."), status=422
        )
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PREDICTION:
        raise DomainError(
            "invalid_prediction",
            _l("Dự đoán phải là một số nguyên không âm."),
            status=422,
        )
    attempt.prediction = value
    db.session.commit()
    return value


def submit(user: User, attempt_id: int, now: datetime) -> Attempt:
    """Grade once; a repeat (another tab, worker or server) returns the same result."""
    attempt = _lock(attempt_id, user)
    if attempt.is_open:
        round_ = db.session.get(Round, attempt.round_id)
        if not _expire_if_due(attempt, round_, now):
            _finalize(attempt, AttemptStatus.SUBMITTED, now)
        db.session.commit()
    return attempt


def finalize_if_due(attempt: Attempt, now: datetime) -> None:
    """On access: an attempt left open past its deadline + grace is finalized now."""
    if not attempt.is_open:
        return
    # The longest grace is 600 s: before deadline + grace nothing to do, and no lock taken.
    if not _past_grace(attempt, attempt.round, now):
        return
    locked = lock_row(Attempt, Attempt.id == attempt.id)
    if _expire_if_due(locked, db.session.get(Round, locked.round_id), now):
        db.session.commit()


def close_expired(now: datetime, batch: int = 500) -> tuple[int, int]:
    """The cron sweep: (finalized, failed). One bad row never stops the sweep."""
    done = failed = 0
    candidates = db.session.execute(
        select(Attempt.id, Attempt.deadline_at, Round.grace_seconds)
        .join(Round, Round.id == Attempt.round_id)
        .where(Attempt.status == AttemptStatus.IN_PROGRESS.value, Attempt.deadline_at < now)
        .order_by(Attempt.deadline_at)
    ).all()
    db.session.rollback()
    for attempt_id, deadline_at, grace in candidates:
        if now <= deadline_at + timedelta(seconds=grace):
            continue
        try:
            attempt = lock_row(Attempt, Attempt.id == attempt_id)
            if _expire_if_due(attempt, db.session.get(Round, attempt.round_id), now):
                done += 1
            db.session.commit()
        except Exception:  # noqa: BLE001 - log and go on with the next attempt
            db.session.rollback()
            log.exception("could not finalize attempt %s", attempt_id)
            failed += 1
    return done, failed
