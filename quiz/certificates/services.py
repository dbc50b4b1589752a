"""Certificates: the contest's setting, verification codes issued once, the PDFs.

A code is made the first time a certificate is asked for (by its owner, or by the
organizers' bulk download) and kept: every later download prints the same code. The
database refuses a second code for one person and round (uq_certificate_round_id_user_id);
the request that loses that race reads the winner's code.
"""

import secrets
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..db_errors import is_violation
from ..errors import DomainError
from ..extensions import db, reads_first, write_lock
from ..models import Certificate, CertificateSetting, Contest, Round, RoundResult, User
from ..results.ranking import published_result
from . import queries
from .content import CertificateData

CODE_BYTES = 16  # 128 random bits: 22 characters of URL-safe base64
INSERT_CHUNK = 1000
# Pages per PDF inside the organizers' ZIP: one PDF is built in memory at a time.
PAGES_PER_FILE = 500
MAX_SIGNER = 200


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def save_setting(
    contest: Contest,
    *,
    enabled: bool,
    signer_title: str | None,
    signer_name: str | None,
    actor: User,
    now: datetime,
) -> CertificateSetting:
    """Turn a contest's certificates on or off and say who signs them."""
    title = " ".join((signer_title or "").split()) or None
    name = " ".join((signer_name or "").split()) or None
    for value in (title, name):
        if value is not None and len(value) > MAX_SIGNER:
            raise DomainError(
                "signer_too_long", _l("Chức danh và tên người ký dài tối đa 200 ký tự.")
            )
    write_lock()
    found = db.session.get(CertificateSetting, contest.id)
    if found is None:
        found = CertificateSetting(contest_id=contest.id)
        db.session.add(found)
    found.enabled = bool(enabled)
    found.signer_title, found.signer_name = title, name
    found.updated_at = now
    audit.record(
        actor,
        "certificates.settings",
        "contest",
        contest.id,
        now=now,
        enabled=found.enabled,
        signer_title=title,
        signer_name=name,
    )
    db.session.commit()
    return found


def issue(round_: Round, user_id: int, now: datetime) -> Certificate:
    """The person's certificate of the round, its code made on the first request."""
    found = queries.certificate_of(round_.id, user_id)
    if found is not None:
        return found
    write_lock()
    db.session.add(Certificate(code=new_code(), round_id=round_.id, user_id=user_id, issued_at=now))
    try:
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        if not is_violation(err, "uq_certificate_round_id_user_id", "certificate.round_id"):
            raise
    return queries.certificate_of(round_.id, user_id)


def _insert_codes(round_: Round, user_ids: list[int], now: datetime) -> None:
    """Codes for these people; one made meanwhile by the person's own download is kept (the
    rendering reads the codes back from the database after the commit)."""
    write_lock()
    dialect = db.session.get_bind().dialect.name
    insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert_(Certificate).on_conflict_do_nothing(
        index_elements=[Certificate.round_id, Certificate.user_id]
    )
    for start in range(0, len(user_ids), INSERT_CHUNK):
        db.session.execute(
            statement,
            [
                {"code": new_code(), "round_id": round_.id, "user_id": uid, "issued_at": now}
                for uid in user_ids[start : start + INSERT_CHUNK]
            ],
        )


def verify_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/certificates/{code}"


def data_of(
    round_: Round,
    result: RoundResult,
    unit_name: str,
    code: str,
    base_url: str,
    setting: CertificateSetting | None,
) -> CertificateData:
    return CertificateData(
        code=code,
        verify_url=verify_url(base_url, code),
        contest_title=round_.contest.title,
        round_title=round_.title,
        full_name=result.full_name,
        unit_name=unit_name,
        group=result.participant_group,
        rank=result.rank,
        correct_count=result.correct_count,
        question_count=round_.question_count,
        prize=result.prize,
        published_at=round_.results_published_at,
        signer_title=setting.signer_title if setting else None,
        signer_name=setting.signer_name if setting else None,
    )


def own_certificate(round_: Round, user: User, *, base_url: str, now: datetime) -> bytes:
    """A person's certificate as PDF; not found unless the round issues them and ranks them."""
    from . import pdf  # fpdf2, Pillow, fontTools: loaded where a PDF is made

    if not queries.issues(round_):
        raise DomainError("not_found", _l("Không tìm thấy giấy chứng nhận."), status=404)
    result = published_result(round_, user.id)
    if result is None:
        raise DomainError("not_found", _l("Không tìm thấy giấy chứng nhận."), status=404)
    certificate = issue(round_, user.id, now)
    data = data_of(
        round_,
        result,
        result.unit.name,
        certificate.code,
        base_url,
        queries.setting(round_.contest_id),
    )
    return pdf.render([data])


def bundle(
    round_: Round, *, base_url: str, now: datetime, progress: Callable[[str, int, int], None]
) -> bytes:
    """Every certificate of the round as a ZIP of PDFs of PAGES_PER_FILE pages each (the
    codes still missing are made and committed first).

    The ZIP is written to a temporary file (spilled to disk past a few megabytes) and one
    PDF is built at a time, so memory holds one batch of pages, not the whole round.
    """
    from . import pdf  # loaded on demand, see own_certificate

    if not queries.issues(round_):
        raise DomainError(
            "certificates_off",
            _l("Đợt thi chưa công bố kết quả hoặc hội thi không cấp giấy chứng nhận."),
            status=409,
        )
    total = queries.ranked_count(round_.id)
    missing = queries.uncertified_user_ids(round_.id)
    if missing:
        progress("saving", 0, total)
        _insert_codes(round_, missing, now)
        # Codes are kept whatever becomes of the file (the next run prints the same ones):
        # committed now, so the long rendering below reads without holding SQLite's write
        # lock. A person who downloads meanwhile finds their code already made.
        db.session.commit()
        reads_first()
    setting = queries.setting(round_.contest_id)
    rows: Iterator[CertificateData] = (
        data_of(round_, result, unit_name, code, base_url, setting)
        for result, unit_name, code in queries.bundle_rows(round_.id)
    )
    done = 0
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
            for part, batch in enumerate(pdf.chunks(rows, PAGES_PER_FILE), start=1):
                # PDFs are compressed already: stored as they are.
                archive.writestr(
                    f"giay-chung-nhan-dot-{round_.id}-phan-{part:03d}.pdf", pdf.render(batch)
                )
                done += len(batch)
                progress("file", done, total)
        spool.seek(0)
        return spool.read()
