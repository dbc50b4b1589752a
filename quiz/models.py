"""Typed models. Invariants are named database constraints, not form checks."""

from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UnitKind(enum.StrEnum):
    PROVINCE = "province"
    DEPARTMENT = "department"
    DISTRICT = "district"
    COMMUNE = "commune"
    AGENCY = "agency"
    OTHER = "other"


class Role(enum.StrEnum):
    CONTESTANT = "contestant"
    UNIT_MANAGER = "unit_manager"
    ADMIN = "admin"


class Group(enum.StrEnum):
    STAFF = "staff"
    CITIZEN = "citizen"


def _in(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Unit(db.Model):
    """A node of the unit tree (province, department, district, commune…)."""

    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("code", name="uq_unit_code"),
        CheckConstraint(_in("kind", UnitKind), name="kind"),
        CheckConstraint("headcount IS NULL OR headcount >= 0", name="headcount_nonnegative"),
        CheckConstraint(
            "target_rate IS NULL OR (target_rate >= 0 AND target_rate <= 100)",
            name="target_rate_percent",
        ),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        Index("ix_unit_parent_id", "parent_id"),
        # varchar_pattern_ops: the subtree prefix match (LIKE '1/5/%') can use it on PostgreSQL.
        Index("ix_unit_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(255))
    # Accent-folded name ("binh son"), kept beside the name for search on any database.
    name_search: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    # Materialised path of ids ("1/5/23/"): a subtree is one indexed prefix match.
    path: Mapped[str] = mapped_column(String(1000), default="")
    depth: Mapped[int] = mapped_column(default=0)
    headcount: Mapped[int | None]
    target_rate: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.name")

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class User(UserMixin, db.Model):
    """A person: contestant, unit manager or admin; logs in by email or phone."""

    __tablename__ = "user_account"
    __table_args__ = (
        UniqueConstraint("email", name="uq_user_account_email"),
        UniqueConstraint("phone", name="uq_user_account_phone"),
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="has_login"),
        CheckConstraint(_in("role", Role), name="role"),
        CheckConstraint(_in("participant_group", Group), name="participant_group"),
        CheckConstraint(
            "birth_year IS NULL OR (birth_year >= 1900 AND birth_year <= 2100)",
            name="birth_year_range",
        ),
        Index("ix_user_account_unit_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    name_search: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(20), default=Role.CONTESTANT.value)
    participant_group: Mapped[str] = mapped_column(String(20), default=Group.STAFF.value)
    position: Mapped[str | None] = mapped_column(String(200))
    birth_year: Mapped[int | None]
    is_organizer_staff: Mapped[bool] = mapped_column(default=False)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()

    def set_password(self, password: str, *, now: datetime) -> None:
        # Tests choose a cheaper hash through config; production keeps scrypt.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        self.password_changed_at = now

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # The password epoch is part of the session id: a password reset logs out
        # every other session of that account.
        epoch = (self.password_changed_at - _EPOCH) // timedelta(microseconds=1)
        return f"{self.id}:{epoch}"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role == Role.UNIT_MANAGER

    @property
    def login(self) -> str:
        return self.email or self.phone or ""


class AuditLog(db.Model):
    """One row per admin write: who did what to which record, and when."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(80))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()


class Difficulty(enum.StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Bank(db.Model):
    """A named question bank; contests draw from one."""

    __tablename__ = "bank"
    __table_args__ = (UniqueConstraint("name", name="uq_bank_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    topics: Mapped[list[Topic]] = relationship(back_populates="bank", order_by="Topic.name")


class Topic(db.Model):
    __tablename__ = "topic"
    __table_args__ = (UniqueConstraint("bank_id", "name", name="uq_topic_bank_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))

    bank: Mapped[Bank] = relationship(back_populates="topics")


class Question(db.Model):
    """One version of a question. An edit adds a version; a used version never changes."""

    __tablename__ = "question"
    __table_args__ = (
        CheckConstraint("correct_position BETWEEN 1 AND 6", name="correct_position_range"),
        CheckConstraint(
            "difficulty IS NULL OR " + _in("difficulty", Difficulty), name="difficulty"
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        # Exactly one correct choice: the question names it, and the database checks that
        # the named choice exists (checked at commit, so choices can follow the question).
        ForeignKeyConstraint(
            ["id", "correct_position"],
            ["choice.question_id", "choice.position"],
            name="fk_question_correct_choice",
            deferrable=True,
            initially="DEFERRED",
            use_alter=True,
        ),
        UniqueConstraint("lineage_id", "version", name="uq_question_lineage_id_version"),
        # One current version per text in a bank: no duplicate questions.
        Index(
            "uq_question_current_text",
            "bank_id",
            "text_key",
            unique=True,
            sqlite_where=sql_text("is_current"),
            postgresql_where=sql_text("is_current"),
        ),
        Index("ix_question_bank_topic", "bank_id", "topic_id"),
    )

    # autoincrement spelled out: id is also part of the composite foreign key above.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id", ondelete="RESTRICT"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text)
    # Normalised text (NFC, case, spaces) for duplicates; accent-folded text for search.
    text_key: Mapped[str] = mapped_column(Text)
    text_search: Mapped[str] = mapped_column(Text)
    correct_position: Mapped[int]
    explanation: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(500))
    difficulty: Mapped[str | None] = mapped_column(String(10))
    # All versions of one question share the lineage id (the first version's id).
    lineage_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"))
    version: Mapped[int] = mapped_column(default=1)
    is_current: Mapped[bool] = mapped_column(default=True)
    retired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    bank: Mapped[Bank] = relationship()
    topic: Mapped[Topic] = relationship()
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question",
        order_by="Choice.position",
        foreign_keys="Choice.question_id",
        cascade="all, delete-orphan",
    )

    @property
    def correct_choice(self) -> Choice:
        return next(c for c in self.choices if c.position == self.correct_position)

    @property
    def letter(self) -> str:
        return "ABCDEF"[self.correct_position - 1]


class Choice(db.Model):
    __tablename__ = "choice"
    __table_args__ = (
        UniqueConstraint("question_id", "position", name="uq_choice_question_id_position"),
        CheckConstraint("position BETWEEN 1 AND 6", name="position_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(500))

    question: Mapped[Question] = relationship(back_populates="choices", foreign_keys=[question_id])


class Upload(db.Model):
    """An uploaded file kept between its preview and the admin's confirmation."""

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None]
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
