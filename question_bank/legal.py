"""Legal documents: find their numbers in free text, and read or write the register file.

Organizers cite a document in many spellings ("Nghị định số 13/2023/NĐ-CP",
"NĐ 13/2023", "Luật số 91/2025/QH15", "Quyết định 06/QĐ-TTg", "Nghị quyết
57-NQ/TW"). `find_references` turns each into a `Reference` whose key is compared
with `number_key()` of the register's numbers, so "06/QĐ-TTg" and "6/QĐ-TTg" match.
"""

import io
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import messages
from .tabular import Choices, FileRejected, Problem, ReadResult, read_rows

KIND_CHOICES = Choices(
    {
        "law": ("luật", "luat", "bộ luật"),
        "resolution": ("nghị quyết", "nghi quyet"),
        "decree": ("nghị định", "nghi dinh"),
        "decision": ("quyết định", "quyet dinh"),
        "circular": ("thông tư", "thong tu"),
        "party": ("văn bản của đảng", "nghị quyết của đảng", "đảng"),
        "other": ("khác", "khac", "công văn", "hướng dẫn"),
    }
)
KINDS = KIND_CHOICES.values
STATUS_CHOICES = Choices(
    {
        "in_force": ("còn hiệu lực", "con hieu luc", "hiệu lực"),
        "amended": ("được sửa đổi", "đã được sửa đổi", "sửa đổi", "sua doi"),
        "replaced": ("đã được thay thế", "được thay thế", "thay thế", "hết hiệu lực", "thay the"),
    }
)
STATUSES = STATUS_CHOICES.values

REGISTER_COLUMNS = {
    "number": ("số hiệu", "số", "số ký hiệu"),
    "name": ("tên", "tên văn bản", "trích yếu"),
    "kind": ("loại", "loại văn bản"),
    "issuer": ("cơ quan ban hành",),
    "issued_on": ("ngày ban hành",),
    "effective_on": ("ngày hiệu lực", "ngày có hiệu lực"),
    "status": ("tình trạng", "tình trạng hiệu lực"),
    "replaced_by": ("thay thế bởi", "được thay thế bởi", "văn bản thay thế"),
    "replaced_from": ("thay thế từ ngày", "hết hiệu lực từ ngày"),
    "note": ("ghi chú",),
}
REGISTER_REQUIRED = {"number", "name", "kind", "status"}
NUMBER_MAX_LENGTH = 60
NAME_MAX_LENGTH = 500
ISSUER_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 1000


@dataclass(frozen=True)
class Reference:
    """A document number found in text: `key` is a number_key, or its prefix when partial."""

    key: str
    text: str  # as written
    partial: bool = False

    def matches(self, number_key: str) -> bool:
        return number_key == self.key or (self.partial and number_key.startswith(self.key))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def number_key(number: str) -> str:
    """Comparison key of a document number: NFC, upper case, no spaces, no leading zeros."""
    key = "".join(_norm(number).upper().split())
    key = key.replace("–", "-").replace("—", "-")
    return re.sub(r"^0+(?=\d)", "", key)


# A number with its symbol: 13/2023/NĐ-CP, 749/QĐ-TTg, 30c/NQ-CP, 793/BTTTT-THH, 91/2025/QH15.
_FULL = re.compile(
    r"(?<![\w/])(\d{1,5}[a-z]?)\s*/\s*(?:(\d{4})\s*/\s*)?"
    r"((?:QH|UBTVQH)\d{1,2}|[A-ZĐ]{1,8}(?:\s*-\s*[A-ZĐa-z0-9]{1,10}){1,2})(?![\w])"
)
# Party documents: 57-NQ/TW, 05-CT/TW; also the common misspelling 57/NQ-TW.
_PARTY = re.compile(
    r"(?<![\w/])(\d{1,4})\s*(?:-\s*(NQ|CT|KL|QĐ|QC|HD)\s*/\s*TW|/\s*(NQ|CT|KL|QĐ|QC|HD)\s*-\s*TW)"
    r"(?![\w])"
)
# A kind written out or abbreviated, then number/year without the symbol: "NĐ 13/2023".
_SHORT_KINDS = {
    "nghị định": "NĐ-CP",
    "nđ": "NĐ-CP",
    "nd": "NĐ-CP",
    "luật": "QH",
    "thông tư": "TT-",
    "tt": "TT-",
    "quyết định": "QĐ-",
    "qđ": "QĐ-",
    "nghị quyết": "NQ-",
    "nq": "NQ-",
}
_SHORT = re.compile(
    r"(?<!\w)(nghị\s+định|nđ|nd|luật(?:\s+[^\d\s/]+){0,6}?|thông\s+tư|tt|quyết\s+định|qđ"
    r"|nghị\s+quyết|nq)\s*(?:số\s*)?[:.]?\s*(\d{1,5})\s*/\s*(\d{4})(?!\s*/\s*[\wĐđ])",
    re.IGNORECASE,
)


