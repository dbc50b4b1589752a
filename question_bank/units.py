"""The units file: the organizer's tree of provinces, departments and communes."""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import BinaryIO

from . import messages
from .tabular import (
    Choices,
    FileRejected,
    Layout,
    Problem,
    ReadResult,
    read_rows,
    template_xlsx,
)

UNIT_COLUMNS = {
    "code": ("mã", "mã đơn vị"),
    "name": ("tên", "tên đơn vị"),
    "kind": ("loại", "loại đơn vị"),
    "parent_code": ("mã đơn vị cấp trên", "mã cấp trên"),
    "headcount": ("biên chế", "số biên chế", "số cán bộ"),
    "target_rate": ("tỷ lệ mục tiêu", "tỉ lệ mục tiêu", "tỷ lệ mục tiêu (%)", "chỉ tiêu (%)"),
}
# The headers of the template; the English names above are accepted as well.
UNIT_HEADERS = {
    "code": "Mã đơn vị",
    "name": "Tên đơn vị",
    "kind": "Loại đơn vị",
    "parent_code": "Mã đơn vị cấp trên",
    "headcount": "Biên chế",
    "target_rate": "Tỷ lệ mục tiêu (%)",
}
UNIT_REQUIRED = {"code", "name", "kind", "parent_code", "headcount"}

KINDS = Choices(
    {
        "province": ("tỉnh",),
        "department": ("sở", "ban", "ngành"),
        # Districts were abolished on 1 July 2025; older contests still have them.
        "district": ("huyện", "quận", "thị xã"),
        "commune": ("xã", "phường", "thị trấn", "đặc khu"),
        "agency": ("cơ quan",),
        "other": ("khác",),
    }
)
UNIT_KINDS = KINDS.values

CODE_MAX_LENGTH = 50
NAME_MAX_LENGTH = 255
_CODE_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
_RATE_PATTERN = re.compile(r"([0-9]+(?:[.,][0-9]+)?)\s*%?")
_NO_UNITS: Mapping[str, str | None] = MappingProxyType({})


@dataclass(frozen=True)
class UnitRecord:
    row: int
    code: str
    name: str
    kind: str
    parent_code: str | None
    headcount: int | None
    target_rate: float | None


def read_units(
    stream: BinaryIO,
    filename: str,
    existing: Mapping[str, str | None] = _NO_UNITS,
) -> ReadResult[UnitRecord]:
    """Read a units file and report every problem; `existing` maps code → parent."""
    records: list[UnitRecord] = []
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    parents: dict[str, str | None] = {}
    layout = Layout()
    try:
        rows = read_rows(stream, filename, UNIT_COLUMNS, UNIT_REQUIRED, layout=layout)
        for row, values in rows:
            record = _unit_record(row, values, problems)
            if record is not None:
                records.append(record)
            code = values["code"]
            if code in first_row:
                params = {"code": code, "other_row": first_row[code]}
                problems.append(Problem(row, "code", messages.DUPLICATE_CODE, params))
            elif code:
                first_row[code] = row
                parents[code] = values["parent_code"] or None
    except FileRejected as rejected:
        return ReadResult([], layout.locate(problems + rejected.problems))
    problems += _tree_problems(first_row, parents, existing)
    problems.sort(key=lambda problem: problem.row or 0)
    return ReadResult(records, layout.locate(problems))


def _unit_record(row: int, values: dict[str, str], problems: list[Problem]) -> UnitRecord | None:
    """The row as a record, or None after adding its problems."""
    found = []
    code = values["code"]
    if not code:
        found.append(Problem(row, "code", messages.MISSING_CODE))
    elif len(code) > CODE_MAX_LENGTH:
        params = {"code": code, "max": CODE_MAX_LENGTH}
        found.append(Problem(row, "code", messages.CODE_TOO_LONG, params))
    elif not _CODE_PATTERN.fullmatch(code):
        params = {"code": code}
        found.append(Problem(row, "code", messages.CODE_BAD_CHARACTERS, params))
    name = " ".join(values["name"].split())
    if not name:
        found.append(Problem(row, "name", messages.MISSING_UNIT_NAME))
    elif len(name) > NAME_MAX_LENGTH:
        params = {"max": NAME_MAX_LENGTH}
        found.append(Problem(row, "name", messages.UNIT_NAME_TOO_LONG, params))
    kind = KINDS.get(values["kind"])
    if kind is None:
        params = {"value": values["kind"], "accepted": KINDS.accepted}
        found.append(Problem(row, "kind", messages.UNKNOWN_KIND, params))
    headcount = None
    if values["headcount"]:
        if values["headcount"].isascii() and values["headcount"].isdigit():
            headcount = int(values["headcount"])
        else:
            params = {"value": values["headcount"]}
            found.append(Problem(row, "headcount", messages.BAD_HEADCOUNT, params))
    target_rate = None
    if values["target_rate"]:
        target_rate = _rate(values["target_rate"])
        if target_rate is None:
            params = {"value": values["target_rate"]}
            found.append(Problem(row, "target_rate", messages.BAD_TARGET_RATE, params))
    problems += found
    if found or kind is None:
        return None
    parent_code = values["parent_code"] or None
    return UnitRecord(row, code, name, kind, parent_code, headcount, target_rate)


