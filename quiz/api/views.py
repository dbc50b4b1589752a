"""JSON API v1 (DESIGN.md §5). This part: session and CSRF."""

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import login_user
from flask_wtf.csrf import generate_csrf

from ..auth import services as auth_services
from ..auth.views import login_rate_key
from ..errors import DomainError
from ..extensions import limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def json_body() -> dict:
    """The request's JSON object, or a 400 with a readable message."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError(
            "invalid_json", _("Nội dung yêu cầu phải là một đối tượng JSON hợp lệ."), status=400
        )
    return data


@bp.get("/auth/csrf")
def csrf_token():
    return jsonify(csrf_token=generate_csrf())


@bp.post("/auth/login")
@limiter.limit("10/minute", key_func=login_rate_key)
@limiter.limit("300/minute")
def login():
    data = json_body()
    login_value, password = data.get("login"), data.get("password")
    if not isinstance(login_value, str) or not isinstance(password, str):
        raise DomainError(
            "invalid_request",
            _("Cần gửi login và password dạng chuỗi ký tự."),
            status=400,
        )
    user = auth_services.authenticate(login_value, password)
    login_user(user)
    return jsonify(
        user={
            "id": user.id,
            "full_name": user.full_name,
            "unit_code": user.unit.code,
            "role": user.role,
            "must_change_password": user.must_change_password,
        },
        # Logging in starts a new session: hand back the token that goes with it.
        csrf_token=generate_csrf(),
    )