def find_references(text: str | None) -> list[Reference]:
    """Every document number cited in text, in order, each once."""
    if not text:
        return []
    text = _norm(text)
    found: list[Reference] = []
    spans: list[tuple[int, int]] = []
    for match in _PARTY.finditer(text):
        kind = match.group(2) or match.group(3)
        found.append(Reference(number_key(f"{match.group(1)}-{kind.upper()}/TW"), match.group(0)))
        spans.append(match.span())
    for match in _FULL.finditer(text):
        if any(start <= match.start() < end for start, end in spans):
            continue
        number, year, symbol = match.groups()
        symbol = re.sub(r"\s+", "", symbol)
        if not any(c.isalpha() for c in symbol) or symbol.isdigit():
            continue
        key = number_key("/".join(filter(None, (number, year, symbol))))
        found.append(Reference(key, match.group(0)))
        spans.append(match.span())
    for match in _SHORT.finditer(text):
        if any(start <= match.start() < end for start, end in spans):
            continue
        word = " ".join(match.group(1).lower().split())
        prefix = _SHORT_KINDS.get(word) or ("QH" if word.startswith("luật") else None)
        if prefix is None:
            continue
        key = number_key(f"{match.group(2)}/{match.group(3)}/{prefix}")
        found.append(Reference(key, match.group(0), partial=not prefix.endswith("-CP")))
    seen: set[tuple[str, bool]] = set()
    unique = []
    for ref in sorted(found, key=lambda r: text.find(r.text)):
        if (ref.key, ref.partial) not in seen:
            seen.add((ref.key, ref.partial))
            unique.append(ref)
    return unique


def resolve(text: str | None, register: Iterable[tuple[str, int]]) -> list[int]:
    """Ids of the register entries (number_key, id) cited in text, in order, each once."""
    entries = list(register)
    ids: list[int] = []
    for ref in find_references(text):
        matching = [doc_id for key, doc_id in entries if ref.matches(key)]
        # A short form ("Luật 91/2025") names one document only when one matches.
        if len(matching) == 1 or (matching and not ref.partial):
            for doc_id in matching:
                if doc_id not in ids:
                    ids.append(doc_id)
    return ids


@dataclass(frozen=True)
class DocumentRecord:
    row: int
    number: str
    name: str
    kind: str
    issuer: str | None
    issued_on: date | None
    effective_on: date | None
    status: str
    replaced_by: str | None
    replaced_from: date | None
    note: str | None


def parse_date(raw: str) -> date | None:
    """dd/mm/yyyy (Vietnamese) or yyyy-mm-dd; None when blank; ValueError when wrong."""
    raw = raw.strip()
    if not raw:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def read_register(stream: BinaryIO, filename: str) -> ReadResult[DocumentRecord]:
    """Read a register of legal documents (XLSX or CSV) and report every problem."""
    records: list[DocumentRecord] = []
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    try:
        for row, values in read_rows(stream, filename, REGISTER_COLUMNS, REGISTER_REQUIRED):
            record, found = _check(row, values, first_row)
            problems += found
            if record is not None:
                records.append(record)
    except FileRejected as rejected:
        return ReadResult([], problems + rejected.problems)
    keys = {number_key(r.number) for r in records}
    for record in records:
        if record.replaced_by and number_key(record.replaced_by) not in keys:
            params = {"number": record.replaced_by}
            problems.append(
                Problem(record.row, "replaced_by", messages.UNKNOWN_REPLACEMENT, params)
            )
    return ReadResult(records if not problems else [], problems)


