"""Domain errors and the HTML/JSON error handlers."""

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext, lazy_gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db


class DomainError(Exception):
    """An expected refusal: a code for clients, a translatable message for people."""

    status = 422

    def __init__(self, code: str, message, status: int | None = None, **params):
        super().__init__(code)
        self.code = code
        self.message = message
        self.params = params
        if status is not None:
            self.status = status

    def text(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


class NotFound(DomainError):
    status = 404

    def __init__(self):
        super().__init__("not_found", lazy_gettext("Không tìm thấy trang hoặc dữ liệu yêu cầu."))


class ImportRejected(DomainError):
    """A file that no longer passes its checks (the data changed since the preview)."""

    def __init__(self, problems: list):
        super().__init__(
            "file_rejected",
            lazy_gettext("Tệp có %(n)d lỗi, không nhập gì."),
            n=len(problems),
        )
        self.problems = problems


# What each HTTP status says to a person, in the user's language.
_HTTP_MESSAGES = {
    400: ("bad_request", lazy_gettext("Yêu cầu không hợp lệ.")),
    401: ("unauthorized", lazy_gettext("Bạn cần đăng nhập để tiếp tục.")),
    403: ("forbidden", lazy_gettext("Bạn không có quyền truy cập trang này.")),
    404: ("not_found", lazy_gettext("Không tìm thấy trang hoặc dữ liệu yêu cầu.")),
    405: ("method_not_allowed", lazy_gettext("Phương thức không được hỗ trợ.")),
    413: ("file_too_large", lazy_gettext("Tệp tải lên quá lớn.")),
    415: ("unsupported_media_type", lazy_gettext("Yêu cầu phải gửi dữ liệu JSON.")),
    429: (
        "too_many_requests",
        lazy_gettext("Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút."),
    ),
    500: ("server_error", lazy_gettext("Hệ thống gặp sự cố. Vui lòng thử lại sau.")),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(code: str, message: str, status: int):
    if wants_json():
        return jsonify(error={"code": code, "message": message}), status
    return render_template("error.html", status=status, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(e: DomainError):
        return error_response(e.code, e.text(), e.status)

    @app.errorhandler(CSRFError)
    def csrf_error(_e: CSRFError):
        message = gettext(
            "Phiên làm việc đã hết hạn hoặc thiếu mã bảo mật (CSRF). "
            "Vui lòng tải lại trang và thử lại."
        )
        return error_response("csrf_failed", message, 400)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        status = e.code or 500
        code, message = _HTTP_MESSAGES.get(status, (e.name.lower().replace(" ", "_"), e.name))
        response = make_response(error_response(code, str(message), status))
        if status == 405 and e.valid_methods:
            response.headers["Allow"] = ", ".join(e.valid_methods)
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(DisconnectionError)
    def database_unavailable(_e: Exception):
        # The database is restarting, unreachable or (SQLite) busy past its timeout: nothing
        # was written, and the same request will work again in a few seconds. A 503 with
        # Retry-After says so to people, clients and the reverse proxy, where a 500 would not.
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection may be gone; the pool replaces it
            db.session.remove()
        app.logger.warning("Database unavailable on %s %s", request.method, request.path)
        message = gettext(
            "Hệ thống đang bận hoặc đang khởi động lại. Dữ liệu của bạn không bị thay đổi; "
            "vui lòng thử lại sau ít giây."
        )
        response = make_response(error_response("service_unavailable", message, 503))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        # A failed statement leaves PostgreSQL's transaction aborted; the error page
        # itself queries (current_user), so start it from a clean session.
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        code, message = _HTTP_MESSAGES[500]
        return error_response(code, str(message), 500)
