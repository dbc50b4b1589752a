"""Read-only queries for the question-bank pages."""

from collections import defaultdict

from sqlalchemy import func

from question_bank.tabular import fold

from ..extensions import db
from ..models import Bank, Question, Topic


def all_banks() -> list[Bank]:
    return list(db.session.execute(db.select(Bank).order_by(Bank.name)).scalars().all())


def topics(bank: Bank) -> list[Topic]:
    return list(
        db.session.execute(
            db.select(Topic).filter_by(bank_id=bank.id).order_by(Topic.name)
        ).scalars()
    )


def bank_counts() -> dict[int, int]:
    """Current, not retired questions per bank."""
    rows = db.session.execute(
        db.select(Question.bank_id, func.count(Question.id))
        .where(Question.is_current, Question.retired_at.is_(None))
        .group_by(Question.bank_id)
    ).all()
    return dict(rows)


def topic_difficulty_counts(bank: Bank) -> tuple[list[tuple[Topic, dict]], dict]:
    """Per topic: counts by difficulty (None = unset), plus 'retired'; and the totals."""
    rows = db.session.execute(
        db.select(
            Question.topic_id,
            Question.difficulty,
            Question.retired_at.is_not(None).label("retired"),
            func.count(Question.id),
        )
        .where(Question.bank_id == bank.id, Question.is_current)
        .group_by(Question.topic_id, Question.difficulty, "retired")
    ).all()
    per_topic: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    totals: dict = defaultdict(int)
    for topic_id, difficulty, retired, count in rows:
        key = "retired" if retired else (difficulty or "unset")
        per_topic[topic_id][key] += count
        totals[key] += count
        if not retired:
            per_topic[topic_id]["total"] += count
            totals["total"] += count
    topics = db.session.execute(
        db.select(Topic).filter_by(bank_id=bank.id).order_by(Topic.name)
    ).scalars()
    return [(t, per_topic[t.id]) for t in topics], totals


def question_search(
    bank: Bank,
    q: str = "",
    topic_id: int | None = None,
    difficulty: str | None = None,
    status: str = "active",
):
    """Current questions of a bank matching an accent-insensitive text search."""
    stmt = (
        db.select(Question)
        .where(Question.bank_id == bank.id, Question.is_current)
        .options(db.selectinload(Question.choices), db.joinedload(Question.topic))
        .order_by(Question.topic_id, Question.lineage_id)
    )
    if status == "retired":
        stmt = stmt.where(Question.retired_at.is_not(None))
    elif status != "all":
        stmt = stmt.where(Question.retired_at.is_(None))
    if topic_id:
        stmt = stmt.where(Question.topic_id == topic_id)
    if difficulty:
        stmt = stmt.where(Question.difficulty == difficulty)
    folded = fold(q or "")
    if folded:
        stmt = stmt.where(Question.text_search.contains(folded, autoescape=True))
    return stmt


def versions(question: Question) -> list[Question]:
    return list(
        db.session.execute(
            db.select(Question)
            .where(Question.lineage_id == question.lineage_id)
            .options(db.selectinload(Question.choices))
            .order_by(Question.version.desc())
        ).scalars()
    )
