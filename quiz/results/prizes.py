"""Prizes: a round's settings (how many of each kind, who may be named) and the rule that
hands them out in ranking order."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from .. import audit
from ..errors import DomainError
from ..extensions import db, lock_row
from ..models import FlagState, Group, Prize, Round, RoundUnitLevel, UnitLevel, User
from .ranking import Entry

PRIZE_ORDER = [Prize.FIRST, Prize.SECOND, Prize.THIRD, Prize.CONSOLATION]

MAX_PRIZES = 9999


def _count(value: object, message) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PRIZES:
        raise DomainError("invalid_prize_count", message, status=422)
    return value


def set_prizes(
    round_: Round,
    counts: dict[str, dict[str, int]],
    unit_prize_count: int,
    unit_min_rate: float,
    *,
    actor: User | None,
    now: datetime,
    publish_all_names: bool = False,
    unit_level: str | None = None,
) -> None:
    """Save how many prizes of each kind a round gives; refused once it is published."""
    locked = lock_row(Round, Round.id == round_.id)
    if locked.results_published_at is not None:
        raise DomainError(
            "already_published",
            _l("Kết quả đợt thi này đã được công bố: không thể thay đổi số giải nữa."),
            status=409,
        )
    message = _l("Số giải phải là số nguyên không âm.")
    clean = {
        group.value: {
            prize.value: _count(counts.get(group.value, {}).get(prize.value, 0), message)
            for prize in Prize
        }
        for group in Group
    }
    units = _count(unit_prize_count, _l("Số giải tập thể phải là số nguyên không âm."))
    if isinstance(unit_min_rate, bool) or not (
        isinstance(unit_min_rate, int | float) and 0 <= unit_min_rate <= 100
    ):
        raise DomainError(
            "invalid_min_rate",
            _l("Tỷ lệ tham gia tối thiểu là một số từ 0 đến 100."),
            status=422,
        )
    level_row = db.session.get(RoundUnitLevel, locked.id)
    before = _prize_settings(locked, level_row.level if level_row else None)
    if unit_level is not None:
        if unit_level not in set(UnitLevel):
            raise DomainError(
                "invalid_unit_level",
                _l("Hãy chọn cấp đơn vị xét giải tập thể trong danh sách."),
                status=422,
            )
        _set_unit_level(locked, unit_level)
    locked.prize_counts = clean
    locked.unit_prize_count = units
    locked.unit_min_rate = float(unit_min_rate)
    locked.publish_all_names = bool(publish_all_names)
    after = _prize_settings(locked, unit_level if unit_level is not None else before["unit_level"])
    audit.record(
        actor, "round.prizes", "round", locked.id, now=now, changes=audit.diff(before, after)
    )
    db.session.commit()


def _prize_settings(round_: Round, unit_level: str | None) -> dict[str, object]:
    """What set_prizes changes, for the audit log's old → new."""
    return {
        "prize_counts": round_.prize_counts,
        "unit_prize_count": round_.unit_prize_count,
        "unit_min_rate": float(round_.unit_min_rate or 0),
        "publish_all_names": bool(round_.publish_all_names),
        "unit_level": unit_level,
    }


def _set_unit_level(round_: Round, level: str) -> None:
    """Keep the level competing for the collective prizes (flush only)."""
    row = db.session.get(RoundUnitLevel, round_.id)
    if row is None:
        db.session.add(RoundUnitLevel(round_id=round_.id, level=level))
    else:
        row.level = level
    db.session.flush()


def with_prizes(round_: Round, group: str, entries: list[Entry]) -> list[Entry]:
    """Hand out the group's prizes in ranking order; organizers' staff win none."""
    counts = (round_.prize_counts or {}).get(group, {})
    queue = [p.value for p in PRIZE_ORDER for _ in range(int(counts.get(p.value, 0)))]
    out = []
    for e in entries:
        prize = None
        pending = e.flag_state == FlagState.PENDING
        if queue and not e.is_organizer_staff and e.correct_count > 0 and not pending:
            prize = queue.pop(0)
        out.append(Entry(**{**e.__dict__, "prize": prize}))
    return out
