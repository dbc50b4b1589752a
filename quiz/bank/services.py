"""Question banks: import (all or nothing), versioned edits, retire and restore."""

import io
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from question_bank.aiken import write_aiken
from question_bank.formats import read_any
from question_bank.gift import write_gift
from question_bank.legal import resolve
from question_bank.questions import QuestionRecord, normalize_text, write_csv, write_xlsx
from question_bank.tabular import ReadResult, fold

from .. import audit
from ..db_errors import is_violation
from ..errors import DomainError, ImportRejected
from ..extensions import db, write_lock
from ..legal import queries as legal_queries
from ..models import Bank, Choice, Question, QuestionCitation, Topic, Upload, User
from ..xlsx import XLSX_MIMETYPE

UPLOAD_KEEP = timedelta(days=1)
# format → (MIME type, file extension, writer of bytes)
EXPORT_FORMATS = {
    "xlsx": (XLSX_MIMETYPE, "xlsx", write_xlsx),
    "csv": ("text/csv; charset=utf-8", "csv", write_csv),
    "gift": ("text/plain; charset=utf-8", "gift", lambda r: write_gift(r).encode("utf-8")),
    "aiken": ("text/plain; charset=utf-8", "txt", lambda r: write_aiken(r).encode("utf-8")),
}


def create_bank(name: str, description: str | None, *, actor: User | None, now: datetime) -> Bank:
    """A new, empty bank; names are unique."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("name_required", _l("Vui lòng nhập tên ngân hàng câu hỏi."))
    bank = Bank(name=name, description=(description or "").strip() or None, created_at=now)
    db.session.add(bank)
    try:
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        raise DomainError(
            "bank_exists", _l("Đã có ngân hàng câu hỏi tên “%(name)s”."), status=409, name=name
        ) from err
    audit.record(actor, "bank.create", "bank", bank.id, now=now, name=name)
    db.session.commit()
    return bank


def bank_by_name(name: str) -> Bank | None:
    return db.session.execute(db.select(Bank).filter_by(name=name.strip())).scalar_one_or_none()


def existing_keys(bank: Bank | None) -> set[str]:
    """Duplicate keys of the bank's current questions (retired ones included)."""
    if bank is None or bank.id is None:
        return set()
    return set(
        db.session.execute(
            db.select(Question.text_key).where(Question.bank_id == bank.id, Question.is_current)
        ).scalars()
    )


def read_file(data: bytes, filename: str, bank: Bank | None, topic: str | None = None):
    """Read and validate an uploaded file against the bank (no writes)."""
    return read_any(io.BytesIO(data), filename, existing_keys(bank), topic=topic)


def _topics(bank: Bank, names: Iterable[str]) -> dict[str, Topic]:
    stmt = db.select(Topic).filter_by(bank=bank)
    topics = {t.name: t for t in db.session.execute(stmt).scalars()}
    for name in names:
        if name not in topics:
            topics[name] = Topic(bank=bank, name=name)
            db.session.add(topics[name])
    return topics


def _question_row(bank: Bank, topic: Topic, r: QuestionRecord, now: datetime) -> dict:
    return {
        "bank_id": bank.id,
        "topic_id": topic.id,
        "text": r.text,
        "text_key": normalize_text(r.text),
        "text_search": fold(r.text),
        "correct_position": r.answer + 1,
        "explanation": r.explanation,
        "source": r.source,
        "difficulty": r.difficulty,
        "created_at": now,
        "version": 1,
        "is_current": True,
    }


def _duplicate_guard(err: IntegrityError) -> None:
    """Turn a duplicate-text violation (another import got there first) into a 409."""
    db.session.rollback()
    if is_violation(err, "uq_question_current_text", "question.bank_id, question.text_key"):
        raise DomainError(
            "duplicate_question",
            _l("Câu hỏi trùng với một câu đã có trong ngân hàng (vừa được thêm)."),
            status=409,
        ) from err
    raise err


def _bump_revision(bank_id: int) -> None:
    """Invalidate every worker's cached draw pools of this bank."""
    db.session.execute(update(Bank).where(Bank.id == bank_id).values(revision=Bank.revision + 1))


