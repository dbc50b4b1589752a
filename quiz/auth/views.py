"""Register, log in and out, profile, password."""

from datetime import UTC, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import SelectChoice

from question_bank import display_phone

from .. import unit_tree
from ..config import mail_configured
from ..errors import DomainError
from ..extensions import db, limiter, login_manager, reads_first
from ..labels import GROUP_LABELS
from ..models import utcnow
from ..navigation import local_target
from ..rate_limits import login_key, login_limit
from . import recovery, services, sessions
from .forms import (
    ForgotForm,
    LoginForm,
    LogoutForm,
    PasswordForm,
    ProfileForm,
    RegisterForm,
    ResetForm,
)

bp = Blueprint("auth", __name__, url_prefix="/auth")

login_manager.login_view = "auth.login"
login_manager.login_message = None

# Which form field shows a service's error.
FIELD_OF = {
    "email_taken": "email",
    "invalid_email": "email",
    "phone_taken": "phone",
    "invalid_phone": "phone",
    "login_required": "email",
    "weak_password": "password",
    "password_mismatch": "confirm",
    "unknown_unit": "unit_id",
    "invalid_group": "group",
    "name_required": "full_name",
    "wrong_password": "current",
    "same_password": "new",
    "consent_required": "consent",
}

# Self-registration per address. An office, a commune hall or a school often reaches the
# site through one NAT address, and the units are told to get everyone registered, so a
# whole office may register on the same morning: 30 an hour covers a commune's staff
# (typically 20-40 people since July 2025) with room for typos, 300 a day a large
# department. Bigger groups are imported by the organizers, not self-registered. What
# this stops is the scripted burst (30 accounts in 11 s) that moved a unit's rate;
# whether such accounts count at all is the contest's count_unapproved setting.
REGISTER_LIMITS = "30/hour;300/day"

# The unit search. The picker asks once a pause in typing (a few requests per person
# choosing a unit); 300 a minute lets a whole office behind one address register at once.
UNIT_SEARCH_LIMITS = "300/minute"
# Matches the picker shows: enough to choose from once a few letters are typed, never a
# province's whole list (10,000 units nationally).
UNIT_SEARCH_SIZE = 20
# Matches the no-JavaScript list shows after "Tìm đơn vị".
UNIT_LIST_SIZE = 50


@login_manager.user_loader
def _load_user(session_id: str):
    return sessions.load_user(session_id, utcnow())


@bp.before_app_request
def _keep_session_alive():
    if current_user.is_authenticated:
        sessions.touch_current(utcnow())


@bp.before_app_request
def _force_password_change():
    """An account with a generated password sets its own before anything else."""
    allowed = {"auth.password", "auth.logout", "main.language", "static"}
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in allowed
        and not request.path.startswith("/api/")
    ):
        return redirect(url_for("auth.password"))
    return None


def _attach(form, err: DomainError) -> None:
    field = getattr(form, FIELD_OF.get(err.code, ""), None)
    if field is not None:
        if err.text() not in field.errors:  # the form's own check may have said it already
            field.errors = [*field.errors, err.text()]
    else:
        form.form_errors.append(err.text())


def _fill_units(form) -> None:
    """The select's options: the units matching what was typed (at most UNIT_LIST_SIZE),
    and the unit chosen so far; never the whole list."""
    rows, form.unit_more = unit_tree.search(form.unit_query.data or "", UNIT_LIST_SIZE)
    form.unit_found = len(rows)
    form.unit_searched = bool((form.unit_query.data or "").strip())
    chosen = form.unit_id.data
    form.unit_chosen = next((r for r in rows if r.unit.id == chosen), None)
    if chosen and form.unit_chosen is None:
        form.unit_chosen = unit_tree.labelled_unit(chosen)
        if form.unit_chosen is not None:
            rows = [form.unit_chosen, *rows]
    form.unit_id.choices = [SelectChoice(0, _("— Chọn đơn vị —"))] + [
        SelectChoice(r.unit.id, r.label) for r in rows
    ]
    form.unit_rows = rows


