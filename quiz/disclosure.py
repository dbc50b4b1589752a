"""What the public may see before publication: one place for the secrecy rules.

A bank that an open or upcoming round draws from is reserved: its answers are served to
nobody but admins (no practice, no export, no question page). The score figures of a
round (mean scores, score bands, scores per person) are shown to admins only until the
round's results are published. See docs/security.md, "Answer key and secret figures".
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from .errors import DomainError
from .extensions import db
from .models import Round


def reserved_bank_ids(now: datetime) -> set[int]:
    """Banks that a round still to close (open or upcoming) draws from."""
    rows = db.session.execute(
        select(Round.bank_id, Round.citizen_bank_id).where(Round.closes_at > now)
    ).all()
    return {bank_id for row in rows for bank_id in row if bank_id is not None}


def reserved_clause(bank_id, now: datetime):
    """SQL truth of "a round still to close draws from this bank" (a column or a value)."""
    return (
        select(Round.id)
        .where(
            Round.closes_at > now,
            or_(Round.bank_id == bank_id, Round.citizen_bank_id == bank_id),
        )
        .exists()
    )


def bank_reserved_error() -> DomainError:
    return DomainError(
        "bank_reserved",
        _l(
            "Ngân hàng câu hỏi này đang được dùng cho một đợt thi chưa kết thúc nên tạm thời "
            "không dùng để thi thử. Vui lòng chọn ngân hàng khác."
        ),
        status=422,
    )


def scores_public(round_: Round) -> bool:
    """Score figures of a round are public once its results are published."""
    return round_.results_published_at is not None


def sees_scores(round_: Round, user) -> bool:
    """Admins see score figures at any time; everyone else after publication."""
    return scores_public(round_) or bool(getattr(user, "is_authenticated", False) and user.is_admin)
