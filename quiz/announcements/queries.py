"""Read-only queries of announcements: what the public sees, and the organizers' list."""

from ..extensions import db
from ..models import Announcement

PUBLIC_PAGE_SIZE = 10


def _published():
    return (
        db.select(Announcement)
        .where(Announcement.published_at.is_not(None))
        .options(db.joinedload(Announcement.contest))
        # Pinned ones first, then the newest; the id breaks ties so pages never overlap.
        .order_by(
            Announcement.pinned.desc(), Announcement.published_at.desc(), Announcement.id.desc()
        )
    )


def latest(limit: int = 3) -> list[Announcement]:
    return list(db.session.execute(_published().limit(limit)).scalars())


def public_page(page: int):
    return db.paginate(_published(), page=page, per_page=PUBLIC_PAGE_SIZE, error_out=False)


def for_contest(contest_id: int, limit: int = 5) -> list[Announcement]:
    """Published announcements tied to one contest."""
    stmt = _published().where(Announcement.contest_id == contest_id).limit(limit)
    return list(db.session.execute(stmt).scalars())


def published_or_none(announcement_id: int) -> Announcement | None:
    return db.session.execute(_published().where(Announcement.id == announcement_id)).scalar()


def admin_page(page: int, per_page: int):
    """Every announcement, drafts included, newest change first."""
    stmt = (
        db.select(Announcement)
        .options(db.joinedload(Announcement.contest))
        .order_by(Announcement.updated_at.desc(), Announcement.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)