def _check(
    row: int, values: dict[str, str], first_row: dict[str, int]
) -> tuple[DocumentRecord | None, list[Problem]]:
    found: list[Problem] = []
    number = " ".join(values["number"].split())
    name = " ".join(values["name"].split())
    if not number:
        found.append(Problem(row, "number", messages.MISSING_NUMBER))
    elif len(number) > NUMBER_MAX_LENGTH:
        found.append(Problem(row, "number", messages.NUMBER_TOO_LONG, {"max": NUMBER_MAX_LENGTH}))
    elif number_key(number) in first_row:
        params = {"other_row": first_row[number_key(number)]}
        found.append(Problem(row, "number", messages.DUPLICATE_NUMBER, params))
    else:
        first_row[number_key(number)] = row
    if not name:
        found.append(Problem(row, "name", messages.MISSING_NAME))
    elif len(name) > NAME_MAX_LENGTH:
        found.append(Problem(row, "name", messages.NAME_TOO_LONG, {"max": NAME_MAX_LENGTH}))
    kind = KIND_CHOICES.get(values["kind"])
    if kind is None:
        params = {"value": values["kind"], "accepted": KIND_CHOICES.accepted}
        found.append(Problem(row, "kind", messages.UNKNOWN_DOCUMENT_KIND, params))
    status = STATUS_CHOICES.get(values["status"])
    if status is None:
        params = {"value": values["status"], "accepted": STATUS_CHOICES.accepted}
        found.append(Problem(row, "status", messages.UNKNOWN_DOCUMENT_STATUS, params))
    dates: dict[str, date | None] = {}
    for column in ("issued_on", "effective_on", "replaced_from"):
        try:
            dates[column] = parse_date(values[column])
        except ValueError:
            params = {"value": values[column]}
            found.append(Problem(row, column, messages.BAD_DATE, params))
            dates[column] = None
    replaced_by = " ".join(values["replaced_by"].split()) or None
    if status != "replaced" and (replaced_by or dates["replaced_from"]):
        found.append(Problem(row, "status", messages.REPLACEMENT_NOT_REPLACED))
    if replaced_by and number and number_key(replaced_by) == number_key(number):
        found.append(Problem(row, "replaced_by", messages.REPLACED_BY_ITSELF))
    issuer = " ".join(values["issuer"].split()) or None
    if issuer and len(issuer) > ISSUER_MAX_LENGTH:
        params = {"max": ISSUER_MAX_LENGTH}
        found.append(Problem(row, "issuer", messages.ISSUER_TOO_LONG, params))
    note = " ".join(values["note"].split()) or None
    if note and len(note) > NOTE_MAX_LENGTH:
        found.append(Problem(row, "note", messages.NOTE_TOO_LONG, {"max": NOTE_MAX_LENGTH}))
    if found or kind is None or status is None:
        return None, found
    return DocumentRecord(
        row=row,
        number=number,
        name=name,
        kind=kind,
        issuer=issuer,
        issued_on=dates["issued_on"],
        effective_on=dates["effective_on"],
        status=status,
        replaced_by=replaced_by,
        replaced_from=dates["replaced_from"],
        note=note,
    ), found


def _date_text(value: date | None) -> str | None:
    return value.strftime("%d/%m/%Y") if value else None


def write_register_xlsx(records: Collection[DocumentRecord]) -> bytes:
    """The register as a workbook (sheet "Văn bản") that read_register reads back."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Văn bản")
    header = []
    for key in REGISTER_COLUMNS:
        cell = WriteOnlyCell(sheet, value=key)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for r in records:
        values = [
            r.number,
            r.name,
            r.kind,
            r.issuer,
            _date_text(r.issued_on),
            _date_text(r.effective_on),
            r.status,
            r.replaced_by,
            _date_text(r.replaced_from),
            r.note,
        ]
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s" if value is not None else cell.data_type
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
