"""The unit manager's dashboard: participation and people of its own unit subtree."""

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from question_bank.people import display_phone

from .. import accounts
from ..disclosure import sees_scores
from ..extensions import db, limiter
from ..labels import GROUP_LABELS
from ..models import Round, Unit, User, utcnow
from ..placement import placement_page
from ..query_args import PAGE_SIZE, id_arg, known_args, page_arg
from ..results import queries as participation
from ..results.charts import Series, bar_chart
from ..unit_tree import in_tree_order
from ..xlsx import attachment, excel_time, workbook_bytes
from . import queries, services
from .forms import ApproveForm, PlacementForm, ResetPasswordForm
from .queries import IN_PROGRESS, NOT_STARTED, STATUS_RANK, SUBMITTED

bp = Blueprint("manager", __name__, url_prefix="/manager")

STATUS_LABELS = {
    NOT_STARTED: _l("Chưa thi"),
    IN_PROGRESS: _l("Đang thi"),
    SUBMITTED: _l("Đã nộp"),
}


@bp.before_request
@login_required
def _managers_only():
    if not (current_user.is_manager or current_user.is_admin):
        abort(403)


def _chosen_round(rounds: list[Round]) -> Round | None:
    round_id = id_arg("round")
    if round_id is None:
        return rounds[0] if rounds else None
    chosen = next((r for r in rounds if r.id == round_id), None)
    if chosen is None:
        abort(404)
    return chosen


def _status_arg() -> str | None:
    status = request.args.get("status") or None
    if status is not None and status not in STATUS_LABELS:
        abort(400)
    return status


def _people_query(scope: Unit, round_: Round | None, status: str | None):
    return queries.people(scope, round_, status, request.args.get("q", ""), id_arg("unit"))


@bp.get("/")
def index():
    scope = current_user.unit
    now = datetime.now(UTC)
    rounds = queries.rounds(now)
    round_ = _chosen_round(rounds)
    status = _status_arg()
    units = queries.subtree_units(scope)
    page = db.paginate(
        _people_query(scope, round_, status), page=page_arg(), per_page=PAGE_SIZE, error_out=False
    )
    summary = {}
    rows = []
    export_url = None
    if round_ is not None:
        # The export lists what the page shows: the same filters, and only those.
        args = known_args("status", "q", "unit")
        export_url = url_for("manager.export", **{**args, "round": round_.id})
        summary = queries.attempt_summary(round_.id, [u.id for u in page.items])
        # Mean scores only once published (docs/security.md): the prediction's figure.
        scores = sees_scores(round_, current_user)
        rows = [queries.scope_row(scope, round_, scores)] + participation.unit_rows(
            round_id=round_.id, parent=scope, scores=scores
        )
    return render_template(
        "manager/index.html",
        scope=scope,
        units=in_tree_order(units),
        rounds=rounds,
        round=round_,
        published=round_ is not None and round_.results_published_at is not None,
        status=status,
        statuses=STATUS_LABELS,
        summary=summary,
        participation=rows,
        page=page,
        groups=GROUP_LABELS,
        now=now,
        export_url=export_url,
        resettable={u.id for u in page.items if accounts.can_reset_password(current_user, u)},
    )


@bp.get("/export.xlsx")
def export():
    scope = current_user.unit
    rounds = queries.rounds(datetime.now(UTC))
    round_ = _chosen_round(rounds)
    if round_ is None:
        abort(404)
    status = _status_arg()
    published = round_.results_published_at is not None
    names = {r: STATUS_LABELS[s] for s, r in STATUS_RANK.items()}
    headers = [
        _("Họ và tên"),
        _("Đơn vị"),
        _("Mã đơn vị"),
        _("Chức vụ"),
        _("Email"),
        _("Số điện thoại"),
        _("Trạng thái"),
    ]
    if published:
        headers.append(_("Số câu đúng"))
    headers.append(_("Thời điểm nộp"))

    # Built before the workbook: a bad filter answers 4xx before any row is written.
    people = _people_query(scope, round_, status)

    def rows():
        for user, user_rank, best, first_at in queries.export_rows(people, round_.id):
            row = [
                user.full_name,
                user.unit.name,
                user.unit.code,
                user.position or "",
                user.email or "",
                display_phone(user.phone),
                str(names.get(user_rank, STATUS_LABELS[NOT_STARTED])),
            ]
            if published:
                row.append(best)
            row.append(first_at)
            yield row

    heading = [
        (_("Hội thi"), round_.contest.title),
        (_("Đợt thi"), round_.title),
        (_("Đơn vị"), f"{scope.name} ({scope.code})"),
    ]
    data = workbook_bytes({_("Tham gia"): (headers, rows())}, heading=heading)
    return attachment(data, f"tham-gia-{round_.id}.xlsx")


# ---- corrections: a person's unit and group, approvals (DESIGN §3.6) ----


@bp.route("/people/<int:user_id>/placement", methods=["GET", "POST"])
def placement(user_id: int):
    person = db.session.get(User, user_id)
    # Someone outside the manager's reach answers 404, as if there were nobody.
    if person is None or not accounts.can_correct(current_user, person):
        abort(404)
    scope = None if current_user.is_admin else current_user.unit
    page = placement_page(person, PlacementForm(), scope, "manager/placement.html")
    return page or redirect(url_for("manager.index"))


