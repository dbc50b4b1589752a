"""Study materials: add, edit and delete them, with a link or a file (audit-logged)."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..errors import DomainError
from ..extensions import db
from ..models import StudyMaterial, User
from . import storage


@dataclass
class MaterialFields:
    topic: str
    title: str
    description: str | None
    url: str | None
    position: int


@dataclass
class Upload:
    data: bytes
    filename: str


def _details(m: StudyMaterial) -> dict:
    return {
        "topic": m.topic,
        "title": m.title,
        "url": m.url,
        "file_name": m.file_name,
        "size": m.size,
        "position": m.position,
    }


def _checked_url(url: str | None) -> str | None:
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise DomainError(
            "invalid_url",
            _l("Liên kết phải là một địa chỉ web bắt đầu bằng https:// hoặc http://."),
        )
    return url


def save(
    material: StudyMaterial | None,
    fields: MaterialFields,
    upload: Upload | None,
    *,
    actor: User,
    now: datetime,
) -> StudyMaterial:
    """Create or edit a material: a new file or a link replaces what it had (the old file
    is removed once the change is committed)."""
    title, topic = " ".join(fields.title.split()), " ".join(fields.topic.split())
    if not title or not topic:
        raise DomainError("title_required", _l("Vui lòng nhập chủ đề và tên tài liệu."))
    url = _checked_url(fields.url)
    if url and upload:
        raise DomainError(
            "link_or_file", _l("Chọn một trong hai: tải tệp lên hoặc nhập liên kết, không cả hai.")
        )
    has_file = material is not None and material.stored_name is not None
    if not url and not upload and not has_file:
        raise DomainError("link_or_file", _l("Vui lòng tải tệp lên hoặc nhập liên kết."))
    stored = storage.save(upload.data, upload.filename) if upload else None
    created = material is None
    if material is None:
        material = StudyMaterial(created_at=now)
        db.session.add(material)
    old_file = material.stored_name if (stored or url) else None
    material.topic = topic
    material.title = title
    material.description = (fields.description or "").strip() or None
    material.position = fields.position
    if url:
        material.url = url
        material.stored_name = material.file_name = material.content_type = None
        material.size = None
    elif stored:
        material.url = None
        material.stored_name = stored.stored_name
        material.file_name = stored.file_name
        material.content_type = stored.content_type
        material.size = stored.size
    material.updated_at = now
    try:
        db.session.flush()
        action = "material.create" if created else "material.edit"
        audit.record(actor, action, "study_material", material.id, now=now, **_details(material))
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        storage.remove(stored.stored_name if stored else None)
        raise DomainError("invalid_material", _l("Tài liệu không hợp lệ.")) from err
    except BaseException:
        db.session.rollback()
        storage.remove(stored.stored_name if stored else None)
        raise
    storage.remove(old_file)
    return material


def delete(material: StudyMaterial, *, actor: User, now: datetime) -> None:
    """Delete a material, then its file."""
    stored_name = material.stored_name
    audit.record(
        actor, "material.delete", "study_material", material.id, now=now, **_details(material)
    )
    db.session.delete(material)
    db.session.commit()
    storage.remove(stored_name)
