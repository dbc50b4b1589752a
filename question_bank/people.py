"""The users file: accounts created in bulk by the organizers."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import BinaryIO

import phonenumbers
from email_validator import EmailNotValidError, validate_email

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

PEOPLE_COLUMNS = {
    "full_name": ("họ và tên", "họ tên"),
    "email": ("thư điện tử", "e-mail"),
    "phone": ("số điện thoại", "điện thoại"),
    "unit_code": ("mã đơn vị",),
    "role": ("vai trò",),
    "position": ("chức vụ",),
    "group": ("đối tượng", "nhóm"),
    "organizer_staff": ("thành viên ban tổ chức", "ban tổ chức", "btc"),
}
# The headers of the template; the English names above are accepted as well.
PEOPLE_HEADERS = {
    "full_name": "Họ và tên",
    "email": "Email",
    "phone": "Số điện thoại",
    "unit_code": "Mã đơn vị",
    "role": "Vai trò",
    "position": "Chức vụ",
    "group": "Đối tượng",
    "organizer_staff": "Thành viên Ban Tổ chức",
}
PEOPLE_REQUIRED = {"full_name", "email", "phone", "unit_code", "role", "position"}

ROLE_CHOICES = Choices(
    {
        "contestant": ("thí sinh",),
        "unit_manager": ("đầu mối", "cán bộ đầu mối"),
        "admin": ("quản trị", "quản trị viên"),
        "judge": ("giám khảo",),
    }
)
GROUP_CHOICES = Choices(
    {
        "staff": (
            "cán bộ",
            "cán bộ, công chức, viên chức",
            "cán bộ, công chức, viên chức, người lao động",
            "công chức",
            "viên chức",
            "người lao động",
        ),
        "citizen": ("nhân dân", "người dân"),
    }
)
ROLES = ROLE_CHOICES.values
GROUPS = GROUP_CHOICES.values
# DESIGN §7: organizers' own staff take part but win no prize; "no" when absent.
ORGANIZER_STAFF_CHOICES = Choices({"yes": ("có",), "no": ("không",)})

FULL_NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class PersonRecord:
    row: int
    full_name: str
    email: str | None
    phone: str | None
    unit_code: str
    role: str
    position: str | None
    group: str
    organizer_staff: bool = False


def normalize_phone(raw: str) -> str | None:
    """The number in E.164 (+84912345678), read as Vietnamese; None if invalid."""
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(stored: str | None) -> str:
    """A stored number the way people write it: 0912 000 002 (foreign ones: +1 415-555-2671)."""
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, "VN")
    except phonenumbers.NumberParseException:
        return stored
    national = number.country_code == phonenumbers.country_code_for_region("VN")
    style = phonenumbers.PhoneNumberFormat.NATIONAL if national else None
    return phonenumbers.format_number(number, style or phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_email(raw: str) -> str | None:
    """The address normalized and lowercased, or None if it is not valid."""
    try:
        return validate_email(raw, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


# For each login column: normalizer, then the messages for an invalid value,
# one repeated in the file, and one already used by an account.
_LOGINS: dict[str, tuple[Callable[[str], str | None], str, str, str]] = {
    "email": (
        normalize_email,
        messages.BAD_EMAIL,
        messages.DUPLICATE_EMAIL,
        messages.EMAIL_TAKEN,
    ),
    "phone": (
        normalize_phone,
        messages.BAD_PHONE,
        messages.DUPLICATE_PHONE,
        messages.PHONE_TAKEN,
    ),
}


def read_people(
    stream: BinaryIO,
    filename: str,
    unit_codes: Collection[str],
    taken_logins: Collection[str] = (),
) -> ReadResult[PersonRecord]:
    """Read a users file and report every problem.

    `taken_logins` holds the normalized emails and E.164 phones of existing
    accounts.
    """
    units, taken = set(unit_codes), set(taken_logins)
    first_row: dict[str, int] = {}  # normalized login → the row that has it
    records: list[PersonRecord] = []
    problems: list[Problem] = []
    layout = Layout()
    try:
        rows = read_rows(stream, filename, PEOPLE_COLUMNS, PEOPLE_REQUIRED, layout=layout)
        for row, values in rows:
            found: list[Problem] = []
            logins = _logins(row, values, first_row, taken, found)
            record = _person_record(row, values, logins, units, found)
            problems += found
            if record is not None:
                records.append(record)
    except FileRejected as rejected:
        return ReadResult([], layout.locate(problems + rejected.problems))
    return ReadResult(records, layout.locate(problems))


def _person_record(
    row: int,
    values: dict[str, str],
    logins: dict[str, str | None],
    units: set[str],
    found: list[Problem],
) -> PersonRecord | None:
    """The row as a record, or None when it has problems (added to `found`)."""
    full_name = " ".join(values["full_name"].split())
    if not full_name:
        found.append(Problem(row, "full_name", messages.MISSING_FULL_NAME))
    elif len(full_name) > FULL_NAME_MAX_LENGTH:
        params = {"max": FULL_NAME_MAX_LENGTH}
        found.append(Problem(row, "full_name", messages.FULL_NAME_TOO_LONG, params))
    unit_code = values["unit_code"]
    if not unit_code:
        found.append(Problem(row, "unit_code", messages.MISSING_UNIT_CODE))
    elif unit_code not in units:
        params = {"code": unit_code}
        found.append(Problem(row, "unit_code", messages.UNKNOWN_UNIT, params))
    role = ROLE_CHOICES.get(values["role"] or "contestant")
    if role is None:
        params = {"value": values["role"], "accepted": ROLE_CHOICES.accepted}
        found.append(Problem(row, "role", messages.UNKNOWN_ROLE, params))
    group = GROUP_CHOICES.get(values["group"] or "staff")
    if group is None:
        params = {"value": values["group"], "accepted": GROUP_CHOICES.accepted}
        found.append(Problem(row, "group", messages.UNKNOWN_GROUP, params))
    staff = ORGANIZER_STAFF_CHOICES.get(values["organizer_staff"] or "no")
    if staff is None:
        params = {"value": values["organizer_staff"], "accepted": ORGANIZER_STAFF_CHOICES.accepted}
        found.append(Problem(row, "organizer_staff", messages.UNKNOWN_ORGANIZER_STAFF, params))
    if found or role is None or group is None or staff is None:
        return None
    position = values["position"] or None
    email, phone = logins["email"], logins["phone"]
    return PersonRecord(
        row, full_name, email, phone, unit_code, role, position, group, staff == "yes"
    )


def _logins(
    row: int,
    values: dict[str, str],
    first_row: dict[str, int],
    taken: set[str],
    found: list[Problem],
) -> dict[str, str | None]:
    """The row's normalized email and phone; adds their problems to `found`."""
    logins: dict[str, str | None] = {}
    for column, (normalize, invalid, repeated, used) in _LOGINS.items():
        raw = values[column]
        login = normalize(raw) if raw else None
        logins[column] = login
        if raw and login is None:
            found.append(Problem(row, column, invalid, {"value": raw}))
        elif login is None:
            continue
        elif login in first_row:
            params = {"value": raw, "other_row": first_row[login]}
            found.append(Problem(row, column, repeated, params))
        else:
            first_row[login] = row
            if login in taken:
                found.append(Problem(row, column, used, {"value": raw}))
    if not values["email"] and not values["phone"]:
        found.append(Problem(row, "email", messages.MISSING_LOGIN))
    return logins


