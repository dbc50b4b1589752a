"""A round's results as tables: for the admin results page and the Excel export.

Once a round is published everything comes from the frozen rows (RoundResult, UnitPrize);
before that, from the live ranking of ranking.py with the prizes it would hand out. The
ranking rules live in ranking.py, the prize rules in prizes.py; nothing here re-orders people.
"""

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, text

from ..extensions import db
from ..labels import GROUP_LABELS, KIND_LABELS, UNIT_LEVEL_LABELS
from ..models import (
    Attempt,
    AttemptQuestion,
    Choice,
    Group,
    Prediction,
    Prize,
    Question,
    Round,
    RoundResult,
    Topic,
    Unit,
    UnitKind,
    UnitLevel,
    UnitPrize,
    User,
)
from ..timeutil import to_local
from ..xlsx import workbook_bytes
from . import ranking
from .prizes import with_prizes
from .queries import Participation, unit_rows

PRIZE_LABELS = {
    Prize.FIRST: _l("Giải Nhất"),
    Prize.SECOND: _l("Giải Nhì"),
    Prize.THIRD: _l("Giải Ba"),
    Prize.CONSOLATION: _l("Giải Khuyến khích"),
}
PREDICTION_LABELS = {
    Prediction.NONE: _l("Không có"),
    Prediction.PERFECT: _l("Số người trả lời đúng tất cả các câu"),
    Prediction.PARTICIPANTS: _l("Số người tham gia"),
}
# A question most people get wrong, on enough answers to mean something, is worth a look:
# its key may be wrong.
SUSPECT_RATE = 0.20
SUSPECT_MIN_ANSWERS = 20
VI_COLLATION = "vi-x-icu"


