"""The register of legal documents: edit, mark replaced, import and export (audit-logged)."""

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from question_bank.legal import DocumentRecord, number_key, read_register, write_register_xlsx
from question_bank.tabular import ReadResult

from .. import audit
from ..bank import services as bank_services
from ..errors import DomainError
from ..extensions import db
from ..models import LegalDocument, LegalStatus, Question, User
from . import queries

SAMPLE_REGISTER = (
    Path(__file__).resolve().parent.parent.parent
    / "question_bank"
    / "samples"
    / "legal_documents.csv"
)


@dataclass
class DocumentFields:
    number: str
    name: str
    kind: str
    issuer: str | None
    issued_on: date | None
    effective_on: date | None
    status: str  # in_force or amended; replacement goes through mark_replaced
    note: str | None


def _changes(document: LegalDocument) -> dict:
    return {
        "number": document.number,
        "status": document.status,
        "replaced_by": document.replaced_by.number if document.replaced_by else None,
        "replaced_from": document.replaced_from.isoformat() if document.replaced_from else None,
    }


def save_document(
    document: LegalDocument | None, fields: DocumentFields, *, actor: User, now: datetime
) -> LegalDocument:
    """Create or edit a register entry; numbers are unique however they are spelled."""
    number = " ".join(fields.number.split())
    if not number or not fields.name.strip():
        raise DomainError("number_required", _l("Vui lòng nhập số hiệu và tên văn bản."))
    if fields.status == LegalStatus.REPLACED:
        raise DomainError(
            "use_replace",
            _l("Để đánh dấu văn bản đã được thay thế, hãy dùng chức năng “Đánh dấu bị thay thế”."),
        )
    created = document is None
    if document is None:
        document = LegalDocument()
        db.session.add(document)
    document.number = number
    document.number_key = number_key(number)
    document.name = " ".join(fields.name.split())
    document.kind = fields.kind
    document.issuer = fields.issuer or None
    document.issued_on = fields.issued_on
    document.effective_on = fields.effective_on
    document.status = fields.status
    document.replaced_by_id = None
    document.replaced_from = None
    document.note = fields.note or None
    document.updated_at = now
    try:
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        raise DomainError(
            "number_exists",
            _l("Đã có văn bản số hiệu “%(number)s” trong danh mục."),
            status=409,
            number=number,
        ) from err
    linked = bank_services.relink_current() if created else 0
    action = "legal.create" if created else "legal.edit"
    audit.record(
        actor, action, "legal_document", document.id, now=now, linked=linked, **_changes(document)
    )
    db.session.commit()
    return document


def mark_replaced(
    document: LegalDocument,
    replacement: LegalDocument | None,
    replaced_from: date | None,
    *,
    actor: User,
    now: datetime,
) -> list[Question]:
    """Mark a document replaced (by which, from when); returns exactly the questions citing it."""
    if replacement is not None and replacement.id == document.id:
        raise DomainError("replaced_by_itself", _l("Văn bản không thể được thay thế bởi chính nó."))
    if replacement is not None and replacement.replaced_by_id == document.id:
        raise DomainError(
            "replacement_cycle",
            _l("Văn bản “%(number)s” lại đang được ghi là bị văn bản này thay thế."),
            number=replacement.number,
        )
    if replaced_from is None:
        raise DomainError("date_required", _l("Vui lòng nhập ngày văn bản bị thay thế."))
    document.status = LegalStatus.REPLACED.value
    document.replaced_by = replacement
    document.replaced_from = replaced_from
    document.updated_at = now
    db.session.flush()
    affected = queries.citing_questions(document)
    audit.record(
        actor,
        "legal.replace",
        "legal_document",
        document.id,
        now=now,
        questions=[q.id for q in affected],
        **_changes(document),
    )
    db.session.commit()
    return affected


@dataclass
class ImportCounts:
    added: int
    updated: int
    linked: int


def import_records(
    records: list[DocumentRecord], *, actor: User | None, now: datetime
) -> ImportCounts:
    """Add or update register entries by number (all or nothing), then link questions."""
    existing = {d.number_key: d for d in queries.all_documents()}
    added = updated = 0
    by_key: dict[str, LegalDocument] = {}
    for r in records:
        key = number_key(r.number)
        document = existing.get(key)
        if document is None:
            document = LegalDocument(number_key=key)
            db.session.add(document)
            added += 1
        else:
            updated += 1
        document.number = r.number
        document.name = r.name
        document.kind = r.kind
        document.issuer = r.issuer
        document.issued_on = r.issued_on
        document.effective_on = r.effective_on
        document.status = r.status
        document.replaced_by = None
        document.replaced_from = r.replaced_from
        document.note = r.note
        document.updated_at = now
        by_key[key] = document
    db.session.flush()
    for r in records:
        if r.replaced_by:
            by_key[number_key(r.number)].replaced_by = by_key[number_key(r.replaced_by)]
    db.session.flush()
    linked = bank_services.relink_current()
    audit.record(
        actor,
        "legal.import",
        "legal_document",
        None,
        now=now,
        added=added,
        updated=updated,
        linked=linked,
    )
    return ImportCounts(added, updated, linked)


def import_file(
    data: bytes, filename: str, *, actor: User | None, now: datetime
) -> tuple[ReadResult[DocumentRecord], ImportCounts | None]:
    """Read and import a register file; nothing changes when any row is wrong."""
    result = read_register(io.BytesIO(data), filename)
    if not result.ok:
        return result, None
    counts = import_records(result.records, actor=actor, now=now)
    db.session.commit()
    return result, counts


def load_sample_register(*, now: datetime) -> ImportCounts:
    """The register shipped with the sample bank (seed-demo); flush only."""
    result = read_register(io.BytesIO(SAMPLE_REGISTER.read_bytes()), SAMPLE_REGISTER.name)
    if not result.ok:
        raise RuntimeError(f"sample register is invalid: {result.problems[:3]}")
    return import_records(result.records, actor=None, now=now)


def export_xlsx() -> bytes:
    """The register as XLSX, readable by import_file."""
    return write_register_xlsx(
        [
            DocumentRecord(
                row=i,
                number=d.number,
                name=d.name,
                kind=d.kind,
                issuer=d.issuer,
                issued_on=d.issued_on,
                effective_on=d.effective_on,
                status=d.status,
                replaced_by=d.replaced_by.number if d.replaced_by else None,
                replaced_from=d.replaced_from,
                note=d.note,
            )
            for i, d in enumerate(queries.all_documents(), start=2)
        ]
    )
