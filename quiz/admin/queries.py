"""Read-only queries for the admin and manager pages."""

from datetime import datetime

from flask import abort
from sqlalchemy import func

from question_bank.tabular import fold

from ..extensions import db
from ..models import (
    Announcement,
    Attempt,
    AuditLog,
    Bank,
    Contest,
    Entry,
    LegalDocument,
    Question,
    Round,
    ScoreSheet,
    Stage,
    StudyMaterial,
    Team,
    TeamSheet,
    Topic,
    Unit,
    User,
)


def user_search_query(q: str, unit_id: int | None, role: str | None, scope: Unit | None = None):
    """Users matching a name/email/phone search, a unit's subtree and a role."""
    stmt = db.select(User).join(User.unit).order_by(User.name_search, User.id)
    if scope is not None:
        stmt = stmt.where(Unit.path.startswith(scope.path, autoescape=True))
    if unit_id:
        chosen = db.session.get(Unit, unit_id)
        if chosen is None or (scope is not None and not chosen.path.startswith(scope.path)):
            abort(404)
        stmt = stmt.where(Unit.path.startswith(chosen.path, autoescape=True))
    if role:
        stmt = stmt.where(User.role == role)
    q = (q or "").strip()
    if q:
        like = f"%{fold(q)}%"
        digits = "".join(ch for ch in q if ch.isascii() and ch.isdigit())
        conditions = [User.name_search.like(like), User.email.ilike(f"%{q}%")]
        if len(digits) >= 3:
            # Phones are stored as +84…; match the part after the leading 0 or 84.
            conditions.append(User.phone.like(f"%{digits.lstrip('0')}%"))
        stmt = stmt.where(db.or_(*conditions))
    return stmt


def audit_entries(
    *,
    action: str | None = None,
    actor: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
):
    """The audit log, newest first (a statement to paginate), filtered by action code, by
    the actor's name, email or phone, and by time (start included, end excluded)."""
    stmt = db.select(AuditLog).options(db.joinedload(AuditLog.actor))
    if action:
        stmt = stmt.where(AuditLog.action == action)
    actor = (actor or "").strip()
    if actor:
        people = db.select(User.id).where(
            db.or_(
                User.name_search.like(f"%{fold(actor)}%"),
                User.email.ilike(f"%{actor}%"),
                User.phone.like(f"%{actor.lstrip('0')}%"),
            )
        )
        stmt = stmt.where(AuditLog.actor_id.in_(people))
    if start is not None:
        stmt = stmt.where(AuditLog.at >= start)
    if end is not None:
        stmt = stmt.where(AuditLog.at < end)
    return stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc())


def _by_id(model, ids: set[str], *options) -> dict[str, object]:
    numbers = {int(i) for i in ids if i.isascii() and i.isdigit() and len(i) < 10}
    if not numbers:
        return {}
    rows = db.session.execute(db.select(model).where(model.id.in_(numbers)).options(*options))
    return {str(row.id): row for row in rows.scalars()}


def audit_targets(entries) -> dict[tuple[str, str], object]:
    """The records a page of audit entries is about, keyed by (target_type, target_id):
    one query per kind of record, whatever the page size. Deleted records are missing."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.target_id is not None:
            wanted.setdefault(entry.target_type, set()).add(entry.target_id)
    found: dict[tuple[str, str], object] = {}

    def add(kind: str, rows: dict[str, object]) -> None:
        found.update({(kind, key): row for key, row in rows.items()})

    if ids := wanted.get("round"):
        add("round", _by_id(Round, ids, db.joinedload(Round.contest)))
    if ids := wanted.get("contest"):
        add("contest", _by_id(Contest, ids))
    if ids := wanted.get("user"):
        add("user", _by_id(User, ids))
    if ids := wanted.get("bank"):
        add("bank", _by_id(Bank, ids))
    if ids := wanted.get("question"):
        add("question", _by_id(Question, ids, db.joinedload(Question.bank)))
    if ids := wanted.get("legal_document"):
        add("legal_document", _by_id(LegalDocument, ids))
    if ids := wanted.get("announcement"):
        add("announcement", _by_id(Announcement, ids))
    if ids := wanted.get("study_material"):
        add("study_material", _by_id(StudyMaterial, ids))
    if ids := wanted.get("entry"):
        add("entry", _by_id(Entry, ids))
    if ids := wanted.get("stage"):
        add("stage", _by_id(Stage, ids, db.joinedload(Stage.contest)))
    if ids := wanted.get("score_sheet"):
        add("score_sheet", _by_id(ScoreSheet, ids, db.joinedload(ScoreSheet.judge)))
    if ids := wanted.get("team_sheet"):
        add("team_sheet", _by_id(TeamSheet, ids, db.joinedload(TeamSheet.judge)))
    if ids := wanted.get("team"):
        add("team", _by_id(Team, ids))
    if ids := wanted.get("attempt"):
        add("attempt", _by_id(Attempt, ids, db.joinedload(Attempt.user)))
    if codes := wanted.get("unit"):
        units = db.session.execute(db.select(Unit).where(Unit.code.in_(codes))).scalars()
        add("unit", {unit.code: unit for unit in units})
    return found


def banks_by_name() -> list[Bank]:
    return list(db.session.execute(db.select(Bank).order_by(Bank.name)).scalars())


def bank_topics() -> dict[int, list[tuple[str, int]]]:
    """Drawable questions (current, not retired) per bank and topic, in one query."""
    rows = db.session.execute(
        db.select(Question.bank_id, Topic.name, func.count(Question.id))
        .join(Topic, Topic.id == Question.topic_id)
        .where(Question.is_current, Question.retired_at.is_(None))
        .group_by(Question.bank_id, Topic.name)
        .order_by(Question.bank_id, Topic.name)
    ).all()
    topics: dict[int, list[tuple[str, int]]] = {}
    for bank_id, name, n in rows:
        topics.setdefault(bank_id, []).append((name, n))
    return topics


def attempt_count(round_id: int) -> int:
    """How many attempts a round has (any state): once one exists, its draw is fixed."""
    return db.session.scalar(
        db.select(func.count()).select_from(Attempt).where(Attempt.round_id == round_id)
    )


def contests_newest_first() -> list[Contest]:
    """Every contest with its rounds, the newest first."""
    return list(
        db.session.execute(
            db.select(Contest)
            .options(db.selectinload(Contest.rounds))
            .order_by(Contest.created_at.desc(), Contest.id.desc())
        ).scalars()
    )
