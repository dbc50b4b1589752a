"""Study material files on disk, outside the database: an allow-list of types checked by
extension and by the file's first bytes, a size limit, random stored names."""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..errors import DomainError

_ZIP = (b"PK\x03\x04",)
# extension → (Content-Type sent back, accepted leading bytes). The Content-Type is ours,
# never the one the uploader's browser claimed.
ALLOWED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ZIP,
    ),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
}


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    file_name: str
    content_type: str
    size: int


def folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def max_megabytes() -> str:
    """The size limit of one file, in MB as people write it ("10", "0.5")."""
    mb = current_app.config["MATERIAL_MAX_BYTES"] / 1024 / 1024
    return f"{mb:.1f}".rstrip("0").rstrip(".")


def display_name(filename: str) -> str:
    """The uploader's file name without any directory part ("..\\..\\a.pdf" → "a.pdf")."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable()).strip(" .")
    return name[-200:] or "tai-lieu"


def check(data: bytes, filename: str) -> tuple[str, str]:
    """(extension, content type) of an acceptable file; DomainError otherwise."""
    limit = current_app.config["MATERIAL_MAX_BYTES"]
    ext = os.path.splitext(display_name(filename))[1].lower()
    if ext not in ALLOWED:
        raise DomainError(
            "file_type",
            _l("Chỉ nhận tệp PDF, DOCX, XLSX, PPTX hoặc ảnh (PNG, JPG, GIF, WEBP)."),
            status=415,
        )
    if not data:
        raise DomainError("file_empty", _l("Tệp tải lên không có nội dung."))
    if len(data) > limit:
        raise DomainError(
            "file_too_large",
            _l("Tệp quá lớn: tối đa %(mb)s MB."),
            status=413,
            mb=max_megabytes(),
        )
    content_type, magic = ALLOWED[ext]
    if not data.startswith(magic) or (ext == ".webp" and data[8:12] != b"WEBP"):
        raise DomainError(
            "file_content",
            _l("Nội dung tệp không đúng với loại tệp %(ext)s."),
            status=415,
            ext=ext.lstrip(".").upper(),
        )
    return ext, content_type


def save(data: bytes, filename: str) -> StoredFile:
    """Check and write the file under a new random name (the name is never the uploader's)."""
    ext, content_type = check(data, filename)
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + ext
    # O_EXCL: never overwrite, and mode 0600: the web server reads it, nobody else.
    fd = os.open(target / stored_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return StoredFile(stored_name, display_name(filename), content_type, len(data))


def remove(stored_name: str | None) -> None:
    if stored_name:
        try:
            (folder() / stored_name).unlink()
        except FileNotFoundError:
            pass
