"""Typed models. Invariants are named database constraints, not form checks."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
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

from . import passwords
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
    JUDGE = "judge"  # a jury member of judged contests (DESIGN.md §9)


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
        CheckConstraint(
            "(consent_at IS NULL) = (consent_version IS NULL)", name="consent_with_version"
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
    # NULL while a self-registered account waits for its unit manager or an admin;
    # imported and admin-created accounts are approved when created.
    approved_at: Mapped[datetime | None]
    # Consent to the personal-data notice (Law 91/2025/QH15): when, and which version.
    consent_at: Mapped[datetime | None]
    consent_version: Mapped[str | None] = mapped_column(String(20))
    # Set when a deletion request was carried out: the person's data is gone, the
    # anonymous row stays for the attempts and statistics that refer to it.
    anonymized_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship()

    def set_password(self, password: str, *, now: datetime, one_time: bool = False) -> None:
        # A generated password (one_time) gets a cheap hash, upgraded when it is first used;
        # tests choose a cheaper method through config; production uses argon2id.
        if one_time:
            method = passwords.ONE_TIME_METHOD
        else:
            method = current_app.config.get("PASSWORD_HASH_METHOD", passwords.ARGON2ID)
        self.password_hash = passwords.hash_password(password, method)
        self.password_changed_at = now

    def check_password(self, password: str) -> bool:
        return passwords.verify(self.password_hash, password)

    def password_needs_upgrade(self) -> bool:
        method = current_app.config.get("PASSWORD_HASH_METHOD", passwords.ARGON2ID)
        return passwords.needs_rehash(self.password_hash, method)

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

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


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


class UserSession(db.Model):
    """One logged-in browser or client: the cookie names it, the server can end it.

    Only a hash of the token is stored, so a copy of the database opens no session.
    """

    __tablename__ = "user_session"
    __table_args__ = (
        UniqueConstraint("token_hash", name="uq_user_session_token_hash"),
        Index("ix_user_session_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeletionStatus(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    REJECTED = "rejected"


class DeletionRequest(db.Model):
    """A person's request to erase their data; organizers carry it out or refuse it."""

    __tablename__ = "deletion_request"
    __table_args__ = (
        CheckConstraint(_in("status", DeletionStatus), name="status"),
        CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL)", name="decided_unless_pending"
        ),
        # One open request per person: a second click finds the first.
        Index(
            "uq_deletion_request_one_pending",
            "user_id",
            unique=True,
            sqlite_where=sql_text("status = 'pending'"),
            postgresql_where=sql_text("status = 'pending'"),
        ),
        Index("ix_deletion_request_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    reason: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20), default=DeletionStatus.PENDING.value)
    requested_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class Difficulty(enum.StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Bank(db.Model):
    """A named question bank; contests draw from one; public ones serve practice."""

    __tablename__ = "bank"
    __table_args__ = (UniqueConstraint("name", name="uq_bank_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(1000))
    is_public: Mapped[bool] = mapped_column(default=False)
    # Bumped by every change to the bank's questions: draw pools cached per worker are
    # keyed by it, so a start never scans the bank and never uses a stale pool.
    revision: Mapped[int] = mapped_column(default=0)
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


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    """Long work started from a page (an import, an export), done by `flask jobs work`.

    A job's own outcome is written in the same transaction as its work: `done` means the
    import was committed, and a job that failed or was interrupted changed nothing.
    """

    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint(_in("status", JobStatus), name="status"),
        CheckConstraint("done >= 0 AND total >= 0", name="progress_nonnegative"),
        # One job per stashed upload: a second click on "confirm" finds the first job.
        UniqueConstraint("upload_id", name="uq_job_upload_id"),
        Index("ix_job_status_id", "status", "id"),
        Index("ix_job_created_by_id", "created_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.QUEUED.value)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # Touched by every progress report: a running job whose worker died goes stale.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    worker: Mapped[str | None] = mapped_column(String(100))
    stage: Mapped[str | None] = mapped_column(String(30))
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id", ondelete="SET NULL"))
    # What the page shows when done (counts, rows with problems) and the file it offers.
    result: Mapped[dict | None] = mapped_column(JSON)
    result_name: Mapped[str | None] = mapped_column(String(255))
    result_data: Mapped[bytes | None] = mapped_column(LargeBinary)
    error_code: Mapped[str | None] = mapped_column(String(50))
    error: Mapped[str | None] = mapped_column(Text)

    created_by: Mapped[User] = relationship()

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> float | None:
        return self.done / self.total if self.total else None


class Prediction(enum.StrEnum):
    NONE = "none"
    PERFECT = "perfect"  # how many people answer every question correctly
    PARTICIPANTS = "participants"  # how many people take part in this round


class ReviewPolicy(enum.StrEnum):
    NEVER = "never"
    AFTER_SUBMIT = "after_submit"
    AFTER_CLOSE = "after_close"


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    EXPIRED = "expired"


class FlagReason(enum.StrEnum):
    TOO_FAST = "too_fast"  # submitted faster than the round's plausible minimum


class FlagState(enum.StrEnum):
    PENDING = "pending"  # no prize until an organizer decides
    CLEARED = "cleared"  # an organizer found it plausible: ranked as usual
    CONFIRMED = "confirmed"  # an organizer confirmed it: it does not count in the ranking


class ContestKind(enum.StrEnum):
    QUIZ = "quiz"  # the online quiz (rounds, attempts)
    ENTRIES = "entries"  # units register entries, a jury and the audience score them
    TEAMS = "teams"  # units send teams that play parts on a stage


class Contest(db.Model):
    """A contest (hội thi): title, rules (Markdown) and its rounds."""

    __tablename__ = "contest"
    __table_args__ = (
        UniqueConstraint("slug", name="uq_contest_slug"),
        CheckConstraint(_in("kind", ContestKind), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(255))
    rules: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Whether self-registered accounts not (yet) approved by their unit count for unit
    # participation rates and collective prizes; on keeps the old behaviour.
    count_unapproved: Mapped[bool] = mapped_column(default=True, server_default=sql_text("true"))
    kind: Mapped[str] = mapped_column(
        String(20), default=ContestKind.QUIZ.value, server_default=ContestKind.QUIZ.value
    )

    rounds: Mapped[list[Round]] = relationship(back_populates="contest", order_by="Round.opens_at")


class Round(db.Model):
    """A round (đợt thi): its window, who may enter, how questions are drawn and timed."""

    __tablename__ = "round"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="window"),
        CheckConstraint("question_count BETWEEN 1 AND 200", name="question_count_range"),
        CheckConstraint("time_limit_seconds BETWEEN 30 AND 86400", name="time_limit_range"),
        CheckConstraint("attempts_allowed BETWEEN 1 AND 100", name="attempts_allowed_range"),
        CheckConstraint("grace_seconds BETWEEN 0 AND 600", name="grace_range"),
        CheckConstraint("allow_staff OR allow_citizen", name="some_group"),
        CheckConstraint(_in("prediction", Prediction), name="prediction"),
        CheckConstraint(_in("review_policy", ReviewPolicy), name="review_policy"),
        CheckConstraint(
            "min_seconds_per_question IS NULL OR min_seconds_per_question BETWEEN 0 AND 600",
            name="min_seconds_range",
        ),
        Index("ix_round_contest_id", "contest_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(255))
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    allow_staff: Mapped[bool] = mapped_column(default=True)
    allow_citizen: Mapped[bool] = mapped_column(default=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id", ondelete="RESTRICT"))
    # Citizens may get their own bank; staff (and citizens when unset) use bank_id.
    citizen_bank_id: Mapped[int | None] = mapped_column(ForeignKey("bank.id", ondelete="RESTRICT"))
    question_count: Mapped[int]
    time_limit_seconds: Mapped[int]
    attempts_allowed: Mapped[int] = mapped_column(default=1)
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_choices: Mapped[bool] = mapped_column(default=True)
    prediction: Mapped[str] = mapped_column(String(20), default=Prediction.NONE.value)
    grace_seconds: Mapped[int] = mapped_column(default=10)
    review_policy: Mapped[str] = mapped_column(String(20), default=ReviewPolicy.AFTER_CLOSE.value)
    # Individual prizes per group: {"staff": {"first": 1, "second": 2, …}, "citizen": {…}}.
    prize_counts: Mapped[dict] = mapped_column(JSON, default=dict)
    unit_prize_count: Mapped[int] = mapped_column(default=0)
    unit_min_rate: Mapped[float] = mapped_column(default=0.0)  # percent of headcount
    results_published_at: Mapped[datetime | None]
    # The figure predictions were measured against, frozen with the published ranking.
    results_true_figure: Mapped[int | None] = mapped_column(BigInteger)
    # Published results name prize winners only, unless the organizers choose all names.
    publish_all_names: Mapped[bool] = mapped_column(default=False)
    # A submission faster than this per question is flagged; NULL: the site default.
    min_seconds_per_question: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contest: Mapped[Contest] = relationship(back_populates="rounds")
    bank: Mapped[Bank] = relationship(foreign_keys=[bank_id])
    citizen_bank: Mapped[Bank | None] = relationship(foreign_keys=[citizen_bank_id])
    draws: Mapped[list[RoundDraw]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundDraw.topic"
    )

    def bank_for(self, group: str) -> int:
        if group == Group.CITIZEN and self.citizen_bank_id:
            return self.citizen_bank_id
        return self.bank_id

    def admits(self, group: str) -> bool:
        return self.allow_staff if group == Group.STAFF else self.allow_citizen

    def state(self, now: datetime) -> str:
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


class RoundDraw(db.Model):
    """A draw rule: this many questions from the topic of this name."""

    __tablename__ = "round_draw"
    __table_args__ = (
        UniqueConstraint("round_id", "topic", name="uq_round_draw_round_id_topic"),
        CheckConstraint("count >= 1", name="count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(120))
    count: Mapped[int]

    round: Mapped[Round] = relationship(back_populates="draws")


class Attempt(db.Model):
    """One person's attempt at a round, numbered; the database caps and serialises them."""

    __tablename__ = "attempt"
    __table_args__ = (
        UniqueConstraint("user_id", "round_id", "number", name="uq_attempt_user_round_number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint(_in("status", AttemptStatus), name="status"),
        CheckConstraint("prediction IS NULL OR prediction >= 0", name="prediction_nonnegative"),
        # At most one open attempt per person and round: a second start resumes it.
        Index(
            "uq_attempt_one_open",
            "user_id",
            "round_id",
            unique=True,
            sqlite_where=sql_text("status = 'in_progress'"),
            postgresql_where=sql_text("status = 'in_progress'"),
        ),
        Index("ix_attempt_round_status", "round_id", "status"),
        Index("ix_attempt_status_deadline", "status", "deadline_at"),
        CheckConstraint("flag IS NULL OR " + _in("flag", FlagReason), name="flag"),
        CheckConstraint(
            "(flag IS NULL AND flag_state IS NULL) OR (flag IS NOT NULL AND "
            + _in("flag_state", FlagState)
            + ")",
            name="flag_state",
        ),
        # The organizers' queue: pending flags of a round.
        Index(
            "ix_attempt_flag_pending",
            "round_id",
            sqlite_where=sql_text("flag_state = 'pending'"),
            postgresql_where=sql_text("flag_state = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="RESTRICT"))
    number: Mapped[int]
    # Who the person was at the start: later profile edits do not move past results.
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    participant_group: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=AttemptStatus.IN_PROGRESS.value)
    started_at: Mapped[datetime]
    deadline_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    question_count: Mapped[int]
    correct_count: Mapped[int | None]
    duration_ms: Mapped[int | None]
    prediction: Mapped[int | None] = mapped_column(BigInteger)
    # Set at finalize when the submission is implausibly fast (see docs/security.md).
    flag: Mapped[str | None] = mapped_column(String(20))
    flag_state: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship()
    round: Mapped[Round] = relationship()
    questions: Mapped[list[AttemptQuestion]] = relationship(
        back_populates="attempt", order_by="AttemptQuestion.position"
    )

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS


class AttemptQuestion(db.Model):
    """A drawn question, frozen at start with its choice order, and the answer given."""

    __tablename__ = "attempt_question"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position", name="uq_attempt_question_attempt_id_position"),
        UniqueConstraint(
            "attempt_id", "question_id", name="uq_attempt_question_attempt_id_question_id"
        ),
        CheckConstraint("position >= 1", name="position_positive"),
        Index("ix_attempt_question_question_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="RESTRICT"))
    # Display order of the choices: their positions in the question, e.g. "3,1,4,2".
    choice_order: Mapped[str] = mapped_column(String(20))
    selected_choice_id: Mapped[int | None] = mapped_column(
        ForeignKey("choice.id", ondelete="RESTRICT")
    )
    answered_at: Mapped[datetime | None]

    attempt: Mapped[Attempt] = relationship(back_populates="questions")
    question: Mapped[Question] = relationship()
    selected_choice: Mapped[Choice | None] = relationship()


class Prize(enum.StrEnum):
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"
    CONSOLATION = "consolation"


class UnitRoundStat(db.Model):
    """Participation of a unit's whole subtree in a round, kept up to date at finalize.

    participants: people with a finalized attempt; score_sum: sum of their best scores;
    perfect: those whose best attempt answered every question right.
    """

    __tablename__ = "unit_round_stat"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True
    )
    round_id: Mapped[int] = mapped_column(
        ForeignKey("round.id", ondelete="CASCADE"), primary_key=True
    )
    participants: Mapped[int] = mapped_column(default=0)
    score_sum: Mapped[int] = mapped_column(default=0)
    perfect: Mapped[int] = mapped_column(default=0)


class UnitContestStat(db.Model):
    """People of a unit's subtree who finished at least one round of a contest."""

    __tablename__ = "unit_contest_stat"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True
    )
    contest_id: Mapped[int] = mapped_column(
        ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True
    )
    participants: Mapped[int] = mapped_column(default=0)


class RoundScoreStat(db.Model):
    """How many people's best attempt has this many correct answers, per group."""

    __tablename__ = "round_score_stat"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("round.id", ondelete="CASCADE"), primary_key=True
    )
    participant_group: Mapped[str] = mapped_column(String(20), primary_key=True)
    correct_count: Mapped[int] = mapped_column(primary_key=True)
    people: Mapped[int] = mapped_column(default=0)


class RoundDayStat(db.Model):
    """New participants per day (Vietnam time) and group, for the participation chart."""

    __tablename__ = "round_day_stat"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("round.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    participant_group: Mapped[str] = mapped_column(String(20), primary_key=True)
    people: Mapped[int] = mapped_column(default=0)


class RoundResult(db.Model):
    """The published ranking, frozen: later attempts or edits never change it."""

    __tablename__ = "round_result"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id", name="uq_round_result_round_id_user_id"),
        UniqueConstraint(
            "round_id", "participant_group", "rank", name="uq_round_result_round_group_rank"
        ),
        CheckConstraint("prize IS NULL OR " + _in("prize", Prize), name="prize"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    participant_group: Mapped[str] = mapped_column(String(20))
    rank: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="RESTRICT"))
    full_name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    correct_count: Mapped[int]
    prediction: Mapped[int | None] = mapped_column(BigInteger)
    distance: Mapped[int | None] = mapped_column(BigInteger)
    duration_ms: Mapped[int]
    submitted_at: Mapped[datetime]
    prize: Mapped[str | None] = mapped_column(String(20))

    unit: Mapped[Unit] = relationship()


class UnitPrize(db.Model):
    """A collective prize of a round, frozen at publication."""

    __tablename__ = "unit_prize"
    __table_args__ = (
        UniqueConstraint("round_id", "rank", name="uq_unit_prize_round_id_rank"),
        UniqueConstraint("round_id", "unit_id", name="uq_unit_prize_round_id_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    rank: Mapped[int]
    participants: Mapped[int]
    headcount: Mapped[int]
    rate: Mapped[float]
    mean_score: Mapped[float]

    unit: Mapped[Unit] = relationship()


# ---- register of legal documents (issue 11) ----


class LegalKind(enum.StrEnum):
    LAW = "law"
    RESOLUTION = "resolution"
    DECREE = "decree"
    DECISION = "decision"
    CIRCULAR = "circular"
    PARTY = "party"
    OTHER = "other"


class LegalStatus(enum.StrEnum):
    IN_FORCE = "in_force"
    AMENDED = "amended"
    REPLACED = "replaced"


class LegalDocument(db.Model):
    """A legal document questions cite: its number, dates and whether it is still in force."""

    __tablename__ = "legal_document"
    __table_args__ = (
        UniqueConstraint("number_key", name="uq_legal_document_number_key"),
        CheckConstraint(_in("kind", LegalKind), name="kind"),
        CheckConstraint(_in("status", LegalStatus), name="status"),
        CheckConstraint(
            "status = 'replaced' OR (replaced_by_id IS NULL AND replaced_from IS NULL)",
            name="replacement_only_when_replaced",
        ),
        CheckConstraint(
            "replaced_by_id IS NULL OR replaced_by_id <> id", name="not_own_replacement"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60))
    # question_bank.legal.number_key(number): what citations are matched against.
    number_key: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))
    issuer: Mapped[str | None] = mapped_column(String(200))
    issued_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=LegalStatus.IN_FORCE.value)
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("legal_document.id", ondelete="SET NULL")
    )
    replaced_from: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(1000))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    replaced_by: Mapped[LegalDocument | None] = relationship(remote_side=[id])

    @property
    def is_replaced(self) -> bool:
        return self.status == LegalStatus.REPLACED


class QuestionCitation(db.Model):
    """A question version cites a document; `manual` when an organizer set the link."""

    __tablename__ = "question_citation"
    __table_args__ = (Index("ix_question_citation_document_id", "document_id"),)

    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("legal_document.id", ondelete="CASCADE"), primary_key=True
    )
    manual: Mapped[bool] = mapped_column(default=False)

    document: Mapped[LegalDocument] = relationship()


class UnitRegistered(db.Model):
    """People registered directly in a unit (not its subtree), and how many of them are
    approved; kept by triggers (triggers.py)."""

    __tablename__ = "unit_registered"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True
    )
    people: Mapped[int] = mapped_column(default=0)
    approved: Mapped[int] = mapped_column(default=0)


class StatVersion(db.Model):
    """How often the figures it names changed; bumped by triggers, compared by caches."""

    __tablename__ = "stat_version"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# Sections kept apart so that features built side by side add their models without touching each
# other's lines; each feature's models go right under its heading.

# Certificates.


class CertificateSetting(db.Model):
    """Whether a contest issues certificates (giấy chứng nhận), and who signs them."""

    __tablename__ = "certificate_setting"

    contest_id: Mapped[int] = mapped_column(
        ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(default=False)
    # Printed above the signature: e.g. "TRƯỞNG BAN TỔ CHỨC" and the signer's name.
    signer_title: Mapped[str | None] = mapped_column(String(200))
    signer_name: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Certificate(db.Model):
    """A person's certificate for a published round: its verification code, issued once.

    The code is random (secrets.token_urlsafe): it cannot be guessed from ids, and the same
    code is printed on every download. What the certificate says comes from the frozen
    RoundResult row of the person.
    """

    __tablename__ = "certificate"
    __table_args__ = (
        UniqueConstraint("code", name="uq_certificate_code"),
        UniqueConstraint("round_id", "user_id", name="uq_certificate_round_id_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)


# Unit managers' tools.


class AccountLogin(db.Model):
    """When an account first and last logged in; an account without a row never did.

    Its own table rather than a column on user_account: written once per login, never on
    the hot account row that every request reads.
    """

    __tablename__ = "account_login"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    first_at: Mapped[datetime]
    last_at: Mapped[datetime]


class UnitRoundDayStat(db.Model):
    """New participants per day (Vietnam time) of a unit's whole subtree in a round.

    Kept at finalize like UnitRoundStat (one row per ancestor of the person's unit), so a
    manager's trend reads one row per day whatever the number of attempts.
    """

    __tablename__ = "unit_round_day_stat"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True
    )
    round_id: Mapped[int] = mapped_column(
        ForeignKey("round.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    people: Mapped[int] = mapped_column(default=0)


class PasswordResetToken(db.Model):
    """A self-service password reset link: single use, expiring; only its hash is stored."""

    __tablename__ = "password_reset_token"
    __table_args__ = (
        UniqueConstraint("token_hash", name="uq_password_reset_token_token_hash"),
        CheckConstraint("expires_at > created_at", name="expires_after_created"),
        Index("ix_password_reset_token_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


# Collective prizes and the contest-wide ranking.


class UnitLevel(enum.StrEnum):
    """Which units compete for a round's collective prizes."""

    LEAF = "leaf"  # units without sub-units (the rule before the level could be chosen)
    DEPARTMENT_COMMUNE = "department_commune"  # today's two levels: departments and communes
    DEPARTMENT_DISTRICT = "department_district"  # before 1/7/2025: departments and districts
    DISTRICT = "district"
    COMMUNE = "commune"
    DEPARTMENT = "department"


# The unit kinds each level lets compete (LEAF goes by the tree, not by kind).
UNIT_LEVEL_KINDS: dict[str, tuple[str, ...]] = {
    UnitLevel.DEPARTMENT_COMMUNE: (UnitKind.DEPARTMENT, UnitKind.COMMUNE),
    UnitLevel.DEPARTMENT_DISTRICT: (UnitKind.DEPARTMENT, UnitKind.DISTRICT),
    UnitLevel.DISTRICT: (UnitKind.DISTRICT,),
    UnitLevel.COMMUNE: (UnitKind.COMMUNE,),
    UnitLevel.DEPARTMENT: (UnitKind.DEPARTMENT,),
}


class RoundUnitLevel(db.Model):
    """The level competing for a round's collective prizes; no row: units without sub-units.
    Frozen with the round's prize settings at publication."""

    __tablename__ = "round_unit_level"
    __table_args__ = (CheckConstraint(_in("level", UnitLevel), name="level"),)

    round_id: Mapped[int] = mapped_column(
        ForeignKey("round.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[str] = mapped_column(String(30))


class RankingMode(enum.StrEnum):
    BEST = "best"  # a person's best round result, by the round ranking order
    SUM = "sum"  # correct answers summed over the rounds


class ContestRanking(db.Model):
    """A contest's overall ranking over its rounds: how it is computed, its individual prizes
    per group ({"staff": {"first": 1, …}, …}) and when it was published."""

    __tablename__ = "contest_ranking"
    __table_args__ = (CheckConstraint(_in("mode", RankingMode), name="mode"),)

    contest_id: Mapped[int] = mapped_column(
        ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(String(10), default=RankingMode.BEST.value)
    prize_counts: Mapped[dict] = mapped_column(JSON, default=dict)
    published_at: Mapped[datetime | None]


class ContestResult(db.Model):
    """The published contest-wide ranking, frozen: one row (and one prize at most) per person.

    correct_count, duration_ms: the best round's (mode best) or the sums (mode sum);
    submitted_at: the best round's submission, or the last counted one (mode sum)."""

    __tablename__ = "contest_result"
    __table_args__ = (
        UniqueConstraint("contest_id", "user_id", name="uq_contest_result_contest_id_user_id"),
        UniqueConstraint(
            "contest_id",
            "participant_group",
            "rank",
            name="uq_contest_result_contest_group_rank",
        ),
        CheckConstraint("prize IS NULL OR " + _in("prize", Prize), name="prize"),
        CheckConstraint(_in("participant_group", Group), name="participant_group"),
        CheckConstraint("rounds >= 1", name="rounds_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    participant_group: Mapped[str] = mapped_column(String(20))
    rank: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    full_name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    rounds: Mapped[int]  # rounds the person finished
    correct_count: Mapped[int]
    duration_ms: Mapped[int] = mapped_column(BigInteger)
    submitted_at: Mapped[datetime]
    prize: Mapped[str | None] = mapped_column(String(20))

    unit: Mapped[Unit] = relationship()


# Announcements, study materials.


class Announcement(db.Model):
    """A notice from the organizers (Markdown, rendered without raw HTML); public once
    published_at is set, optionally pinned on top and tied to one contest."""

    __tablename__ = "announcement"
    __table_args__ = (
        CheckConstraint("title <> ''", name="title_not_empty"),
        Index("ix_announcement_published_at", "published_at"),
        Index("ix_announcement_contest_id", "contest_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    pinned: Mapped[bool] = mapped_column(default=False)
    contest_id: Mapped[int | None] = mapped_column(ForeignKey("contest.id", ondelete="SET NULL"))
    # None while a draft or once unpublished.
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    contest: Mapped[Contest | None] = relationship()


class StudyMaterial(db.Model):
    """A study material of a topic: an external link or a file stored outside the database
    (under UPLOAD_FOLDER, by a random name), never both."""

    __tablename__ = "study_material"
    __table_args__ = (
        UniqueConstraint("stored_name", name="uq_study_material_stored_name"),
        CheckConstraint("(url IS NULL) <> (stored_name IS NULL)", name="link_or_file"),
        CheckConstraint(
            "stored_name IS NULL OR (file_name IS NOT NULL AND content_type IS NOT NULL "
            "AND size IS NOT NULL)",
            name="file_described",
        ),
        CheckConstraint("title <> '' AND topic <> ''", name="title_and_topic"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(String(2000))
    url: Mapped[str | None] = mapped_column(String(1000))
    stored_name: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# Judged contests (DESIGN.md §9): entries contests.


class JudgedSettings(db.Model):
    """The settings of a judged contest: deadlines, the preliminary quota, the voting window,
    the weights and the published audience formula, finalists and prizes."""

    __tablename__ = "judged_settings"
    __table_args__ = (
        CheckConstraint(
            "preliminary_quota IS NULL OR preliminary_quota >= 1", name="quota_positive"
        ),
        CheckConstraint(
            "voting_opens_at IS NULL OR voting_closes_at IS NULL "
            "OR voting_closes_at > voting_opens_at",
            name="voting_window",
        ),
        CheckConstraint(
            "jury_weight >= 0 AND audience_weight >= 0 AND jury_weight + audience_weight > 0",
            name="weights",
        ),
        CheckConstraint(
            "vote_factor >= 0 AND like_factor >= 0 AND share_factor >= 0",
            name="audience_factors",
        ),
        CheckConstraint("finalist_count >= 0", name="finalist_count_nonnegative"),
    )

    contest_id: Mapped[int] = mapped_column(
        ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True
    )
    registration_closes_at: Mapped[datetime | None]
    # Parent units pick their sub-units' entries until then (NULL: the registration deadline).
    selection_closes_at: Mapped[datetime | None]
    # At most this many entries per parent unit go on to the final; NULL: no preliminary stage.
    preliminary_quota: Mapped[int | None]
    voting_opens_at: Mapped[datetime | None]
    voting_closes_at: Mapped[datetime | None]
    site_votes: Mapped[bool] = mapped_column(default=True)
    votes_public: Mapped[bool] = mapped_column(default=False)
    # Points: the jury's mean sheet total is scaled to jury_weight, the audience figure of
    # the best entry is worth audience_weight (the others in proportion). The figure is
    # votes × vote_factor + likes × like_factor + shares × share_factor.
    jury_weight: Mapped[float] = mapped_column(default=100.0)
    audience_weight: Mapped[float] = mapped_column(default=0.0)
    vote_factor: Mapped[float] = mapped_column(default=1.0)
    like_factor: Mapped[float] = mapped_column(default=1.0)
    share_factor: Mapped[float] = mapped_column(default=1.0)
    finalist_count: Mapped[int] = mapped_column(default=4)
    # Ranked prizes: {"first": {"count": 1, "amount": 10000000}, "second": …} (amounts in VND).
    prizes: Mapped[dict] = mapped_column(JSON, default=dict)

    contest: Mapped[Contest] = relationship()


class EntryStatus(enum.StrEnum):
    REGISTERED = "registered"
    REJECTED = "rejected"


class Entry(db.Model):
    """A unit's entry (a video clip, a poster, an essay): a link or an uploaded file."""

    __tablename__ = "entry"
    __table_args__ = (
        CheckConstraint(_in("status", EntryStatus), name="status"),
        CheckConstraint(
            "status <> 'rejected' OR reject_reason IS NOT NULL", name="reason_when_rejected"
        ),
        CheckConstraint("video_url IS NOT NULL OR file_key IS NOT NULL", name="has_media"),
        CheckConstraint(
            "(file_key IS NULL) = (file_name IS NULL) AND (file_key IS NULL) = (file_type IS NULL)",
            name="file_fields",
        ),
        CheckConstraint(
            "(selected_by_unit_id IS NULL) = (selection_slot IS NULL)", name="selection_fields"
        ),
        CheckConstraint(
            "selection_slot IS NULL OR selection_slot >= 1", name="selection_slot_positive"
        ),
        # The preliminary quota: a parent unit's picks take numbered slots, one entry each.
        UniqueConstraint(
            "contest_id",
            "selected_by_unit_id",
            "selection_slot",
            name="uq_entry_contest_id_selected_by_unit_id_selection_slot",
        ),
        UniqueConstraint("file_key", name="uq_entry_file_key"),
        Index("ix_entry_contest_id", "contest_id"),
        Index("ix_entry_unit_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(255))
    authors: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    video_url: Mapped[str | None] = mapped_column(String(500))
    # An uploaded file lives outside the database (JUDGED_FILES_DIR/<file_key>).
    file_key: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_type: Mapped[str | None] = mapped_column(String(100))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default=EntryStatus.REGISTERED.value)
    reject_reason: Mapped[str | None] = mapped_column(String(1000))
    # The registration time: the last tie-break of the standings.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    selected_by_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="RESTRICT")
    )
    selection_slot: Mapped[int | None]
    selected_at: Mapped[datetime | None]

    contest: Mapped[Contest] = relationship()
    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    selected_by_unit: Mapped[Unit | None] = relationship(foreign_keys=[selected_by_unit_id])
    registered_by: Mapped[User | None] = relationship()

    @property
    def is_rejected(self) -> bool:
        return self.status == EntryStatus.REJECTED

    @property
    def is_selected(self) -> bool:
        return self.selection_slot is not None


class EntryReach(db.Model):
    """Reach counts from the social network for an entry, entered by the secretariat."""

    __tablename__ = "entry_reach"
    __table_args__ = (CheckConstraint("likes >= 0 AND shares >= 0", name="counts_nonnegative"),)

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("entry.id", ondelete="CASCADE"), primary_key=True
    )
    likes: Mapped[int] = mapped_column(BigInteger, default=0)
    shares: Mapped[int] = mapped_column(BigInteger, default=0)
    evidence_url: Mapped[str] = mapped_column(String(500))
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)

    entered_by: Mapped[User | None] = relationship()


class EntryVote(db.Model):
    """An audience vote on the site: one per account and entry, by the database."""

    __tablename__ = "entry_vote"
    __table_args__ = (
        UniqueConstraint("entry_id", "user_id", name="uq_entry_vote_entry_id_user_id"),
        Index("ix_entry_vote_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SpecialPrize(db.Model):
    """A named special prize of a judged contest, with its amount and its winner."""

    __tablename__ = "special_prize"
    __table_args__ = (
        UniqueConstraint("contest_id", "name", name="uq_special_prize_contest_id_name"),
        CheckConstraint("amount >= 0", name="amount_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id", ondelete="SET NULL"))

    entry: Mapped[Entry | None] = relationship()


# Judged contests (DESIGN.md §9): the jury and standings.


class Stage(db.Model):
    """A judged stage of a contest (the final of an entries contest; clusters later),
    with its own judges, sheets and published standings."""

    __tablename__ = "stage"
    __table_args__ = (UniqueConstraint("contest_id", "key", name="uq_stage_contest_id_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    # What the API's ?stage= names: "final" (later "cluster-1", …).
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=1)
    published_at: Mapped[datetime | None]

    contest: Mapped[Contest] = relationship()


class JudgeAssignment(db.Model):
    """A judge sits on a stage's jury."""

    __tablename__ = "judge_assignment"
    __table_args__ = (
        UniqueConstraint("stage_id", "judge_id", name="uq_judge_assignment_stage_id_judge_id"),
        Index("ix_judge_assignment_judge_id", "judge_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    stage: Mapped[Stage] = relationship()
    judge: Mapped[User] = relationship()


class Criterion(db.Model):
    """A line of a contest's score sheet with its maximum, counted in half points."""

    __tablename__ = "criterion"
    __table_args__ = (
        UniqueConstraint("contest_id", "position", name="uq_criterion_contest_id_position"),
        # The target of the scores' (criterion, maximum) foreign key.
        UniqueConstraint("id", "max_half_points", name="uq_criterion_id_max_half_points"),
        CheckConstraint("max_half_points BETWEEN 1 AND 2000", name="max_range"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    max_half_points: Mapped[int]

    @property
    def max_points(self) -> float:
        return self.max_half_points / 2


class SheetStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ScoreSheet(db.Model):
    """One judge's score sheet for one entry in a stage: a draft, then submitted (locked)."""

    __tablename__ = "score_sheet"
    __table_args__ = (
        UniqueConstraint(
            "stage_id", "judge_id", "entry_id", name="uq_score_sheet_stage_id_judge_id_entry_id"
        ),
        CheckConstraint(_in("status", SheetStatus), name="status"),
        CheckConstraint(
            "(status = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_when_submitted"
        ),
        Index("ix_score_sheet_entry_id", "entry_id"),
        Index("ix_score_sheet_judge_id", "judge_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    # The scored item; teams (issue 13) add their own column beside it.
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=SheetStatus.DRAFT.value)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    stage: Mapped[Stage] = relationship()
    judge: Mapped[User] = relationship()
    entry: Mapped[Entry] = relationship()
    scores: Mapped[list[SheetScore]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


class SheetScore(db.Model):
    """A score on one criterion, in half points, between 0 and the criterion's maximum."""

    __tablename__ = "sheet_score"
    __table_args__ = (
        # The maximum is copied from the criterion and kept equal to it by this key, so
        # the range check below is the criterion's own.
        ForeignKeyConstraint(
            ["criterion_id", "max_half_points"],
            ["criterion.id", "criterion.max_half_points"],
            name="fk_sheet_score_criterion_id_criterion",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        CheckConstraint("half_points >= 0 AND half_points <= max_half_points", name="score_range"),
        Index("ix_sheet_score_criterion_id", "criterion_id"),
    )

    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("score_sheet.id", ondelete="CASCADE"), primary_key=True
    )
    criterion_id: Mapped[int] = mapped_column(primary_key=True)
    max_half_points: Mapped[int]
    half_points: Mapped[int]

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class Standing(db.Model):
    """A stage's published standings, frozen: reopened sheets never move them silently."""

    __tablename__ = "standing"
    __table_args__ = (
        UniqueConstraint("stage_id", "rank", name="uq_standing_stage_id_rank"),
        UniqueConstraint("stage_id", "entry_id", name="uq_standing_stage_id_entry_id"),
        CheckConstraint("prize IS NULL OR " + _in("prize", Prize), name="prize"),
        CheckConstraint("rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    rank: Mapped[int]
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="RESTRICT"))
    jury_score: Mapped[float | None]
    audience_score: Mapped[float]
    total: Mapped[float]
    finalist: Mapped[bool] = mapped_column(default=False)
    prize: Mapped[str | None] = mapped_column(String(20))
    prize_amount: Mapped[int | None] = mapped_column(BigInteger)

    entry: Mapped[Entry] = relationship()


# Judged contests (DESIGN.md §9): teams contests.


class TeamSettings(db.Model):
    """A teams contest's rules: team size, the registration deadline, how many teams of each
    cluster go on to the final, and the prizes (count and amount) of a cluster and of the final."""

    __tablename__ = "team_settings"
    __table_args__ = (
        CheckConstraint(
            "main_members >= 1 AND min_members >= main_members AND max_members >= min_members "
            "AND max_members <= 100",
            name="team_size",
        ),
        CheckConstraint("finalists_per_cluster >= 0", name="finalists_nonnegative"),
    )

    contest_id: Mapped[int] = mapped_column(
        ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True
    )
    min_members: Mapped[int] = mapped_column(default=7)
    max_members: Mapped[int] = mapped_column(default=12)
    main_members: Mapped[int] = mapped_column(default=4)
    registration_closes_at: Mapped[datetime | None]
    finalists_per_cluster: Mapped[int] = mapped_column(default=1)
    # {"first": {"count": 1, "amount": 3000000}, …} as in JudgedSettings.prizes.
    cluster_prizes: Mapped[dict] = mapped_column(JSON, default=dict)
    final_prizes: Mapped[dict] = mapped_column(JSON, default=dict)


class TeamPart(db.Model):
    """A part every team plays (introduction, knowledge, skit), with its weight in the total,
    an optional special prize for the best score in it, and the settings of a live part."""

    __tablename__ = "team_part"
    __table_args__ = (
        UniqueConstraint("contest_id", "position", name="uq_team_part_contest_id_position"),
        CheckConstraint("position >= 1", name="position_positive"),
        CheckConstraint("weight >= 0", name="weight_nonnegative"),
        CheckConstraint("special_amount >= 0", name="special_amount_nonnegative"),
        CheckConstraint("seconds_per_question BETWEEN 5 AND 600", name="seconds_range"),
        CheckConstraint(
            "points_correct >= 0 AND speed_bonus >= 0 AND wrong_penalty >= 0", name="live_points"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(default=1.0)
    # The special prize of this part ("Giải phần giới thiệu hay nhất"); NULL: none.
    special_prize: Mapped[str | None] = mapped_column(String(200))
    special_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # A live part is scored from the teams' answers, not from judges' sheets.
    live: Mapped[bool] = mapped_column(default=False)
    seconds_per_question: Mapped[int] = mapped_column(default=30)
    points_correct: Mapped[int] = mapped_column(default=10)
    # The first correct answer of a question earns this bonus; a wrong one loses the penalty.
    speed_bonus: Mapped[int] = mapped_column(default=0)
    wrong_penalty: Mapped[int] = mapped_column(default=0)


class PartCriterion(db.Model):
    """A line of a part's score sheet with its maximum, in half points."""

    __tablename__ = "part_criterion"
    __table_args__ = (
        UniqueConstraint("part_id", "position", name="uq_part_criterion_part_id_position"),
        UniqueConstraint("id", "max_half_points", name="uq_part_criterion_id_max_half_points"),
        CheckConstraint("max_half_points BETWEEN 1 AND 2000", name="max_range"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("team_part.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    max_half_points: Mapped[int]

    @property
    def max_points(self) -> float:
        return self.max_half_points / 2


class Cluster(db.Model):
    """A cluster (cụm thi): a judged stage of a teams contest held at one venue on one date."""

    __tablename__ = "team_cluster"
    __table_args__ = (UniqueConstraint("stage_id", name="uq_team_cluster_stage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    venue: Mapped[str] = mapped_column(String(255), default="")
    held_on: Mapped[date | None] = mapped_column(Date)

    stage: Mapped[Stage] = relationship()


class TeamStatus(enum.StrEnum):
    REGISTERED = "registered"
    CONFIRMED = "confirmed"


class Team(db.Model):
    """A unit's team (one per unit and contest), its cluster and its device access code."""

    __tablename__ = "team"
    __table_args__ = (
        UniqueConstraint("contest_id", "unit_id", name="uq_team_contest_id_unit_id"),
        UniqueConstraint("access_code_hash", name="uq_team_access_code_hash"),
        CheckConstraint(_in("status", TeamStatus), name="status"),
        Index("ix_team_cluster_id", "cluster_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default=TeamStatus.REGISTERED.value)
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_cluster.id", ondelete="SET NULL")
    )
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime | None]
    # HMAC-SHA256 of the team's device code under the app's key: the code is shown once.
    access_code_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    contest: Mapped[Contest] = relationship()
    unit: Mapped[Unit] = relationship()
    cluster: Mapped[Cluster | None] = relationship()
    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team", order_by="TeamMember.position", cascade="all, delete-orphan"
    )


class TeamMember(db.Model):
    """A team member, from the unit's accounts or by name; a captain is a main member."""

    __tablename__ = "team_member"
    __table_args__ = (
        UniqueConstraint("team_id", "position", name="uq_team_member_team_id_position"),
        CheckConstraint("is_main OR NOT is_captain", name="captain_is_main"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    position: Mapped[int]
    full_name: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    is_main: Mapped[bool] = mapped_column(default=False)
    is_captain: Mapped[bool] = mapped_column(default=False)

    team: Mapped[Team] = relationship(back_populates="members")


class TeamDraw(db.Model):
    """A team's place in a stage's order of play, drawn by lot (who drew, and when)."""

    __tablename__ = "team_draw"
    __table_args__ = (
        UniqueConstraint("stage_id", "team_id", name="uq_team_draw_stage_id_team_id"),
        UniqueConstraint("stage_id", "position", name="uq_team_draw_stage_id_position"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    position: Mapped[int]
    drawn_at: Mapped[datetime] = mapped_column(default=utcnow)
    drawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    team: Mapped[Team] = relationship()
    drawn_by: Mapped[User | None] = relationship()


class TeamSheet(db.Model):
    """One judge's sheet for one team's part in a stage: a draft, then submitted (locked)."""

    __tablename__ = "team_sheet"
    __table_args__ = (
        UniqueConstraint(
            "stage_id",
            "judge_id",
            "team_id",
            "part_id",
            name="uq_team_sheet_stage_id_judge_id_team_id_part_id",
        ),
        CheckConstraint(_in("status", SheetStatus), name="status"),
        CheckConstraint(
            "(status = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_when_submitted"
        ),
        Index("ix_team_sheet_team_id", "team_id"),
        Index("ix_team_sheet_judge_id", "judge_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    part_id: Mapped[int] = mapped_column(ForeignKey("team_part.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=SheetStatus.DRAFT.value)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    judge: Mapped[User] = relationship()
    team: Mapped[Team] = relationship()
    part: Mapped[TeamPart] = relationship()
    scores: Mapped[list[TeamSheetScore]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        return self.status == SheetStatus.SUBMITTED


class TeamSheetScore(db.Model):
    """A score on one line of a part's sheet, in half points, within the line's maximum."""

    __tablename__ = "team_sheet_score"
    __table_args__ = (
        ForeignKeyConstraint(
            ["criterion_id", "max_half_points"],
            ["part_criterion.id", "part_criterion.max_half_points"],
            name="fk_team_sheet_score_criterion_id_part_criterion",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        CheckConstraint("half_points >= 0 AND half_points <= max_half_points", name="score_range"),
        Index("ix_team_sheet_score_criterion_id", "criterion_id"),
    )

    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("team_sheet.id", ondelete="CASCADE"), primary_key=True
    )
    criterion_id: Mapped[int] = mapped_column(primary_key=True)
    max_half_points: Mapped[int]
    half_points: Mapped[int]

    sheet: Mapped[TeamSheet] = relationship(back_populates="scores")


class TeamStanding(db.Model):
    """A stage's published team standings, frozen, with the part scores and prizes won."""

    __tablename__ = "team_standing"
    __table_args__ = (
        UniqueConstraint("stage_id", "rank", name="uq_team_standing_stage_id_rank"),
        UniqueConstraint("stage_id", "team_id", name="uq_team_standing_stage_id_team_id"),
        CheckConstraint("prize IS NULL OR " + _in("prize", Prize), name="prize"),
        CheckConstraint("rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    rank: Mapped[int]
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="RESTRICT"))
    # {part id (as text): score or null}
    part_scores: Mapped[dict] = mapped_column(JSON, default=dict)
    total: Mapped[float]
    prize: Mapped[str | None] = mapped_column(String(20))
    prize_amount: Mapped[int | None] = mapped_column(BigInteger)
    # [{"name": …, "amount": …}] special prizes won in this stage.
    specials: Mapped[list] = mapped_column(JSON, default=list)

    team: Mapped[Team] = relationship()


class LiveState(enum.StrEnum):
    IDLE = "idle"  # no question shown yet
    OPEN = "open"  # a question is shown and its countdown runs
    PAUSED = "paused"
    REVEALED = "revealed"  # the correct choice is shown
    FINISHED = "finished"


class LiveRun(db.Model):
    """The live play of a part in a stage: which question is on screen and in what state."""

    __tablename__ = "live_run"
    __table_args__ = (
        UniqueConstraint("stage_id", "part_id", name="uq_live_run_stage_id_part_id"),
        CheckConstraint(_in("state", LiveState), name="state"),
        CheckConstraint("position >= 0", name="position_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    part_id: Mapped[int] = mapped_column(ForeignKey("team_part.id", ondelete="CASCADE"))
    # 0 before the first question; otherwise the position of the question on screen.
    position: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(20), default=LiveState.IDLE.value)
    deadline_at: Mapped[datetime | None]
    # Seconds left when paused.
    remaining_seconds: Mapped[float | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    stage: Mapped[Stage] = relationship()
    part: Mapped[TeamPart] = relationship()


class LiveQuestion(db.Model):
    """A bank question picked for a live run, with its choice order frozen when picked."""

    __tablename__ = "live_question"
    __table_args__ = (
        UniqueConstraint("run_id", "position", name="uq_live_question_run_id_position"),
        UniqueConstraint("run_id", "question_id", name="uq_live_question_run_id_question_id"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("live_run.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="RESTRICT"))
    # Choice ids in the order shown (A, B, …), shuffled when picked.
    choice_order: Mapped[list] = mapped_column(JSON)
    opened_at: Mapped[datetime | None]
    deadline_at: Mapped[datetime | None]
    revealed_at: Mapped[datetime | None]

    question: Mapped[Question] = relationship()


class LiveAnswer(db.Model):
    """A team's answer to a live question: one per team and question, by the database."""

    __tablename__ = "live_answer"
    __table_args__ = (
        UniqueConstraint(
            "live_question_id", "team_id", name="uq_live_answer_live_question_id_team_id"
        ),
        Index("ix_live_answer_team_id", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    live_question_id: Mapped[int] = mapped_column(
        ForeignKey("live_question.id", ondelete="CASCADE")
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    choice_id: Mapped[int | None] = mapped_column(ForeignKey("choice.id", ondelete="RESTRICT"))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Entered by the secretariat (by hand), not from the team's device.
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