@bp.get("/pending")
def pending():
    page = db.paginate(queries.pending(current_user), per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "manager/pending.html", page=page, form=ApproveForm(), groups=GROUP_LABELS
    )


@bp.post("/pending/approve")
def approve():
    form = ApproveForm()
    if not form.validate_on_submit():
        abort(400)
    ids = [int(v) for v in request.form.getlist("user_id") if v.isascii() and v.isdigit()]
    if not ids:
        flash(_("Chưa chọn người nào để duyệt."), "error")
        return redirect(url_for("manager.pending"))
    n = services.approve(ids, actor=current_user._get_current_object(), now=datetime.now(UTC))
    flash(_("Đã duyệt %(n)d tài khoản.", n=n), "success")
    return redirect(url_for("manager.pending"))


# ---- who never logged in (issue 10) ----

# The printable list holds every row at once; past this, the page asks for a sub-unit.
PRINT_MAX = 2000


def _never_logged_in_query():
    stmt = queries.never_logged_in(current_user.unit, id_arg("unit"))
    if stmt is None:
        abort(404)  # a unit outside the manager's subtree: as if there were none
    return stmt


@bp.get("/never-logged-in")
def never_logged_in():
    scope = current_user.unit
    stmt = _never_logged_in_query()
    page = db.paginate(stmt, page=page_arg(), per_page=PAGE_SIZE, error_out=False)
    whole, children = queries.never_logged_in_by_unit(scope)
    return render_template(
        "manager/never_logged_in.html",
        scope=scope,
        whole=whole,
        children=children,
        units=in_tree_order(queries.subtree_units(scope)),
        page=page,
        args=known_args("unit"),
        resettable={u.id for u in page.items if accounts.can_reset_password(current_user, u)},
    )


@bp.get("/never-logged-in/print")
def never_logged_in_print():
    scope = current_user.unit
    stmt = _never_logged_in_query()
    people = list(db.session.execute(stmt.limit(PRINT_MAX + 1)).scalars())
    unit_id = id_arg("unit")
    chosen = db.session.get(Unit, unit_id) if unit_id else scope
    return render_template(
        "manager/never_logged_in_print.html",
        scope=chosen,
        people=people[:PRINT_MAX],
        more=len(people) > PRINT_MAX,
        limit=PRINT_MAX,
        now=utcnow(),
        args=known_args("unit"),
    )


@bp.get("/never-logged-in.xlsx")
def never_logged_in_export():
    stmt = _never_logged_in_query()
    headers = [
        _("Họ và tên"),
        _("Đơn vị"),
        _("Mã đơn vị"),
        _("Chức vụ"),
        _("Email"),
        _("Số điện thoại"),
        _("Ngày tạo tài khoản"),
    ]

    def rows():
        for user in db.session.execute(stmt).scalars():
            yield [
                user.full_name,
                user.unit.name,
                user.unit.code,
                user.position or "",
                user.email or "",
                display_phone(user.phone),
                excel_time(user.created_at),
            ]

    unit = current_user.unit
    heading = [(_("Đơn vị"), f"{unit.name} ({unit.code})")]
    data = workbook_bytes({_("Chưa đăng nhập"): (headers, rows())}, heading=heading)
    return attachment(data, "chua-dang-nhap.xlsx")


# ---- participation by day in the manager's subtree ----


@bp.get("/trend")
def trend():
    scope = current_user.unit
    now = datetime.now(UTC)
    rounds = queries.rounds(now)
    round_ = _chosen_round(rounds)
    days = queries.day_trend(scope, round_) if round_ is not None else []
    chart = None
    if days:
        chart = bar_chart(
            "chart-unit-days",
            _("Số người tham gia mới theo ngày — %(unit)s", unit=scope.name),
            [d.strftime("%d/%m/%Y") for d, _n, _t in days],
            [Series(_("Người tham gia mới"), [n for _d, n, _t in days])],
            description=_("Mỗi ngày, số người nộp bài lần đầu trong đơn vị. Số liệu ở bảng bên."),
        )
    return render_template(
        "manager/trend.html",
        scope=scope,
        rounds=rounds,
        round=round_,
        days=days,
        chart=chart,
        now=now,
    )


# ---- password reset by the unit manager (issue 10) ----


def _reset_key() -> str:
    """Per manager (the account, not its session or password epoch)."""
    who = current_user.id if current_user.is_authenticated else request.remote_addr
    return f"manager-reset:{who}"


def _reach_or_404(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or not accounts.can_reset_password(current_user, person):
        abort(404)
    return person


@bp.get("/people/<int:user_id>/reset-password")
def reset_password_confirm(user_id: int):
    person = _reach_or_404(user_id)
    return render_template("manager/reset_password.html", person=person, form=ResetPasswordForm())


@bp.post("/people/<int:user_id>/reset-password")
@limiter.limit("20/hour", key_func=_reset_key)
def reset_password(user_id: int):
    _reach_or_404(user_id)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        abort(400)
    person, password = services.reset_password(
        user_id, actor=current_user._get_current_object(), now=utcnow()
    )
    # Shown once, in this response only: never in a flash cookie, never cached.
    g.no_store = True
    return render_template("manager/password_reset.html", person=person, password=password)
