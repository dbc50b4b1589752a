"""Read the rows of an uploaded XLSX or CSV file, and write example workbooks."""

import csv
import io
import itertools
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import BinaryIO, Generic, TypeVar

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import messages

T = TypeVar("T")

ACCEPTED_FORMATS = ".xlsx, .csv"

# What openpyxl raises while streaming a damaged sheet (bad zip member, bad XML,
# missing part): a damaged upload must become a message, never a 500.
_XLSX_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    SyntaxError,
    KeyError,
    IndexError,
    ValueError,
)


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where, and an untranslated message.

    `column` is the reader's key ("answer"); a tabular reader adds the column's
    header as written in the file and its position there, for `where()`.
    """

    row: int | None
    column: str | None
    message: str
    params: dict[str, object] = field(default_factory=dict)
    header: str | None = None
    position: int | None = None  # 1 for the file's first column
    in_csv: bool = False

    def text(self, translate: Callable[[str], str] = _same) -> str:
        """The message in the reader's language (pass gettext as translate)."""
        return translate(self.message) % self.params

    def where(self, translate: Callable[[str], str] = _same) -> str | None:
        """The column as the organizer sees it: "D «Đáp án»", its number too in a CSV."""
        if self.position is None:
            return self.column
        place = f"{get_column_letter(self.position)} «{self.header}»"
        if self.in_csv:
            place += " " + translate(messages.CSV_COLUMN_NUMBER) % {"number": self.position}
        return place


@dataclass
class Layout:
    """Where a file keeps each column: filled in by read_rows as it reads the header."""

    in_csv: bool = False
    columns: dict[str, tuple[int, str]] = field(default_factory=dict)  # key → (position, header)

    def locate(self, problems: list[Problem]) -> list[Problem]:
        """The problems, each naming its column's header and position in the file."""
        return [self._locate(problem) for problem in problems]

    def _locate(self, problem: Problem) -> Problem:
        if problem.position is not None or problem.column not in self.columns:
            return problem
        position, header = self.columns[problem.column]
        return replace(problem, header=header, position=position, in_csv=self.in_csv)


class FileRejected(Exception):
    """The file as a whole cannot be read; no row of it may be used."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.text() for problem in problems))
        self.problems = problems


@dataclass
class ReadResult(Generic[T]):
    """Records read from a file and every problem found; import only when ok."""

    records: list[T]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def fold(text: str) -> str:
    """Accent- and case-insensitive search key: fold("Đắk Lắk") == "dak lak"."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    # đ is a letter of its own, not d with a combining mark, so NFD keeps it.
    return " ".join(bare.lower().replace("đ", "d").split())


def _label(text: str) -> str:
    """Comparison key for headers and choices: NFC, case-insensitive, "_" as " "."""
    return " ".join(unicodedata.normalize("NFC", text).lower().replace("_", " ").split())


class Choices:
    """Canonical values of a column and the other spellings accepted for them."""

    def __init__(self, spellings: Mapping[str, tuple[str, ...]]):
        self.values = tuple(spellings)
        self._lookup = {
            _label(spelling): value
            for value, others in spellings.items()
            for spelling in (value, *others)
        }
        self.accepted = ", ".join(
            f"{value} ({', '.join(others)})" if others else value
            for value, others in spellings.items()
        )

    def get(self, raw: str) -> str | None:
        """The canonical value for raw, or None when it is not accepted."""
        return self._lookup.get(_label(raw))


