"""Security headers on every response (wired in create_app)."""

from flask import Flask, g, request
from flask_login import current_user

from .config import DEV_ENVS

# Every script and style comes from static/: no inline <script>, no on*= handlers, no
# style="" attributes (a test renders the pages with this policy in Chromium).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _private(response) -> bool:
    """A response that may carry one person's answers, results or details."""
    if request.endpoint == "static":
        return False
    if g.get("no_store"):
        return True
    # What a route marks as public (the same for everyone) stays cacheable.
    if response.cache_control.public:
        return False
    return current_user.is_authenticated


def init_app(app: Flask) -> None:
    production = app.config["APP_ENV"] not in DEV_ENVS
    hsts = f"max-age={app.config['HSTS_SECONDS']}"

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if production:
            # Production runs behind HTTPS only; development on http://localhost must not
            # teach the browser to refuse plain HTTP for that host for a year.
            response.headers.setdefault("Strict-Transport-Security", hsts)
        if _private(response):
            response.headers["Cache-Control"] = "no-store"
        return response
