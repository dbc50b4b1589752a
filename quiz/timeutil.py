"""Times: stored in UTC, shown and typed in Asia/Ho_Chi_Minh."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def parse_local(text: str) -> datetime:
    """An ISO 8601 time; one without an offset is read as Vietnam time. Returns UTC."""
    try:
        value = datetime.fromisoformat(text.strip())
        if value.tzinfo is None:
            value = value.replace(tzinfo=LOCAL)
        return value.astimezone(UTC)
    except OverflowError as err:  # e.g. year 1 shifted before datetime.min
        raise ValueError(str(err)) from err


def to_local(value: datetime) -> datetime:
    return value.astimezone(LOCAL)