def import_records(
    bank: Bank, records: list[QuestionRecord], *, actor: User | None, now: datetime
) -> Counter:
    """Add validated questions to a bank in one transaction; returns counts per topic."""
    # Topics in the order the file first names them: ids, pages and exports follow the file.
    topics = _topics(bank, dict.fromkeys(r.topic for r in records))
    db.session.flush()
    # Bulk statements, not one ORM object per row: a 10,000-question file stays fast.
    rows = [_question_row(bank, topics[r.topic], r, now) for r in records]
    try:
        ids = db.session.scalars(
            insert(Question).returning(Question.id, sort_by_parameter_order=True), rows
        ).all()
    except IntegrityError as err:
        _duplicate_guard(err)
    db.session.execute(
        insert(Choice),
        [
            {"question_id": qid, "position": i, "text": text}
            for qid, r in zip(ids, records, strict=True)
            for i, text in enumerate(r.choices, start=1)
        ],
    )
    db.session.execute(
        update(Question)
        .where(Question.bank_id == bank.id, Question.lineage_id.is_(None))
        .values(lineage_id=Question.id)
    )
    link_citations(list(zip(ids, (r.source for r in records), strict=True)))
    _bump_revision(bank.id)
    counts = Counter(r.topic for r in records)
    audit.record(
        actor, "bank.import", "bank", bank.id, now=now, added=len(records), topics=dict(counts)
    )
    return counts


def import_file(
    bank_name: str,
    data: bytes,
    filename: str,
    *,
    actor: User | None,
    now: datetime,
    topic: str | None = None,
) -> tuple[Bank, ReadResult, Counter | None]:
    """The CLI's import: create the bank if new, all or nothing."""
    bank = bank_by_name(bank_name)
    result = read_file(data, filename, bank, topic)
    if not result.ok:
        return bank, result, None
    if bank is None:
        bank = Bank(name=" ".join(bank_name.split()), created_at=now)
        db.session.add(bank)
        db.session.flush()
        audit.record(actor, "bank.create", "bank", bank.id, now=now, name=bank.name)
    counts = import_records(bank, result.records, actor=actor, now=now)
    db.session.commit()
    return bank, result, counts


def stash_upload(user: User, bank: Bank, filename: str, data: bytes, *, now: datetime) -> Upload:
    """Keep an uploaded file until the admin confirms it (app servers keep no files)."""
    db.session.execute(db.delete(Upload).where(Upload.created_at < now - UPLOAD_KEEP))
    upload = Upload(
        user_id=user.id,
        kind="questions",
        target_id=bank.id,
        filename=filename,
        data=data,
        created_at=now,
    )
    db.session.add(upload)
    db.session.commit()
    return upload


def confirm_upload(
    upload: Upload, bank: Bank, *, topic: str | None, actor: User, now: datetime
) -> tuple[ReadResult, Counter | None]:
    """Re-validate the stashed file against the bank as it is now, then import it."""
    result = read_file(upload.data, upload.filename, bank, topic)
    if not result.ok:
        return result, None
    counts = import_records(bank, result.records, actor=actor, now=now)
    db.session.delete(upload)
    db.session.commit()
    return result, counts


def upload_import_job(
    upload: Upload | None,
    bank: Bank,
    *,
    topic: str | None,
    actor: User,
    now: datetime,
    progress,
) -> Counter:
    """A confirmed upload imported by a background job (flush only; the worker commits).

    The file is checked again against the bank as it is now; any bad row imports nothing.
    """
    if upload is None:
        raise DomainError(
            "upload_gone",
            _l("Tệp tải lên không còn trên hệ thống (đã quá hạn hoặc đã nạp). Hãy tải lên lại."),
        )
    progress("checking", 0, 0)
    result = read_file(upload.data, upload.filename, bank, topic)
    if not result.ok:
        raise ImportRejected(result.problems)
    write_lock()
    progress("saving", 0, len(result.records))
    counts = import_records(bank, result.records, actor=actor, now=now)
    db.session.delete(upload)
    return counts


def edit_question(
    question: Question, record: QuestionRecord, *, actor: User, now: datetime
) -> Question:
    """Save an edit as a new version; the old version stays as attempts saw it."""
    if not question.is_current:
        raise DomainError(
            "not_current",
            _l("Đây là phiên bản cũ của câu hỏi; hãy sửa phiên bản hiện hành."),
            status=409,
        )
    topic = _topics(question.bank, [record.topic])[record.topic]
    question.is_current = False
    db.session.flush()
    new = Question(
        **_question_row(question.bank, topic, record, now),
        choices=[Choice(position=i, text=t) for i, t in enumerate(record.choices, start=1)],
    )
    new.lineage_id = question.lineage_id
    new.version = question.version + 1
    new.retired_at = question.retired_at
    db.session.add(new)
    try:
        db.session.flush()
    except IntegrityError as err:
        _duplicate_guard(err)
    _carry_citations(question, new)
    _bump_revision(question.bank_id)
    audit.record(
        actor,
        "question.edit",
        "question",
        new.id,
        now=now,
        previous_id=question.id,
        version=new.version,
    )
    db.session.commit()
    return new


