"""Rate-limit keys that the login page and the login API share."""

import unicodedata

from flask import request

from question_bank.people import normalize_email, normalize_phone

from .extensions import limiter


def login_key(raw: object) -> str:
    """One key per account however its login is typed.

    An email is normalized and lower-cased, a phone number becomes E.164 (so
    0912000002, +84912000002, 0912-000-002 and full-width digits are one key), and
    anything else is NFKC-folded text: a new spelling never buys a new set of tries.
    """
    if not isinstance(raw, str):
        return ""
    text = " ".join(unicodedata.normalize("NFKC", raw).casefold().split())
    if not text:
        return ""
    if "@" in text:
        return normalize_email(text) or text
    return normalize_phone(text) or text


def login_rate_key() -> str:
    """Address and normalized login of a login request (form or JSON, any body)."""
    raw = request.form.get("login")
    if raw is None:
        data = request.get_json(silent=True)
        # A body that is an array, a number or null has no login: the view answers 400.
        raw = data.get("login") if isinstance(data, dict) else None
    return f"{request.remote_addr}|{login_key(raw)}"


# Ten tries a minute per address and account, counted once for the login page and
# the login API together (one scope), so switching door buys no extra tries.
login_limit = limiter.shared_limit(
    "10/minute", scope="login-account", key_func=login_rate_key, methods=["POST"]
)