_HELP = {
    "full_name": "Họ và tên đầy đủ, có dấu (bắt buộc), tối đa 200 ký tự.",
    "email": "Email dùng để đăng nhập. Cần có email hoặc số điện thoại; mỗi email "
    "chỉ dùng cho một tài khoản.",
    "phone": "Số điện thoại dùng để đăng nhập, ví dụ 0912 345 678. Cần có email hoặc "
    "số điện thoại; mỗi số chỉ dùng cho một tài khoản.",
    "unit_code": "Mã đơn vị công tác, đã có trên hệ thống (bắt buộc).",
    "role": f"Vai trò, để trống là thí sinh: {ROLE_CHOICES.accepted}.",
    "position": "Chức vụ, có thể để trống.",
    "group": f"Đối tượng dự thi, để trống là cán bộ: {GROUP_CHOICES.accepted}. Có thể bỏ cột này.",
    "organizer_staff": "Thành viên Ban Tổ chức (được dự thi, không xét giải), để trống là "
    f"không: {ORGANIZER_STAFF_CHOICES.accepted}. Có thể bỏ cột này.",
}
_EXAMPLES = [
    (
        "Nguyễn Văn An",
        "an.nguyen@example.com",
        "0912 345 678",
        "QNG.SKHCN",
        "thí sinh",
        "Chuyên viên",
        "cán bộ",
        "không",
    ),
    (
        "Trần Thị Bình",
        "",
        "0987 654 321",
        "QNG.BINHSON",
        "đầu mối",
        "Phó Chủ tịch UBND xã",
        "cán bộ",
        "có",
    ),
    ("Lê Văn Cường", "cuong.le@example.com", "", "QNG.BINHSON", "", "", "nhân dân", ""),
]


def people_template_xlsx() -> bytes:
    """An example users workbook (sheet "Người dùng") with a help sheet."""
    return template_xlsx("Người dùng", PEOPLE_COLUMNS, PEOPLE_HEADERS, _EXAMPLES, _HELP)
