"""Reading the teams pages' forms: strict, every mistake a DomainError (a 4xx), never a 500."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from ..judging.services import parse_points
from ..judging.teams import MemberInput
from ..query_args import strict_int
from ..timeutil import parse_local

MAX_ROWS = 100


def _bad(message) -> DomainError:
    return DomainError("invalid_form", message, status=400)


def number(form, name: str, *, maximum: int = 10**12, required: bool = True) -> int | None:
    raw = (form.get(name) or "").replace(".", "").replace(" ", "").strip()
    if not raw and not required:
        return None
    value = strict_int(raw, maximum)
    if value is None:
        raise _bad(_l("Vui lòng nhập một số nguyên không âm hợp lệ."))
    return value


def decimal(form, name: str, default: float) -> float:
    raw = (form.get(name) or "").strip().replace(",", ".")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as err:
        raise _bad(_l("Trọng số phải là một số (ví dụ 1 hoặc 1,5).")) from err
    if not 0 <= value <= 1000:
        raise _bad(_l("Trọng số phải từ 0 đến 1.000."))
    return value


def moment(form, name: str) -> datetime | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse_local(raw)
    except ValueError as err:
        raise _bad(_l("Thời điểm không hợp lệ.")) from err


def day(form, name: str) -> date | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as err:
        raise _bad(_l("Ngày không hợp lệ.")) from err


def prizes(form, prefix: str) -> dict:
    out = {}
    for key in ("first", "second", "third", "consolation"):
        count = number(form, f"{prefix}_{key}_count", maximum=100, required=False) or 0
        amount = number(form, f"{prefix}_{key}_amount", required=False) or 0
        out[key] = {"count": count, "amount": amount}
    return out


def criteria(text: str) -> list[tuple[str, int]]:
    """One criterion a line: "title | maximum" (e.g. "Nội dung | 10")."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        title, sep, maximum = line.rpartition("|")
        if not sep:
            raise _bad(_l("Mỗi dòng tiêu chí có dạng “tên | điểm tối đa”."))
        try:
            rows.append((title.strip(), parse_points(maximum)))
        except ValueError as err:
            raise _bad(_l("Điểm tối đa phải là số, cho phép nửa điểm (ví dụ 7,5).")) from err
        if len(rows) > MAX_ROWS:
            raise _bad(_l("Quá nhiều tiêu chí."))
    return rows


def members(form) -> list[MemberInput]:
    """The member rows of the team form: name_i, user_i, main_i, and the captain radio."""
    captain = form.get("captain")
    rows = []
    for i in range(1, 13):
        name = (form.get(f"name_{i}") or "").strip()
        user_raw = (form.get(f"user_{i}") or "").strip()
        user_id = strict_int(user_raw) if user_raw else None
        if user_raw and user_id is None:
            raise _bad(_l("Tài khoản thành viên không hợp lệ."))
        is_main = form.get(f"main_{i}") == "1"
        is_captain = captain == str(i)
        if name or user_id or is_main or is_captain:
            rows.append(MemberInput(name, user_id, is_main, is_captain))
    return rows


def scores(form, criteria_ids: list[int]) -> dict[int, int | None]:
    out: dict[int, int | None] = {}
    for cid in criteria_ids:
        raw = (form.get(f"c{cid}") or "").strip()
        if not raw:
            out[cid] = None
            continue
        try:
            out[cid] = parse_points(raw)
        except ValueError as err:
            raise _bad(_l("Điểm phải là số, cho phép nửa điểm (ví dụ 7,5).")) from err
    return out
