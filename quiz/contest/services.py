"""Contests and rounds: creation and edits, with the checks that keep a round takeable."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..errors import DomainError
from ..extensions import db, lock_row
from ..judging import setup as judged_setup
from ..models import (
    Attempt,
    AttemptStatus,
    Bank,
    Choice,
    Contest,
    ContestKind,
    Prediction,
    Question,
    ReviewPolicy,
    Round,
    RoundDraw,
    Topic,
    User,
)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def create_contest(
    slug: str,
    title: str,
    rules: str = "",
    *,
    kind: str = ContestKind.QUIZ,
    actor: User | None,
    now: datetime,
) -> Contest:
    slug, title = (slug or "").strip(), " ".join((title or "").split())
    if not SLUG.match(slug) or len(slug) > 80:
        raise DomainError(
            "invalid_slug",
            _l(
                "Đường dẫn (slug) chỉ gồm chữ thường không dấu, số và dấu gạch ngang, "
                "ví dụ hoi-thi-cds-2026."
            ),
        )
    _check_title(title, _l("Vui lòng nhập tên hội thi."))
    if kind not in set(ContestKind):
        raise DomainError("invalid_kind", _l("Loại hội thi không hợp lệ."))
    contest = Contest(slug=slug, title=title, rules=rules or "", kind=kind, created_at=now)
    db.session.add(contest)
    try:
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        raise DomainError(
            "slug_taken", _l("Đã có hội thi với đường dẫn “%(slug)s”."), status=409, slug=slug
        ) from err
    if kind != ContestKind.QUIZ:
        judged_setup.set_up(contest)
    audit.record(actor, "contest.create", "contest", contest.id, now=now, slug=slug, kind=kind)
    db.session.commit()
    return contest


def update_contest(
    contest: Contest,
    title: str,
    rules: str,
    *,
    actor: User,
    now: datetime,
    count_unapproved: bool | None = None,
):
    title = " ".join((title or "").split())
    _check_title(title, _l("Vui lòng nhập tên hội thi."))
    before = audit.snapshot(contest)
    contest.title, contest.rules = title, rules or ""
    if count_unapproved is not None and count_unapproved != contest.count_unapproved:
        # The unit aggregates were counted under the old rule: it is fixed once anyone
        # has started a round of the contest.
        started = db.session.scalar(
            select(exists().where(Attempt.round_id == Round.id, Round.contest_id == contest.id))
        )
        if started:
            raise DomainError(
                "count_rule_fixed",
                _l("Không thể đổi cách tính tài khoản chưa duyệt khi hội thi đã có người dự thi."),
                status=409,
            )
        contest.count_unapproved = count_unapproved
    changes = audit.diff(before, audit.snapshot(contest))
    audit.record(actor, "contest.update", "contest", contest.id, now=now, changes=changes)
    db.session.commit()


def _check_title(title: str, missing) -> None:
    if not title.strip():
        raise DomainError("title_required", missing)
    if len(title) > 255:
        raise DomainError("title_too_long", _l("Tên dài quá 255 ký tự."))


@dataclass
class RoundSettings:
    title: str
    opens_at: datetime
    closes_at: datetime
    bank_id: int
    question_count: int
    time_limit_seconds: int
    citizen_bank_id: int | None = None
    draws: dict[str, int] = field(default_factory=dict)
    attempts_allowed: int = 1
    grace_seconds: int = 10
    prediction: str = Prediction.NONE.value
    review_policy: str = ReviewPolicy.AFTER_CLOSE.value
    shuffle_questions: bool = True
    shuffle_choices: bool = True
    allow_staff: bool = True
    allow_citizen: bool = True


def _topic_counts(bank_id: int) -> dict[str, int]:
    """Drawable questions per topic (current, not retired, with choices)."""
    rows = db.session.execute(
        select(Topic.name, func.count(func.distinct(Question.id)))
        .join(Question, Question.topic_id == Topic.id)
        .join(Choice, Choice.question_id == Question.id)
        .where(Question.bank_id == bank_id, Question.is_current, Question.retired_at.is_(None))
        .group_by(Topic.name)
    ).all()
    return dict(rows)


def check_round(s: RoundSettings, *, check_banks: bool = True) -> None:
    """Refuse settings a round could not be taken with, each with a clear reason."""
    _check_title(s.title, _l("Vui lòng nhập tên đợt thi."))
    if s.closes_at <= s.opens_at:
        raise DomainError("invalid_window", _l("Thời điểm đóng phải sau thời điểm mở."))
    if not 30 <= s.time_limit_seconds <= 86400:
        raise DomainError("invalid_time_limit", _l("Thời gian làm bài phải từ 30 giây đến 24 giờ."))
    if timedelta(seconds=s.time_limit_seconds) > s.closes_at - s.opens_at:
        raise DomainError(
            "time_limit_too_long",
            _l("Thời gian làm bài dài hơn thời gian mở của đợt thi."),
        )
    if not 1 <= s.question_count <= 200:
        raise DomainError("invalid_question_count", _l("Số câu hỏi phải từ 1 đến 200."))
    if not 1 <= s.attempts_allowed <= 100:
        raise DomainError("invalid_attempts", _l("Số lần thi phải từ 1 đến 100."))
    if not 0 <= s.grace_seconds <= 600:
        raise DomainError("invalid_grace", _l("Thời gian bù trễ mạng phải từ 0 đến 600 giây."))
    if s.prediction not in set(Prediction):
        raise DomainError("invalid_prediction_type", _l("Loại câu hỏi dự đoán không hợp lệ."))
    if s.review_policy not in set(ReviewPolicy):
        raise DomainError("invalid_review_policy", _l("Chế độ xem lại đáp án không hợp lệ."))
    if not (s.allow_staff or s.allow_citizen):
        raise DomainError("no_group", _l("Cần chọn ít nhất một đối tượng dự thi."))
    if any(n < 1 for n in s.draws.values()):
        raise DomainError("invalid_draw", _l("Số câu của mỗi chủ đề phải lớn hơn 0."))
    if sum(s.draws.values()) > s.question_count:
        raise DomainError(
            "draws_exceed_count",
            _l("Tổng số câu theo chủ đề (%(sum)d) lớn hơn số câu của đề (%(n)d)."),
            sum=sum(s.draws.values()),
            n=s.question_count,
        )
    if check_banks:
        _check_banks(s)


def _check_banks(s: RoundSettings) -> None:
    """Every bank a group of the round draws from can satisfy the quotas."""
    used = set()
    if s.allow_staff or (s.allow_citizen and not s.citizen_bank_id):
        used.add(s.bank_id)
    if s.allow_citizen and s.citizen_bank_id:
        used.add(s.citizen_bank_id)
    for bank_id in sorted(used):
        bank = db.session.get(Bank, bank_id)
        if bank is None:
            raise DomainError("unknown_bank", _l("Ngân hàng câu hỏi không tồn tại."))
        if bank.is_public:
            # Practice grades public banks with their answers: anyone may already hold
            # this bank's answer key (docs/security.md, "Answer key and secret figures").
            raise DomainError(
                "bank_public",
                _l(
                    "Ngân hàng “%(bank)s” đang dùng để thi thử: người dự thi có thể đã biết "
                    "đáp án của nó. Hãy chọn một ngân hàng không công khai cho đợt thi."
                ),
                bank=bank.name,
            )
        counts = _topic_counts(bank_id)
        for topic, n in s.draws.items():
            if counts.get(topic, 0) < n:
                raise DomainError(
                    "bank_too_small",
                    _l(
                        "Ngân hàng “%(bank)s” chỉ có %(have)d câu chủ đề “%(topic)s”, cần %(need)d."
                    ),
                    bank=bank.name,
                    have=counts.get(topic, 0),
                    topic=topic,
                    need=n,
                )
        if sum(counts.values()) < s.question_count:
            raise DomainError(
                "bank_too_small_total",
                _l("Ngân hàng “%(bank)s” chỉ có %(have)d câu hỏi, đề cần %(need)d."),
                bank=bank.name,
                have=sum(counts.values()),
                need=s.question_count,
            )


def _apply(round_: Round, s: RoundSettings) -> None:
    for name in (
        "title",
        "opens_at",
        "closes_at",
        "bank_id",
        "citizen_bank_id",
        "question_count",
        "time_limit_seconds",
        "attempts_allowed",
        "grace_seconds",
        "prediction",
        "review_policy",
        "shuffle_questions",
        "shuffle_choices",
        "allow_staff",
        "allow_citizen",
    ):
        setattr(round_, name, getattr(s, name))
    round_.title = " ".join(s.title.split())
    round_.draws = [RoundDraw(topic=t, count=n) for t, n in sorted(s.draws.items())]


def create_round(contest: Contest, s: RoundSettings, *, actor: User | None, now: datetime) -> Round:
    """A new round of a contest, after check_round."""
    check_round(s)
    round_ = Round(contest=contest, created_at=now)
    _apply(round_, s)
    db.session.add(round_)
    db.session.flush()
    audit.record(actor, "round.create", "round", round_.id, now=now, contest=contest.slug)
    db.session.commit()
    return round_


def update_round(round_: Round, s: RoundSettings, *, actor: User, now: datetime) -> None:
    """Edit a round; once someone has started it, its questions and timing stay fixed."""
    # Lock the round row: two admins editing at once apply one after the other.
    lock_row(Round, Round.id == round_.id)
    started = db.session.scalar(
        select(func.count()).select_from(Attempt).where(Attempt.round_id == round_.id)
    )
    unchanged = _frozen(round_) == _frozen_settings(s)
    # Questions already drawn stay valid: with nothing frozen changed, the banks
    # (where questions may have been retired since) are not checked again.
    check_round(s, check_banks=not (started and unchanged))
    if started and not unchanged:
        raise DomainError(
            "round_started",
            _l(
                "Đã có người thi đợt này: chỉ được đổi tên, thời điểm đóng, chế độ xem lại "
                "và thời gian bù trễ."
            ),
            status=409,
        )
    before = _round_snapshot(round_)
    db.session.flush()
    round_.draws.clear()
    db.session.flush()
    _apply(round_, s)
    # A round closed earlier closes its open attempts' clocks earlier too.
    db.session.execute(
        update(Attempt)
        .where(
            Attempt.round_id == round_.id,
            Attempt.status == AttemptStatus.IN_PROGRESS.value,
            Attempt.deadline_at > s.closes_at,
        )
        .values(deadline_at=s.closes_at)
    )
    db.session.flush()
    changes = audit.diff(before, _round_snapshot(round_))
    audit.record(actor, "round.update", "round", round_.id, now=now, changes=changes)
    db.session.commit()


def _round_snapshot(r: Round) -> dict[str, object]:
    """A round's settings as the audit log compares them (results fields have their own)."""
    values = audit.snapshot(
        r,
        exclude=(
            "contest_id",
            "prize_counts",
            "unit_prize_count",
            "unit_min_rate",
            "results_published_at",
            "results_true_figure",
            "publish_all_names",
        ),
    )
    values["draws"] = {d.topic: d.count for d in sorted(r.draws, key=lambda d: d.topic)}
    return values


def _frozen(r: Round) -> tuple:
    draws = {d.topic: d.count for d in r.draws}
    return (
        r.bank_id,
        r.citizen_bank_id,
        r.question_count,
        r.time_limit_seconds,
        r.attempts_allowed,
        r.prediction,
        r.shuffle_questions,
        r.shuffle_choices,
        r.allow_staff,
        r.allow_citizen,
        draws,
        r.opens_at,
    )


def _frozen_settings(s: RoundSettings) -> tuple:
    return (
        s.bank_id,
        s.citizen_bank_id,
        s.question_count,
        s.time_limit_seconds,
        s.attempts_allowed,
        s.prediction,
        s.shuffle_questions,
        s.shuffle_choices,
        s.allow_staff,
        s.allow_citizen,
        dict(s.draws),
        s.opens_at,
    )