@bp.get("/units/search")
@limiter.limit(UNIT_SEARCH_LIMITS)
def unit_search():
    """The picker's search: at most UNIT_SEARCH_SIZE units matching ?q= (name without
    accents, or code)."""
    rows, more = unit_tree.search(request.args.get("q", ""), UNIT_SEARCH_SIZE)
    response = jsonify(
        units=[
            {"id": r.unit.id, "code": r.unit.code, "name": r.unit.name, "label": r.label}
            for r in rows
        ],
        more=more,
    )
    # Public names, the same for everyone: browsers and proxies may reuse an answer for a
    # minute (a renamed unit shows up within that).
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(REGISTER_LIMITS, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    _fill_units(form)
    if form.search_unit.data:
        # The no-JavaScript unit search: same form, filtered list, nothing saved.
        return render_template("auth/register.html", form=form)
    if form.is_submitted():
        valid = form.validate()
        fields = {
            "full_name": form.full_name.data,
            "email": form.email.data,
            "phone": form.phone.data,
            "password": form.password.data,
            "confirm": form.confirm.data,
            "unit_id": form.unit_id.data,
            "group": form.group.data,
            "consent": bool(form.consent.data),
        }
        # Every mistake at once, not one per submit (a forged form gets none of them).
        problems = [] if "csrf_token" in form.errors else services.registration_problems(**fields)
        for err in problems:
            _attach(form, err)
        if valid and not problems:
            try:
                user = services.register(**fields, now=datetime.now(UTC))
            except DomainError as err:
                _attach(form, err)
            else:
                login_user(user)
                flash(_("Đăng ký thành công. Chào mừng %(name)s!", name=user.full_name), "success")
                return redirect(url_for("main.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@login_limit
@limiter.limit("300/minute", methods=["POST"])
def login():
    reads_first()  # the password check runs outside SQLite's write lock
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.login.data, form.password.data)
        except DomainError as err:
            form.form_errors.append(err.text())
            return render_template(
                "auth/login.html", form=form, recovery=mail_configured(current_app.config)
            ), err.status
        login_user(user)
        if user.must_change_password:
            flash(_("Vui lòng đặt mật khẩu mới trước khi tiếp tục."), "info")
            return redirect(url_for("auth.password"))
        return redirect(local_target(request.args.get("next"), "main.index"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "auth/login.html", form=form, recovery=mail_configured(current_app.config)
    ), status


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        logout_user()
        flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("main.index"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=None if request.method == "POST" else user)
    if request.method == "GET":
        form.phone.data = display_phone(user.phone)  # as people dial it, not +84…
        form.group.data = user.participant_group
        form.unit_id.data = user.unit_id
        form.birth_year.data = str(user.birth_year) if user.birth_year else ""
    # What is no longer the person's own to change is shown, not offered (the service
    # refuses it anyway).
    unit_locked, group_locked = services.placement_locked(user)
    if unit_locked:
        for name in ("unit_id", "unit_query", "search_unit"):
            delattr(form, name)
    else:
        _fill_units(form)
    if group_locked:
        del form.group
    locked = {"unit": unit_locked, "group": group_locked}
    if not unit_locked and form.search_unit.data:
        return render_template(
            "auth/profile.html", form=form, locked=locked, user=user, groups=GROUP_LABELS
        )
    if form.validate_on_submit():
        try:
            services.update_profile(
                user,
                full_name=form.full_name.data,
                email=form.email.data,
                phone=form.phone.data,
                unit_id=None if unit_locked else form.unit_id.data,
                group=None if group_locked else form.group.data,
                position=form.position.data,
                birth_year=int(form.birth_year.data) if form.birth_year.data else None,
            )
        except DomainError as err:
            db.session.rollback()
            _attach(form, err)
        else:
            flash(_("Đã lưu thông tin cá nhân."), "success")
            return redirect(url_for("auth.profile"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "auth/profile.html", form=form, locked=locked, user=user, groups=GROUP_LABELS
    ), status


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    g.no_store = True
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(
                user,
                current=form.current.data,
                new=form.new.data,
                confirm=form.confirm.data,
                now=datetime.now(UTC),
            )
        except DomainError as err:
            _attach(form, err)
        else:
            # The session id carries the password epoch: renew this session's id.
            login_user(user)
            flash(_("Đã đổi mật khẩu."), "success")
            return redirect(url_for("main.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/password.html", form=form), status


# ---- forgotten password: a reset link by e-mail (auth/recovery.py) ----

# Per address: a few links an hour, so nobody floods a person's mailbox; per requesting
# address, enough for an office behind one NAT address.
FORGOT_LIMITS_PER_IP = "10/minute;50/hour"
FORGOT_LIMITS_PER_EMAIL = "3/hour;10/day"
RESET_LIMITS = "20/minute"


def _forgot_email_key() -> str:
    return f"forgot:{login_key(request.form.get('email'))}"


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(FORGOT_LIMITS_PER_IP, methods=["POST"])
@limiter.limit(FORGOT_LIMITS_PER_EMAIL, key_func=_forgot_email_key, methods=["POST"])
def forgot():
    enabled = mail_configured(current_app.config)
    if not enabled and request.method == "POST":
        abort(404)
    form = ForgotForm()
    if enabled and form.validate_on_submit():
        # The job worker sends the mail: the answer is the same, and as fast, whether or
        # not the address has an account.
        recovery.request_link(
            form.email.data or "",
            now=utcnow(),
            locale=str(get_locale() or "vi"),
            base_url=request.url_root,
        )
        flash(
            _(
                "Nếu địa chỉ này là email của một tài khoản, một thư có liên kết đặt lại "
                "mật khẩu vừa được gửi tới đó. Liên kết dùng được một lần, trong %(n)d phút. "
                "Hãy xem cả thư mục thư rác.",
                n=current_app.config["PASSWORD_RESET_MINUTES"],
            ),
            "info",
        )
        return redirect(url_for("auth.forgot"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/forgot.html", form=form, enabled=enabled), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(RESET_LIMITS, methods=["POST"])
def reset_password(token: str):
    g.no_store = True
    now = utcnow()
    if recovery.valid_token(token, now) is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        try:
            recovery.use_link(token, password=form.new.data, confirm=form.confirm.data, now=now)
        except DomainError as err:
            db.session.rollback()
            if err.code == "invalid_reset_link":
                return render_template("auth/reset_invalid.html"), 404
            _attach(form, err)
        else:
            flash(_("Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu mới."), "success")
            return redirect(url_for("auth.login"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/reset.html", form=form), status