def read_rows(
    stream: BinaryIO,
    filename: str,
    columns: Mapping[str, tuple[str, ...]],
    required: set[str],
    max_rows: int = 200_000,
    layout: Layout | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, {key: text}) per non-blank data row; FileRejected if bad.

    `columns` maps each key to the other header spellings accepted for it. Every
    key is present in each row, "" when its cell or column is empty. The file
    is only checked as it is read: FileRejected comes while iterating. Once the
    header is read, `layout` (when given) knows where each column is.
    """
    suffix = PurePath(filename).suffix.lower()
    layout = layout if layout is not None else Layout()
    layout.in_csv = suffix == ".csv"
    if suffix not in _RAW_READERS:
        raise FileRejected(
            [
                Problem(
                    None,
                    None,
                    messages.UNSUPPORTED_FORMAT,
                    {"filename": filename, "accepted": ACCEPTED_FORMATS},
                )
            ]
        )
    with closing(_RAW_READERS[suffix](stream)) as raw_rows:
        keys: list[str | None] | None = None
        count = 0
        for number, cells in enumerate(raw_rows, start=1):
            if not any(cells):
                continue
            if keys is None:
                keys = _header_keys(cells, columns, required, layout)
                continue
            values = dict.fromkeys(columns, "")
            for key, cell in zip(keys, cells, strict=False):
                if key is not None:
                    values[key] = cell
            if not any(values.values()):
                continue  # text only in columns without a header
            count += 1
            if count > max_rows:
                raise FileRejected(
                    [Problem(None, None, messages.TOO_MANY_ROWS, {"max_rows": max_rows})]
                )
            yield number, values
        if keys is None:
            raise FileRejected([Problem(None, None, messages.EMPTY_FILE)])


# Headers read as "no data here" instead of refused.
_IGNORED_HEADERS = {"stt", "tt", "số thứ tự"}


def _header_keys(
    cells: list[str], columns: Mapping[str, tuple[str, ...]], required: set[str], layout: Layout
) -> list[str | None]:
    """The key of each header cell (None for a blank one); FileRejected if wrong."""
    spellings = {key: (key, *others) for key, others in columns.items()}
    lookup = {_label(s): key for key, names in spellings.items() for s in names}
    accepted = ", ".join(itertools.chain.from_iterable(spellings.values()))
    keys: list[str | None] = []
    problems = []
    for position, cell in enumerate(cells, start=1):
        key = lookup.get(_label(cell)) if cell else None
        here = {"header": cell, "position": position, "in_csv": layout.in_csv}
        if cell and key is None and _label(cell) in _IGNORED_HEADERS:
            pass  # the row-number column every Vietnamese list starts with
        elif cell and key is None:
            params = {"header": cell, "accepted": accepted}
            problems.append(Problem(None, cell, messages.UNKNOWN_HEADER, params, **here))
        elif key is not None and key in keys:
            params = {"header": cell}
            problems.append(Problem(None, cell, messages.DUPLICATE_HEADER, params, **here))
            key = None
        elif key is not None:
            layout.columns[key] = (position, cell)
        keys.append(key)
    for key in columns:
        if key in required and key not in keys:
            params = {"header": key}
            problems.append(Problem(None, key, messages.MISSING_HEADER, params))
    if problems:
        raise FileRejected(problems)
    return keys


def _clean(text: str) -> str:
    # Some Vietnamese keyboards type decomposed accents; store one form only.
    return unicodedata.normalize("NFC", text).strip()


def _number_text(value: float) -> str:
    # Excel keeps every number as a float: a code or headcount typed as 12 comes
    # back as 12.0, and must read "12".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell_text(value: object, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if number_format and "%" in number_format:
            # "85%" typed in Excel is stored as 0.85 with a percent format.
            return _number_text(round(value * 100, 9)) + "%"
        return _number_text(value)
    return _clean(str(value))


# An XLSX file is a zip: 129 KB can unzip to 51 MB of tiny shared strings that
# openpyxl parses in full before the first row, 19 s of CPU. Its declared sizes
# are checked before openpyxl parses (zipfile never yields more than a member
# declares: a lie fails its CRC check). A sheet of 100,000 people is about 15 MB.
XLSX_MAX_UNZIPPED = 48 * 1024 * 1024  # all members together
XLSX_MAX_MEMBER = 24 * 1024 * 1024  # one sheet or the shared strings
XLSX_MAX_MEMBERS = 1000
XLSX_MAX_RATIO = 100  # real sheets compress 5-20 times; bombs hundreds of times
_RATIO_FROM = 1024 * 1024  # tiny members may compress well and harm nobody


def _check_zip_sizes(stream: BinaryIO) -> None:
    """FileRejected when the workbook would unzip too large; the stream is rewound."""
    too_big = FileRejected(
        [Problem(None, None, messages.XLSX_TOO_BIG, {"max_mb": XLSX_MAX_UNZIPPED // 2**20})]
    )
    start = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise FileRejected([Problem(None, None, messages.BROKEN_XLSX)]) from exc
    finally:
        stream.seek(start)
    if len(members) > XLSX_MAX_MEMBERS:
        raise too_big
    total = 0
    for member in members:
        total += member.file_size
        ratio_limit = max(member.compress_size, 1) * XLSX_MAX_RATIO
        if (
            total > XLSX_MAX_UNZIPPED
            or member.file_size > XLSX_MAX_MEMBER
            or (member.file_size > _RATIO_FROM and member.file_size > ratio_limit)
        ):
            raise too_big


def _xlsx_rows(stream: BinaryIO) -> Iterator[list[str]]:
    broken = FileRejected([Problem(None, None, messages.BROKEN_XLSX)])
    _check_zip_sizes(stream)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl fails in many ways on a file that is not xlsx
        raise broken from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size, and openpyxl would stop there.
        sheet.reset_dimensions()
        for row in sheet.iter_rows():
            yield [_cell_text(cell.value, cell.number_format) for cell in row]
    except _XLSX_READ_ERRORS as exc:
        raise broken from exc
    finally:
        workbook.close()


# What Excel, LibreOffice and Google Sheets may run as a formula at a cell's start.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """A cell for a CSV export that no spreadsheet runs as a formula: "'=1+1"."""
    return "'" + text if text.startswith(CSV_FORMULA_START) else text


def _csv_unescape(text: str) -> str:
    # Undo csv_safe, so an exported bank imports back unchanged.
    return text[1:] if text[:1] == "'" and text[1:].startswith(CSV_FORMULA_START) else text


def _csv_rows(stream: BinaryIO) -> Iterator[list[str]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        header = text.readline()
        # Excel writes ";" instead of "," where the decimal mark is a comma.
        delimiter = ";" if header.count(";") > header.count(",") else ","
        for cells in csv.reader(itertools.chain([header], text), delimiter=delimiter):
            yield [_clean(_csv_unescape(cell)) for cell in cells]
    except UnicodeDecodeError as exc:
        raise FileRejected([Problem(None, None, messages.NOT_UTF8)]) from exc
    except csv.Error as exc:
        raise FileRejected([Problem(None, None, messages.BROKEN_CSV)]) from exc
    finally:
        text.detach()  # the caller owns the stream: do not close it


_RAW_READERS: dict[str, Callable[[BinaryIO], Iterator[list[str]]]] = {
    ".xlsx": _xlsx_rows,
    ".csv": _csv_rows,
}


def template_xlsx(
    title: str,
    columns: Mapping[str, tuple[str, ...]],
    headers: Mapping[str, str],
    examples: list[tuple[object, ...]],
    help_texts: Mapping[str, str],
    notes: Sequence[str] = (),
    text_columns: Collection[str] = (),
) -> bytes:
    """A workbook with a Vietnamese header row and examples, and a "Hướng dẫn" help sheet.

    `headers` gives the Vietnamese header written for each column key (one of the
    spellings the reader accepts); the help sheet lists the English name and the other
    accepted spellings. `notes` are general rules listed under the columns' help; the
    columns named in `text_columns` are formatted as text, so Excel keeps 10/10 as typed.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append([headers[key] for key in columns])
    for example in examples:
        sheet.append(list(example))
    help_sheet = workbook.create_sheet("Hướng dẫn")
    help_sheet.append(
        ["Cột", "Tên cột tiếng Anh (cũng được chấp nhận)", "Cách viết khác", "Hướng dẫn"]
    )
    for key, others in columns.items():
        spellings = [name for name in others if _label(name) != _label(headers[key])]
        help_sheet.append([headers[key], key, ", ".join(spellings), help_texts[key]])
    if notes:
        help_sheet.append([])
        help_sheet.append(["Lưu ý", None, None, None])
        help_sheet.cell(help_sheet.max_row, 1).font = Font(bold=True)
        for note in notes:
            help_sheet.append([None, None, None, note])
    for each in (sheet, help_sheet):
        for cell in each[1]:
            cell.font = Font(bold=True)
        for letter in "ABCDEFG":
            each.column_dimensions[letter].width = 24
        each.freeze_panes = "A2"
    for index, key in enumerate(columns, start=1):
        if key in text_columns:
            sheet.column_dimensions[get_column_letter(index)].number_format = "@"
            sheet.column_dimensions[get_column_letter(index)].width = 24
    help_sheet.column_dimensions["D"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