def local_time(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time, the way the organizers write dates."""
    return to_local(value).strftime("%d/%m/%Y %H:%M") if value else ""


# ---- Vietnamese order ----

# The Vietnamese alphabet makes ă, â, đ, ê, ô, ơ, ư letters of their own (Ă sorts after every
# word in A), while the five tone marks only break ties between words that are otherwise
# equal, in the order: none, huyền, hỏi, ngã, sắc, nặng. Code-point order would put Đ after
# Z and the accent-folded name would mix Ân into An; this key does what ICU's "vi" collation
# does on PostgreSQL: letters first (primary), then tones (secondary), then case (tertiary).
_ALPHABET = " 0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: n for n, ch in enumerate(_ALPHABET)}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vi_sort_key(value: str) -> tuple:
    """Sort key putting Vietnamese names in dictionary order (see the comment above)."""
    primary, tones, cases = [], [], []
    for ch in unicodedata.normalize("NFC", value):
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        letter = unicodedata.normalize(
            "NFC", base.lower() + "".join(m for m in marks if m in _LETTER_MARKS)
        )
        if not letter.isalnum():
            primary.append(0)  # spaces and punctuation before any digit or letter
        else:
            primary.append(_RANK.get(letter, len(_RANK) + ord(letter[0])))
        tones.append(next((_TONES[m] for m in marks if m in _TONES), 0))
        cases.append(int(base != base.lower()))
    return (primary, tones, cases, value)


def in_vietnamese_order(rows: list[Participation]) -> list[Participation]:
    """Units by name in Vietnamese order: ICU collation on PostgreSQL, else the key above."""
    if db.session.get_bind().dialect.name == "postgresql":
        has_icu = db.session.scalar(
            text("SELECT 1 FROM pg_collation WHERE collname = :name"), {"name": VI_COLLATION}
        )
        name_order = Unit.name.collate(VI_COLLATION) if has_icu else Unit.name_search
        ids = db.session.execute(select(Unit.id).order_by(name_order, Unit.code)).scalars()
        position = {unit_id: n for n, unit_id in enumerate(ids)}
        return sorted(rows, key=lambda r: position.get(r.unit.id, len(position)))
    return sorted(rows, key=lambda r: (vi_sort_key(r.unit.name), r.unit.code))


# ---- individual ranking and prizes ----


@dataclass(frozen=True)
class ResultRow:
    rank: int
    full_name: str
    unit_code: str
    unit_name: str
    group: str
    correct_count: int
    prediction: int | None
    distance: int | None
    duration_ms: int
    submitted_at: datetime
    prize: str | None
    is_organizer_staff: bool | None  # not kept in the frozen rows
    flag_state: str | None = None  # too-fast flag of the live ranking (admins' page)


def _prize_reach(round_: Round, group: str) -> int:
    """How deep the live ranking must go to reach every prize winner of the group."""
    counts = (round_.prize_counts or {}).get(group, {})
    prizes = sum(int(counts.get(p.value, 0)) for p in Prize)
    if not prizes:
        return 0
    # Organizers' staff are skipped over; each one pushes the last prize one row down.
    staff = db.session.scalar(
        select(func.count(func.distinct(Attempt.user_id)))
        .join(User, User.id == Attempt.user_id)
        .where(
            Attempt.round_id == round_.id,
            Attempt.participant_group == group,
            Attempt.status.in_(ranking.FINAL),
            User.is_organizer_staff,
        )
    )
    return prizes + staff


def result_rows(round_: Round, group: str, limit: int | None = None) -> list[ResultRow]:
    """The group's ranking with prizes: the first `limit` rows and every prize winner."""
    if round_.results_published_at is not None:
        published = ranking.published(round_, group, limit)
        if limit is not None:
            published += list(
                db.session.execute(
                    select(RoundResult)
                    .where(
                        RoundResult.round_id == round_.id,
                        RoundResult.participant_group == group,
                        RoundResult.prize.is_not(None),
                        RoundResult.rank > limit,
                    )
                    .options(db.joinedload(RoundResult.unit))
                    .order_by(RoundResult.rank)
                ).scalars()
            )
        return [
            ResultRow(
                r.rank,
                r.full_name,
                r.unit.code,
                r.unit.name,
                r.participant_group,
                r.correct_count,
                r.prediction,
                r.distance,
                r.duration_ms,
                r.submitted_at,
                r.prize,
                None,
            )
            for r in published
        ]
    reach = None if limit is None else max(limit, _prize_reach(round_, group))
    entries = with_prizes(round_, group, ranking.ranking(round_, group, reach))
    names = dict(
        db.session.execute(
            select(Unit.id, Unit.name).where(Unit.id.in_({e.unit_id for e in entries}))
        ).all()
    )
    return [
        ResultRow(
            e.rank,
            e.full_name,
            e.unit_code,
            names.get(e.unit_id, ""),
            e.participant_group,
            e.correct_count,
            e.prediction,
            e.distance,
            e.duration_ms,
            e.submitted_at,
            e.prize,
            e.is_organizer_staff,
            flag_state=e.flag_state,
        )
        for n, e in enumerate(entries)
        if limit is None or n < limit or e.prize
    ]


def figure(round_: Round) -> int | None:
    """The true figure predictions are measured against; once published, the frozen one."""
    if round_.prediction == Prediction.NONE:
        return None
    # Publication stores it (Round.results_true_figure); before that it is the live one.
    return ranking.true_figure(round_)


# ---- collective prizes ----


@dataclass(frozen=True)
class CollectiveRow:
    rank: int
    unit: Unit
    participants: int
    headcount: int
    rate: float  # percent of headcount
    mean_score: float


def collective_rows(round_: Round) -> list[CollectiveRow]:
    """Units winning a collective prize: frozen once published, else the live preview."""
    if round_.results_published_at is not None:
        prizes = db.session.execute(
            select(UnitPrize)
            .where(UnitPrize.round_id == round_.id)
            .options(db.joinedload(UnitPrize.unit))
            .order_by(UnitPrize.rank)
        ).scalars()
        return [
            CollectiveRow(p.rank, p.unit, p.participants, p.headcount, p.rate, p.mean_score)
            for p in prizes
        ]
    return [
        CollectiveRow(n, r.unit, r.participants, r.headcount, r.rate, r.mean_score)
        for n, r in enumerate(ranking.unit_ranking(round_), start=1)
    ]


# ---- per-question correctness ----


@dataclass(frozen=True)
class QuestionStat:
    question_id: int
    text: str
    topic: str
    letter: str
    shown: int
    answered: int
    right: int

    @property
    def rate(self) -> float | None:
        return self.right / self.answered if self.answered else None

    @property
    def suspect(self) -> bool:
        """Few right answers on many: the key may be wrong ("Nghi sai đáp án?")."""
        return self.answered >= SUSPECT_MIN_ANSWERS and self.right < SUSPECT_RATE * self.answered


def question_stats(round_: Round) -> list[QuestionStat]:
    """For each question drawn in the round's finalized attempts: shown, answered, right.

    One grouped query; the lowest right rate first. Reads the attempts, so admin only.
    """
    right = func.coalesce(
        func.sum(case((Choice.position == Question.correct_position, 1), else_=0)), 0
    )
    rows = db.session.execute(
        select(
            Question.id,
            Question.text,
            Topic.name,
            Question.correct_position,
            func.count(AttemptQuestion.id),
            func.count(AttemptQuestion.selected_choice_id),
            right,
        )
        .select_from(AttemptQuestion)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(Question, Question.id == AttemptQuestion.question_id)
        .join(Topic, Topic.id == Question.topic_id)
        .outerjoin(Choice, Choice.id == AttemptQuestion.selected_choice_id)
        .where(Attempt.round_id == round_.id, Attempt.status.in_(ranking.FINAL))
        .group_by(Question.id, Question.text, Topic.name, Question.correct_position)
    ).all()
    stats = [
        QuestionStat(qid, q_text, topic, "ABCDEF"[position - 1], shown, answered, int(ok))
        for qid, q_text, topic, position, shown, answered, ok in rows
    ]
    stats.sort(key=lambda s: (s.rate is None, s.rate or 0, s.question_id))
    return stats


# ---- the workbook ----


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 2)


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _info_rows(round_: Round) -> list[tuple]:
    if round_.results_published_at is not None:
        status = f"Đã công bố lúc {local_time(round_.results_published_at)}"
    else:
        status = (
            "CHƯA CÔNG BỐ: đây là bảng xếp hạng tạm tính (bản xem trước), "
            "còn thay đổi cho đến khi công bố"
        )
    true = figure(round_)
    return [
        ("Hội thi", round_.contest.title),
        ("Đợt thi", round_.title),
        ("Mở lúc", round_.opens_at),
        ("Đóng lúc", round_.closes_at),
        ("Kết quả", status),
        ("Số câu hỏi", round_.question_count),
        ("Câu hỏi dự đoán", str(PREDICTION_LABELS[Prediction(round_.prediction)])),
        ("Con số thực tế (đáp án câu dự đoán)", true if true is not None else ""),
    ]


