"""Read which named constraint an IntegrityError broke, on SQLite and PostgreSQL."""

from sqlalchemy.exc import IntegrityError


def violated(err: IntegrityError) -> str:
    """The constraint name (PostgreSQL) or the failing columns' text (SQLite)."""
    diag = getattr(err.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return name
    # SQLite: "UNIQUE constraint failed: user_account.email"
    return str(err.orig)


def is_violation(err: IntegrityError, constraint: str, sqlite_hint: str) -> bool:
    text = violated(err)
    return text == constraint or sqlite_hint in text