def set_retired(question: Question, retired: bool, *, actor: User, now: datetime) -> None:
    """Retire a question (never drawn again, kept for past attempts) or restore it."""
    question.retired_at = now if retired else None
    _bump_revision(question.bank_id)
    action = "question.retire" if retired else "question.restore"
    audit.record(actor, action, "question", question.id, now=now)
    db.session.commit()


def current_records(bank: Bank, *, include_retired: bool = False) -> list[QuestionRecord]:
    """The bank's current questions as records, for export."""
    stmt = (
        db.select(Question)
        .where(Question.bank_id == bank.id, Question.is_current)
        .options(db.selectinload(Question.choices), db.joinedload(Question.topic))
        .order_by(Question.topic_id, Question.lineage_id)
    )
    if not include_retired:
        stmt = stmt.where(Question.retired_at.is_(None))
    return [
        QuestionRecord(
            row=i,
            topic=q.topic.name,
            text=q.text,
            choices=tuple(c.text for c in q.choices),
            answer=q.correct_position - 1,
            explanation=q.explanation,
            source=q.source,
            difficulty=q.difficulty,
        )
        for i, q in enumerate(db.session.execute(stmt).scalars(), start=2)
    ]


# ---- citations: which register entries a question version cites ----


def link_citations(rows: list[tuple[int, str | None]]) -> int:
    """Link question versions to the register entries their source cites; flush only."""
    register = legal_queries.register_keys()
    links = [
        {"question_id": question_id, "document_id": document_id, "manual": False}
        for question_id, source in rows
        for document_id in resolve(source, register)
    ]
    if links:
        db.session.execute(insert(QuestionCitation), links)
    return len(links)


def _carry_citations(old: Question, new: Question) -> None:
    """An organizer's corrected links follow an edit that keeps the source; else re-read it."""
    manual = legal_queries.citation_ids(old.id, manual=True)
    if manual and (old.source or "") == (new.source or ""):
        db.session.execute(
            insert(QuestionCitation),
            [{"question_id": new.id, "document_id": d, "manual": True} for d in manual],
        )
    else:
        link_citations([(new.id, new.source)])


def relink_current() -> int:
    """Add the links a register change makes readable to every current question; flush only.

    Questions an organizer has linked by hand are left as they are.
    """
    register = legal_queries.register_keys()
    have = legal_queries.current_citations()
    links = []
    for question_id, source in legal_queries.current_sources():
        mine = have.get(question_id)
        if mine is not None and mine[1]:
            continue  # corrected by hand
        known = mine[0] if mine else set()
        links += [
            {"question_id": question_id, "document_id": d, "manual": False}
            for d in resolve(source, register)
            if d not in known
        ]
    if links:
        db.session.execute(insert(QuestionCitation), links)
    return len(links)


def set_citations(
    question: Question, document_ids: list[int], *, actor: User, now: datetime
) -> None:
    """Replace a current question's links with the organizer's choice (kept over re-reads)."""
    if not question.is_current:
        raise DomainError(
            "not_current",
            _l("Đây là phiên bản cũ của câu hỏi; hãy sửa phiên bản hiện hành."),
            status=409,
        )
    before = legal_queries.citation_ids(question.id)
    db.session.execute(
        db.delete(QuestionCitation).where(QuestionCitation.question_id == question.id)
    )
    unique = list(dict.fromkeys(document_ids))
    if unique:
        db.session.execute(
            insert(QuestionCitation),
            [{"question_id": question.id, "document_id": d, "manual": True} for d in unique],
        )
    audit.record(
        actor, "question.citations", "question", question.id, now=now, before=before, after=unique
    )
    db.session.commit()


def retire_many(questions: Iterable[Question], *, actor: User, now: datetime, reason: str) -> int:
    """Retire several current questions at once (e.g. all citing a replaced document)."""
    count = 0
    for question in questions:
        if not question.is_current or question.retired_at is not None:
            continue
        question.retired_at = now
        _bump_revision(question.bank_id)
        audit.record(actor, "question.retire", "question", question.id, now=now, reason=reason)
        count += 1
    db.session.commit()
    return count