def results_workbook(round_: Round, now: datetime | None = None) -> bytes:
    """The round's ranking, prizes, unit participation and question statistics as XLSX;
    `now` is the export time shown in each sheet's title block."""
    # Exports keep Vietnamese labels whatever language the admin reads the site in.
    with force_locale("vi"):
        groups = {g.value: str(GROUP_LABELS[g]) for g in Group}
        prizes = {p.value: str(PRIZE_LABELS[p]) for p in Prize}
        kinds = {k.value: str(KIND_LABELS[k]) for k in UnitKind}
    ranked = {g: result_rows(round_, g) for g in groups}
    with force_locale("vi"):
        level = str(UNIT_LEVEL_LABELS[UnitLevel(ranking.unit_level(round_))])
    level_row = ("Cấp đơn vị xét giải tập thể", level)

    def person(r: ResultRow) -> list:
        return [
            r.rank,
            r.full_name,
            r.unit_name,
            r.unit_code,
            groups.get(r.group, r.group),
            r.correct_count,
            r.prediction,
            r.distance,
            round(r.duration_ms / 1000, 3),
            r.submitted_at,
        ]

    person_headers = [
        "Hạng",
        "Họ và tên",
        "Đơn vị",
        "Mã đơn vị",
        "Đối tượng",
        "Số câu đúng",
        "Dự đoán",
        "Độ lệch dự đoán",
        "Thời gian làm bài (giây)",
        "Thời điểm nộp",
    ]
    ranking_rows = [[*person(r), prizes.get(r.prize, "")] for g in groups for r in ranked[g]]
    prize_rows = [[prizes[r.prize], *person(r)] for g in groups for r in ranked[g] if r.prize]
    collective = [
        [
            c.rank,
            c.unit.code,
            c.unit.name,
            kinds.get(c.unit.kind, c.unit.kind),
            c.participants,
            c.headcount,
            round(c.rate, 2),
            round(c.mean_score, 2),
        ]
        for c in collective_rows(round_)
    ]
    units = [
        [
            p.unit.code,
            p.unit.name,
            kinds.get(p.unit.kind, p.unit.kind),
            p.participants,
            p.registered,
            p.headcount,
            _percent(p.rate),
            _number(p.mean_score),
        ]
        for p in in_vietnamese_order(unit_rows(round_id=round_.id))
    ]
    questions = [
        [
            s.question_id,
            s.topic,
            s.text,
            s.letter,
            s.shown,
            s.answered,
            s.right,
            _percent(s.rate),
            "Nghi sai đáp án?" if s.suspect else "",
        ]
        for s in question_stats(round_)
    ]
    heading = [("Hội thi", round_.contest.title), ("Đợt thi", round_.title)]
    return workbook_bytes(
        {
            "Thông tin": (["Mục", "Nội dung"], [*_info_rows(round_), level_row]),
            "Xếp hạng": ([*person_headers, "Giải"], ranking_rows),
            "Giải cá nhân": (["Giải", *person_headers], prize_rows),
            "Giải tập thể": (
                [
                    "Hạng",
                    "Mã đơn vị",
                    "Tên đơn vị",
                    "Loại đơn vị",
                    "Số người tham gia",
                    "Biên chế",
                    "Tỷ lệ tham gia (%)",
                    "Điểm trung bình",
                ],
                collective,
            ),
            "Tham gia theo đơn vị": (
                [
                    "Mã đơn vị",
                    "Tên đơn vị",
                    "Loại đơn vị",
                    "Đã tham gia",
                    "Đã đăng ký",
                    "Biên chế",
                    "Tỷ lệ tham gia (%)",
                    "Điểm trung bình",
                ],
                units,
            ),
            "Thống kê câu hỏi": (
                [
                    "Mã câu hỏi",
                    "Chủ đề",
                    "Câu hỏi",
                    "Đáp án đúng",
                    "Số lần ra đề",
                    "Số lần trả lời",
                    "Số lần đúng",
                    "Tỷ lệ đúng (%)",
                    "Ghi chú",
                ],
                questions,
            ),
        },
        heading=heading,
        now=now,
        locale="vi",
    )
