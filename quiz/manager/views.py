"""The unit manager's dashboard: participation and people of its own unit subtree."""

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import case, func
from sqlalchemy.orm import contains_eager

from .. import accounts
from ..admin.queries import user_search_query
from ..admin.views import PAGE_SIZE
from ..disclosure import sees_scores
from ..extensions import db
from ..labels import GROUP_LABELS
from ..models import Attempt, AttemptStatus, Round, Unit, UnitRoundStat, User
from ..placement import placement_page
from ..query_args import id_arg, known_args, page_arg
from ..results import queries as lb_queries
from ..timeutil import to_local
from ..unit_tree import in_tree_order, subtree_filter
from ..xlsx import attachment, workbook_bytes
from .forms import ApproveForm, PlacementForm

bp = Blueprint("manager", __name__, url_prefix="/manager")

# A person's status in a round is the highest rank among their attempts in it:
# none (no attempt) < in progress < finalized (submitted or expired).
NOT_STARTED, IN_PROGRESS, SUBMITTED = "not_started", "in_progress", "submitted"
STATUS_RANK = {IN_PROGRESS: 1, SUBMITTED: 2}
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


def _rounds(now: datetime) -> list[Round]:
    """Open rounds newest first, then closed ones most recent first, then upcoming ones."""
    rounds = list(
        db.session.execute(
            db.select(Round).join(Round.contest).options(contains_eager(Round.contest))
        ).scalars()
    )

    def key(r: Round):
        state = r.state(now)
        if state == "open":
            return (0, -r.opens_at.timestamp(), -r.id)
        if state == "closed":
            return (1, -r.closes_at.timestamp(), -r.id)
        return (2, r.opens_at.timestamp(), r.id)

    return sorted(rounds, key=key)


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


def _attempt_rank():
    """An attempt's status rank: 1 in progress, 2 finalized (submitted or expired)."""
    return case((Attempt.status == AttemptStatus.IN_PROGRESS.value, 1), else_=2)


def _status_rank(round_id: int):
    """The person's status rank in the round (NULL: no attempt), correlated to User."""
    return (
        db.select(func.max(_attempt_rank()))
        .where(Attempt.user_id == User.id, Attempt.round_id == round_id)
        .correlate(User)
        .scalar_subquery()
    )


def _people_query(scope: Unit, round_: Round | None, status: str | None):
    """The search, sub-unit and status filters over the manager's subtree only."""
    stmt = user_search_query(request.args.get("q", ""), id_arg("unit"), None, scope).options(
        contains_eager(User.unit)
    )
    if round_ is not None and status is not None:
        rank = _status_rank(round_.id)
        stmt = stmt.where(rank.is_(None) if status == NOT_STARTED else rank == STATUS_RANK[status])
    return stmt


def _attempt_summary(round_id: int, user_ids: list[int]) -> dict[int, tuple]:
    """(status, best correct count, first submission) per user, in one grouped query."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        db.select(
            Attempt.user_id,
            func.max(_attempt_rank()),
            func.max(Attempt.correct_count),
            func.min(Attempt.submitted_at),
        )
        .where(Attempt.round_id == round_id, Attempt.user_id.in_(user_ids))
        .group_by(Attempt.user_id)
    ).all()
    names = {rank: status for status, rank in STATUS_RANK.items()}
    return {uid: (names[rank], best, first) for uid, rank, best, first in rows}


def _scope_row(scope: Unit, round_: Round, scores: bool) -> lb_queries.Participation:
    stat = db.session.get(UnitRoundStat, (scope.id, round_.id))
    counts, _at = lb_queries.registered(lb_queries.approved_only(round_id=round_.id))
    return lb_queries.Participation(
        scope,
        stat.participants if stat else 0,
        counts.get(scope.id, 0),
        (stat.score_sum if stat else 0) if scores else None,
    )


@bp.get("/")
def index():
    scope = current_user.unit
    now = datetime.now(UTC)
    rounds = _rounds(now)
    round_ = _chosen_round(rounds)
    status = _status_arg()
    units = list(db.session.execute(db.select(Unit).where(subtree_filter(scope))).scalars())
    page = db.paginate(
        _people_query(scope, round_, status), page=page_arg(), per_page=PAGE_SIZE, error_out=False
    )
    summary = {}
    participation = []
    export_url = None
    if round_ is not None:
        # The export lists what the page shows: the same filters, and only those.
        args = known_args("status", "q", "unit")
        export_url = url_for("manager.export", **{**args, "round": round_.id})
        summary = _attempt_summary(round_.id, [u.id for u in page.items])
        # Mean scores only once published (docs/security.md): the prediction's figure.
        scores = sees_scores(round_, current_user)
        participation = [_scope_row(scope, round_, scores)] + lb_queries.unit_rows(
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
        participation=participation,
        page=page,
        groups=GROUP_LABELS,
        now=now,
        export_url=export_url,
    )


@bp.get("/export.xlsx")
def export():
    scope = current_user.unit
    rounds = _rounds(datetime.now(UTC))
    round_ = _chosen_round(rounds)
    if round_ is None:
        abort(404)
    status = _status_arg()
    published = round_.results_published_at is not None
    finalized = (AttemptStatus.SUBMITTED.value, AttemptStatus.EXPIRED.value)

    def per_user(expr):
        return (
            db.select(expr)
            .where(
                Attempt.user_id == User.id,
                Attempt.round_id == round_.id,
                Attempt.status.in_(finalized),
            )
            .correlate(User)
            .scalar_subquery()
        )

    rank = _status_rank(round_.id)
    stmt = (
        _people_query(scope, round_, status)
        .add_columns(rank, per_user(func.max(Attempt.correct_count)))
        .add_columns(per_user(func.min(Attempt.submitted_at)))
        .order_by(None)
        .order_by(Unit.name_search, Unit.code, User.name_search, User.id)
    )
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

    def rows():
        for user, user_rank, best, first_at in db.session.execute(stmt):
            row = [
                user.full_name,
                user.unit.name,
                user.unit.code,
                user.position or "",
                user.email or "",
                user.phone or "",
                str(names.get(user_rank, STATUS_LABELS[NOT_STARTED])),
            ]
            if published:
                row.append(best)
            row.append(to_local(first_at).strftime("%d/%m/%Y %H:%M") if first_at else "")
            yield row

    data = workbook_bytes({_("Tham gia"): (headers, rows())})
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
    page = db.paginate(accounts.pending_query(current_user), per_page=PAGE_SIZE, error_out=False)
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
    n = accounts.approve(ids, actor=current_user._get_current_object(), now=datetime.now(UTC))
    flash(_("Đã duyệt %(n)d tài khoản.", n=n), "success")
    return redirect(url_for("manager.pending"))
