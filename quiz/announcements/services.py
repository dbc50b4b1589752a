"""Announcements: post, edit, publish or unpublish, delete (audit-logged)."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..errors import DomainError
from ..extensions import db
from ..models import Announcement, Contest, User


@dataclass
class AnnouncementFields:
    title: str
    body: str
    pinned: bool
    contest_id: int | None
    published: bool


def _details(a: Announcement) -> dict:
    return {
        "title": a.title,
        "pinned": a.pinned,
        "contest_id": a.contest_id,
        "published": a.published_at is not None,
    }


def save(
    announcement: Announcement | None,
    fields: AnnouncementFields,
    *,
    actor: User,
    now: datetime,
) -> Announcement:
    """Create or edit an announcement; publishing keeps the first publication time."""
    title = " ".join(fields.title.split())
    if not title:
        raise DomainError("title_required", _l("Vui lòng nhập tiêu đề thông báo."))
    if fields.contest_id is not None and db.session.get(Contest, fields.contest_id) is None:
        raise DomainError("unknown_contest", _l("Hội thi đã chọn không còn tồn tại."))
    created = announcement is None
    if announcement is None:
        announcement = Announcement(created_at=now)
        db.session.add(announcement)
    announcement.title = title
    announcement.body = fields.body.strip()
    announcement.pinned = fields.pinned
    announcement.contest_id = fields.contest_id
    if not fields.published:
        announcement.published_at = None
    elif announcement.published_at is None:
        announcement.published_at = now
    announcement.updated_at = now
    try:
        db.session.flush()
    except IntegrityError as err:  # the contest was deleted meanwhile
        db.session.rollback()
        raise DomainError("unknown_contest", _l("Hội thi đã chọn không còn tồn tại.")) from err
    action = "announcement.create" if created else "announcement.edit"
    audit.record(actor, action, "announcement", announcement.id, now=now, **_details(announcement))
    db.session.commit()
    return announcement


def delete(announcement: Announcement, *, actor: User, now: datetime) -> None:
    """Delete an announcement for good (unpublishing keeps it as a draft instead)."""
    audit.record(
        actor,
        "announcement.delete",
        "announcement",
        announcement.id,
        now=now,
        **_details(announcement),
    )
    db.session.delete(announcement)
    db.session.commit()
