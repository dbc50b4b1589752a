"""What a certificate says: plain data, kept apart from the PDF library (loaded on demand)."""

from dataclasses import dataclass
from datetime import datetime

# Certificates are official papers: in Vietnamese whatever language the site is read in.
PRIZE_NAMES = {
    "first": "Giải Nhất",
    "second": "Giải Nhì",
    "third": "Giải Ba",
    "consolation": "Giải Khuyến khích",
}
GROUP_NAMES = {
    "staff": "Cán bộ, công chức, viên chức, người lao động",
    "citizen": "Nhân dân",
}


@dataclass(frozen=True)
class CertificateData:
    """What one certificate says (from the frozen RoundResult row of the person)."""

    code: str
    verify_url: str
    contest_title: str
    round_title: str
    full_name: str
    unit_name: str
    group: str
    rank: int
    correct_count: int
    question_count: int
    prize: str | None
    published_at: datetime
    signer_title: str | None = None
    signer_name: str | None = None
