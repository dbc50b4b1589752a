"""The unit manager's dashboard: participation and people of its own unit subtree."""

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from question_bank.people import display_phone

from .. import accounts
from ..disclosure import sees_scores
from ..extensions import db
from ..labels import GROUP_LABELS
from ..models import Round, Unit, User
from ..placement import placement_page
from ..query_args import PAGE_SIZE, id_arg, known_args, page_arg
from ..results import queries as participation
from ..unit_tree import in_tree_order
from ..xlsx import attachment, workbook_bytes
from . import queries, services
from .forms import ApproveForm, PlacementForm
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
