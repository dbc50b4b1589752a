"""Configuration: defaults here, overridden by environment variables (12-factor)."""

import os
import secrets
from pathlib import Path

DEV_ENVS = {"development", "test"}


def database_url(raw: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL: DATABASE_URL, or a SQLite file under instance/."""
    if not raw:
        return "sqlite:///" + str(Path(instance_path) / "quiz.sqlite3")
    # psycopg 3 is the PostgreSQL driver; accept the usual short schemes.
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _dev_secret_key(instance_path: str) -> str:
    """A key generated once and kept under instance/, so sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Several workers may start at once: the first writer wins, the others read it.
    try:
        with path.open("x") as f:
            f.write(key)
    except FileExistsError:
        return path.read_text().strip()
    return key


def load(instance_path: str, env: os._Environ | dict | None = None) -> dict:
    """Settings from the environment; refuse to run without SECRET_KEY in production."""
    env = os.environ if env is None else env
    app_env = env.get("APP_ENV", "production")
    secret = env.get("SECRET_KEY")
    if not secret:
        if app_env not in DEV_ENVS:
            raise RuntimeError(
                "SECRET_KEY is not set. Set it in the environment "
                "(or APP_ENV=development for a local run)."
            )
        secret = _dev_secret_key(instance_path)
    production = app_env not in DEV_ENVS
    redis_url = env.get("REDIS_URL") or None
    return {
        "APP_ENV": app_env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url(env.get("DATABASE_URL"), instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "1") != "0",
        "RATELIMIT_HEADERS_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ("vi", "en"),
        "CONTEST_NAME": env.get(
            "CONTEST_NAME",
            "Hội thi trực tuyến tìm hiểu về Chuyển đổi số và Cải cách hành chính",
        ),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "1" if production else "0")
        == "1",
        "REMEMBER_COOKIE_SECURE": production,
        "PROXY_FIX": int(env.get("PROXY_FIX", "0")),
        # Submissions faster than this per question are flagged (a round may override).
        "MIN_SECONDS_PER_QUESTION": int(env.get("MIN_SECONDS_PER_QUESTION", "2")),
        # The API sends the token in a header; a token stays valid for the session.
        "WTF_CSRF_TIME_LIMIT": None,
    }
