"""Configuration: defaults here, overridden by environment variables (12-factor)."""

import os
import secrets
from pathlib import Path

DEV_ENVS = {"development", "test"}
# A session cookie is signed with SECRET_KEY: a short key can be guessed offline.
MIN_SECRET_KEY_BYTES = 32


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
    """A key generated once and kept under instance/, so sessions survive restarts.

    The file is the owner's alone (0600): whoever reads it can forge any session.
    """
    path = Path(instance_path) / "secret_key"
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        pass
    else:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)  # a key file left readable by an older version
        return key
    key = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Several workers may start at once: the first writer wins, the others read it.
    # O_EXCL and the mode at creation: the key is never readable by others, not even
    # for a moment.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(key)
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
    if production and len(secret.encode()) < MIN_SECRET_KEY_BYTES:
        raise RuntimeError(
            f"SECRET_KEY is too short ({len(secret.encode())} bytes): production needs at "
            f"least {MIN_SECRET_KEY_BYTES}. Generate one with: "
            'python -c "import secrets; print(secrets.token_hex(32))"'
        )
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
        # Study material files live here, outside the database, under random names.
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER") or str(Path(instance_path) / "uploads"),
        "MATERIAL_MAX_BYTES": int(env.get("MATERIAL_MAX_MB", "10")) * 1024 * 1024,
        # Uploaded entries of judged contests; shared storage when there are several app
        # servers. Unset: instance/entry_files.
        "JUDGED_FILES_DIR": env.get("JUDGED_FILES_DIR") or None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "1" if production else "0")
        == "1",
        "REMEMBER_COOKIE_SECURE": production,
        "PROXY_FIX": int(env.get("PROXY_FIX", "0")),
        # Sessions end after this long without a request (enforced on the server).
        "SESSION_IDLE_MINUTES": int(env.get("SESSION_IDLE_MINUTES", "120")),
        # Roles that keep one session per account: a new login ends the older ones.
        "SINGLE_SESSION_ROLES": frozenset(
            r.strip()
            for r in env.get("SINGLE_SESSION_ROLES", "contestant").split(",")
            if r.strip() and r.strip() != "none"
        ),
        "HSTS_SECONDS": int(env.get("HSTS_SECONDS", str(365 * 24 * 3600))),
        # Submissions faster than this per question are flagged (a round may override).
        "MIN_SECONDS_PER_QUESTION": int(env.get("MIN_SECONDS_PER_QUESTION", "2")),
        # The API sends the token in a header; a token stays valid for the session.
        "WTF_CSRF_TIME_LIMIT": None,
        # E-mail (Flask-Mailman): the self-service password reset link is offered only
        # where MAIL_SERVER is set; without it people ask their unit manager.
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "1") == "1",
        "MAIL_USE_SSL": env.get("MAIL_USE_SSL", "0") == "1",
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER") or None,
        "MAIL_TIMEOUT": int(env.get("MAIL_TIMEOUT", "10")),
        # The site's address as people reach it (https://thi.example.gov.vn): links in
        # e-mails are built from it, never from the request's Host header.
        "PUBLIC_URL": (env.get("PUBLIC_URL") or "").rstrip("/") or None,
        "PASSWORD_RESET_MINUTES": int(env.get("PASSWORD_RESET_MINUTES", "60")),
    }


def mail_configured(config) -> bool:
    """Whether the organizers set up e-mail (MAIL_SERVER), so reset links can be sent."""
    return bool(config.get("MAIL_SERVER"))
