"""Read-only queries of the register of legal documents and the questions citing them."""

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import func

from question_bank.legal import number_key, resolve
from question_bank.tabular import fold

from ..extensions import db
from ..models import (
    LegalDocument,
    LegalStatus,
    Question,
    QuestionCitation,
    Round,
    Topic,
)


def register_keys() -> list[tuple[str, int]]:
    """(number_key, id) of every register entry: what citations are matched against."""
    return list(db.session.execute(db.select(LegalDocument.number_key, LegalDocument.id)).tuples())


def by_number_key(key: str) -> LegalDocument | None:
    return db.session.execute(
        db.select(LegalDocument).filter_by(number_key=key)
    ).scalar_one_or_none()


def document_for(text: str) -> LegalDocument | None:
    """The register entry a typed number names ("Luật số 91/2025/QH15", "NĐ 13/2023"…)."""
    document = by_number_key(number_key(text))
    if document is None:
        ids = resolve(text, register_keys())
        document = db.session.get(LegalDocument, ids[0]) if len(ids) == 1 else None
    return document


def all_documents() -> list[LegalDocument]:
    return list(
        db.session.execute(
            db.select(LegalDocument)
            .options(db.joinedload(LegalDocument.replaced_by))
            .order_by(LegalDocument.kind, LegalDocument.number)
        ).scalars()
    )


def document_search(q: str = "", status: str = ""):
    """Register entries whose number or name matches q (accents ignored), by status."""
    stmt = db.select(LegalDocument).options(db.joinedload(LegalDocument.replaced_by))
    if status:
        stmt = stmt.where(LegalDocument.status == status)
    documents = db.session.execute(
        stmt.order_by(LegalDocument.status.desc(), LegalDocument.kind, LegalDocument.number)
    ).scalars()
    folded = fold(q or "")
    # The register holds hundreds of rows, not millions: fold in Python, where "Đ" folds too.
    return [d for d in documents if not folded or folded in fold(f"{d.number} {d.name}")]


def citation_counts() -> dict[int, int]:
    """Current questions (retired ones included) citing each document."""
    rows = db.session.execute(
        db.select(QuestionCitation.document_id, func.count())
        .join(Question, Question.id == QuestionCitation.question_id)
        .where(Question.is_current)
        .group_by(QuestionCitation.document_id)
    ).all()
    return dict(rows)


def citing_questions(document: LegalDocument) -> list[Question]:
    """Exactly the current question versions that cite the document, in every bank."""
    return list(
        db.session.execute(
            db.select(Question)
            .join(QuestionCitation, QuestionCitation.question_id == Question.id)
            .where(QuestionCitation.document_id == document.id, Question.is_current)
            .options(
                db.joinedload(Question.bank),
                db.joinedload(Question.topic),
                db.selectinload(Question.choices),
            )
            .order_by(Question.bank_id, Question.topic_id, Question.lineage_id)
        ).scalars()
    )


def citations_of(question_id: int) -> list[LegalDocument]:
    """The documents a question version cites, with their replacements loaded."""
    return list(
        db.session.execute(
            db.select(LegalDocument)
            .join(QuestionCitation, QuestionCitation.document_id == LegalDocument.id)
            .where(QuestionCitation.question_id == question_id)
            .options(db.joinedload(LegalDocument.replaced_by))
            .order_by(LegalDocument.number)
        ).scalars()
    )


def citations_by_question(question_ids: list[int]) -> dict[int, list[LegalDocument]]:
    """The documents each question version cites, in one query (pages listing many)."""
    found: dict[int, list[LegalDocument]] = defaultdict(list)
    if not question_ids:
        return found
    rows = db.session.execute(
        db.select(QuestionCitation.question_id, LegalDocument)
        .join(LegalDocument, LegalDocument.id == QuestionCitation.document_id)
        .where(QuestionCitation.question_id.in_(question_ids))
        .options(db.joinedload(LegalDocument.replaced_by))
        .order_by(LegalDocument.number)
    ).tuples()
    for question_id, document in rows:
        found[question_id].append(document)
    return found


def citation_ids(question_id: int, *, manual: bool | None = None) -> list[int]:
    stmt = db.select(QuestionCitation.document_id).where(
        QuestionCitation.question_id == question_id
    )
    if manual is not None:
        stmt = stmt.where(QuestionCitation.manual == manual)
    return list(db.session.execute(stmt.order_by(QuestionCitation.document_id)).scalars())


def current_sources() -> list[tuple[int, str | None]]:
    """(id, source) of every current question version that names a source."""
    return list(
        db.session.execute(
            db.select(Question.id, Question.source).where(
                Question.is_current, Question.source.is_not(None)
            )
        ).tuples()
    )


def current_citations() -> dict[int, tuple[set[int], bool]]:
    """Per current question: the documents it cites, and whether a link was set by hand."""
    rows = db.session.execute(
        db.select(
            QuestionCitation.question_id, QuestionCitation.document_id, QuestionCitation.manual
        )
        .join(Question, Question.id == QuestionCitation.question_id)
        .where(Question.is_current)
    ).tuples()
    found: dict[int, tuple[set[int], bool]] = defaultdict(lambda: (set(), False))
    for question_id, document_id, manual in rows:
        ids, any_manual = found[question_id]
        ids.add(document_id)
        found[question_id] = (ids, any_manual or manual)
    return dict(found)


def round_stale_citations(round_: Round) -> list[tuple[LegalDocument, int]]:
    """Replaced documents cited by questions the round may draw, with how many questions each.

    A round draws from its bank (and the citizens' bank); when its topic rules fill
    every question, only those topics count, else the rest comes from the whole bank.
    """
    bank_ids = [b for b in (round_.bank_id, round_.citizen_bank_id) if b]
    stmt = (
        db.select(LegalDocument, func.count(func.distinct(Question.id)))
        .join(QuestionCitation, QuestionCitation.document_id == LegalDocument.id)
        .join(Question, Question.id == QuestionCitation.question_id)
        .where(
            LegalDocument.status == LegalStatus.REPLACED.value,
            Question.is_current,
            Question.retired_at.is_(None),
            Question.bank_id.in_(bank_ids),
        )
        .group_by(LegalDocument.id)
        .order_by(LegalDocument.number)
    )
    draws = {d.topic: d.count for d in round_.draws}
    if draws and sum(draws.values()) >= round_.question_count:
        stmt = stmt.join(Topic, Topic.id == Question.topic_id).where(Topic.name.in_(list(draws)))
    return [(doc, count) for doc, count in db.session.execute(stmt).tuples()]


def documents_by_ids(document_ids: list[int]) -> list[LegalDocument]:
    if not document_ids:
        return []
    return list(
        db.session.execute(
            db.select(LegalDocument).where(LegalDocument.id.in_(document_ids))
        ).scalars()
    )


def round_warning_messages(round_: Round) -> list[str]:
    """One line per replaced document the round may draw questions citing (flash, CLI)."""
    return [
        _(
            "Cảnh báo: %(count)d câu hỏi mà đợt thi có thể rút căn cứ %(number)s, văn bản "
            "đã được thay thế%(by)s. Hãy sửa hoặc loại các câu hỏi này trước khi đợt thi mở.",
            count=count,
            number=doc.number,
            by=_(" bởi %(number)s", number=doc.replaced_by.number) if doc.replaced_by else "",
        )
        for doc, count in round_stale_citations(round_)
    ]