def _rate(raw: str) -> float | None:
    """A percentage written "85", "85%", "85,5" or "85.5", or None."""
    match = _RATE_PATTERN.fullmatch(raw)
    if match is None:
        return None
    rate = float(match[1].replace(",", "."))
    return rate if rate <= 100 else None


def _tree_problems(
    first_row: dict[str, int],
    parents: dict[str, str | None],
    existing: Mapping[str, str | None],
) -> list[Problem]:
    """Unknown parents, units that are their own parent, and parent cycles."""
    problems = []
    for code, parent in parents.items():
        row = first_row[code]
        if parent == code:
            params = {"code": code}
            problems.append(Problem(row, "parent_code", messages.OWN_PARENT, params))
        elif parent is not None and parent not in parents and parent not in existing:
            params = {"parent_code": parent}
            problems.append(Problem(row, "parent_code", messages.UNKNOWN_PARENT, params))
    # The file's parents replace those in the database; self-parents are
    # reported above, so they do not count as cycles as well.
    tree = {**existing, **{c: (p if p != c else None) for c, p in parents.items()}}
    for code, cycle in _cycles(tree, parents).items():
        start = cycle.index(code)
        path = [*cycle[start:], *cycle[:start], code]
        params = {"code": code, "cycle": " → ".join(path)}
        problem = Problem(first_row[code], "parent_code", messages.PARENT_CYCLE, params)
        problems.append(problem)
    return problems


def _cycles(tree: Mapping[str, str | None], starts: Collection[str]) -> dict[str, list[str]]:
    """Map each code of `starts` that lies on a parent cycle to that cycle."""
    on_cycle: dict[str, list[str]] = {}
    done: set[str] = set()
    for start in starts:
        path: dict[str, int] = {}  # code → position, in walking order
        node = start
        while node in tree and node not in done and node not in path:
            path[node] = len(path)
            node = tree[node]
        if node in path:
            cycle = list(path)[path[node] :]
            on_cycle.update((code, cycle) for code in cycle if code in starts)
        done.update(path)
    return on_cycle


_HELP = {
    "code": "Mã đơn vị, duy nhất trong toàn hệ thống (bắt buộc): chữ cái không dấu, "
    "chữ số và các ký tự . - _, tối đa 50 ký tự.",
    "name": "Tên đầy đủ của đơn vị (bắt buộc), tối đa 255 ký tự.",
    "kind": f"Loại đơn vị (bắt buộc), một trong: {KINDS.accepted}.",
    "parent_code": "Mã của đơn vị cấp trên, có trong tệp này hoặc đã có trên hệ "
    "thống; để trống với đơn vị cấp cao nhất (tỉnh).",
    "headcount": "Số biên chế (cán bộ, công chức, viên chức, người lao động): số "
    "nguyên không âm, dùng để tính tỷ lệ tham gia. Có thể để trống.",
    "target_rate": "Tỷ lệ tham gia mục tiêu, số từ 0 đến 100 (ví dụ 85 hoặc 85,5). "
    "Có thể để trống hoặc bỏ cột này.",
}
_EXAMPLES = [
    ("QNG", "Tỉnh Quảng Ngãi", "tỉnh", "", None, None),
    ("QNG.SKHCN", "Sở Khoa học và Công nghệ", "sở", "QNG", 85, 90),
    ("QNG.BINHSON", "Xã Bình Sơn", "xã", "QNG", 42, 80),
]


def units_template_xlsx() -> bytes:
    """An example units workbook (sheet "Đơn vị") with a help sheet."""
    return template_xlsx("Đơn vị", UNIT_COLUMNS, UNIT_HEADERS, _EXAMPLES, _HELP)
