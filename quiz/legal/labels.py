"""What the register's kinds and statuses are called on screen."""

from flask_babel import lazy_gettext as _l

from ..models import LegalKind, LegalStatus

LEGAL_KIND_LABELS = {
    LegalKind.LAW: _l("Luật"),
    LegalKind.RESOLUTION: _l("Nghị quyết"),
    LegalKind.DECREE: _l("Nghị định"),
    LegalKind.DECISION: _l("Quyết định"),
    LegalKind.CIRCULAR: _l("Thông tư"),
    LegalKind.PARTY: _l("Văn bản của Đảng"),
    LegalKind.OTHER: _l("Văn bản khác"),
}
LEGAL_STATUS_LABELS = {
    LegalStatus.IN_FORCE: _l("Còn hiệu lực"),
    LegalStatus.AMENDED: _l("Còn hiệu lực, đã được sửa đổi, bổ sung"),
    LegalStatus.REPLACED: _l("Đã được thay thế"),
}
