"""Admin pages: unit tree, accounts, audit log, contests and rounds."""

from collections import Counter

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func
from wtforms import SelectChoice

from question_bank.people import people_template_xlsx
from question_bank.units import read_units, units_template_xlsx

from .. import figure_cache
from ..access import admins_only
from ..contest import queries as contest_queries
from ..contest import services as contest_services
from ..errors import DomainError
from ..extensions import db
from ..jobs import services as jobs
from ..labels import GROUP_LABELS, KIND_LABELS, ROLE_LABELS
from ..legal import queries as legal_queries
from ..manager.forms import PlacementForm
from ..models import (
    Attempt,
    AttemptStatus,
    Bank,
    Contest,
    DeletionStatus,
    FlagState,
    Group,
    Question,
    Role,
    Round,
    Topic,
    Unit,
    Upload,
    User,
    utcnow,
)
from ..navigation import back
from ..placement import placement_page
from ..privacy import services as privacy_services
from ..query_args import PAGE_SIZE, id_arg, page_arg
from ..results import exports, flags, prizes, publication, statistics
from ..unit_tree import all_units, in_tree_order, registered_counts
from ..xlsx import attachment
from . import queries, services
from .forms import (
    ConfirmForm,
    ContestEditForm,
    ContestForm,
    FlagForm,
    OrganizerStaffForm,
    PrizeForm,
    PublishForm,
    RoleForm,
    RoundForm,
    UnitForm,
    UploadForm,
)
from .queries import user_search_query

bp = Blueprint("admin", __name__, url_prefix="/admin")


bp.before_request(admins_only)


@bp.get("/")
def index():
    return render_template("admin/index.html")


@bp.get("/units")
def units(form: UploadForm | None = None):
    return render_template(
        "admin/units.html",
        rows=in_tree_order(all_units()),
        registered=registered_counts(),
        kinds=KIND_LABELS,
        form=form or UploadForm(),
    )


@bp.get("/units/template.xlsx")
def units_template():
    return attachment(units_template_xlsx(), "mau-don-vi.xlsx")


@bp.post("/units/upload")
def units_upload():
    form = UploadForm()
    if not form.validate_on_submit():
        return units(form), 422
    upload = form.file.data
    result = read_units(upload.stream, upload.filename or "", services.existing_unit_parents())
    if not result.ok:
        return render_template(
            "admin/upload_report.html",
            form=form,
            filename=upload.filename,
            problems=[(p.row, p.column, p.text(_)) for p in result.problems],
        ), 422
    counts = services.import_units(result.records, actor=current_user, now=utcnow())
    flash(
        _(
            "Đã nhập danh sách đơn vị: %(created)d đơn vị mới, %(updated)d đơn vị cập nhật.",
            **counts,
        ),
        "success",
    )
    return redirect(url_for("admin.units"))


def _parse_rate(raw: str) -> float | None:
    return float(raw.replace(",", ".")) if raw else None


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
def unit_edit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(obj=None if request.method == "POST" else unit)
    if request.method == "GET":
        form.headcount.data = "" if unit.headcount is None else str(unit.headcount)
        form.target_rate.data = "" if unit.target_rate is None else f"{unit.target_rate:g}"
        form.parent_id.data = unit.parent_id or 0
    form.parent_id.choices = [SelectChoice(0, _("— Không có (cấp cao nhất) —"))] + [
        SelectChoice(r.unit.id, "\u00a0\u00a0" * r.depth + r.unit.name)
        for r in in_tree_order(all_units())
        if not r.unit.path.startswith(unit.path)
    ]
    if form.validate_on_submit():
        try:
            services.update_unit(
                unit,
                name=form.name.data,
                kind=form.kind.data,
                parent_id=form.parent_id.data or None,
                headcount=int(form.headcount.data) if form.headcount.data else None,
                target_rate=_parse_rate(form.target_rate.data),
                actor=current_user,
                now=utcnow(),
            )
        except DomainError as err:
            db.session.rollback()
            form.form_errors.append(err.text())
        else:
            flash(_("Đã lưu đơn vị %(name)s.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/unit_edit.html", form=form, unit=unit), status


@bp.get("/users")
def users():
    unit_id = id_arg("unit")
    role = request.args.get("role") or None
    if role and role not in set(Role):
        role = None
    page = db.paginate(
        user_search_query(request.args.get("q", ""), unit_id, role),
        page=page_arg(),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "admin/users.html",
        page=page,
        roles=ROLE_LABELS,
        units=in_tree_order(all_units()),
        role_form=RoleForm(),
        confirm_form=ConfirmForm(),
        upload_form=UploadForm(),
    )


@bp.post("/users/<int:user_id>/role")
def user_role(user_id: int):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            services.set_role(user, form.role.data, actor=current_user, now=utcnow())
        except DomainError as err:
            db.session.rollback()
            flash(err.text(), "error")
        else:
            flash(
                _(
                    "Đã đổi vai trò của %(name)s thành “%(role)s”.",
                    name=user.full_name,
                    role=ROLE_LABELS[Role(user.role)],
                ),
                "success",
            )
    else:
        flash(_("Vai trò không hợp lệ."), "error")
    return redirect(back("admin.users"))


@bp.post("/users/<int:user_id>/reset-password")
def user_reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    password = services.reset_password(user, actor=current_user, now=utcnow())
    # Shown once, in this response only: never put a password in a flash cookie.
    g.no_store = True
    return render_template("admin/password_reset.html", user=user, password=password)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_edit(user_id: int):
    """An admin corrects a person's unit (a manager's or admin's reach) and group."""
    person = db.get_or_404(User, user_id)
    staff_form = OrganizerStaffForm(data={"organizer_staff": person.is_organizer_staff})
    page = placement_page(
        person,
        PlacementForm(),
        None,
        "admin/user_edit.html",
        roles=ROLE_LABELS,
        staff_form=staff_form,
    )
    return page or redirect(url_for("admin.users", q=person.login))


@bp.post("/users/<int:user_id>/organizer-staff")
def user_organizer_staff(user_id: int):
    """Organizers' own staff take part but win no prize (DESIGN §3.5)."""
    person = db.get_or_404(User, user_id)
    form = OrganizerStaffForm()
    if not form.validate_on_submit():
        abort(400)
    flag = form.organizer_staff.data
    services.set_organizer_staff(person, flag, actor=current_user, now=utcnow())
    if flag:
        flash(
            _("%(name)s là thành viên Ban Tổ chức: không xét giải.", name=person.full_name),
            "success",
        )
    else:
        flash(_("%(name)s không còn là thành viên Ban Tổ chức.", name=person.full_name), "success")
    return redirect(url_for("admin.user_edit", user_id=person.id))


@bp.get("/deletion-requests")
def deletion_requests():
    status = request.args.get("status", DeletionStatus.PENDING.value)
    if status not in set(DeletionStatus):
        status = None
    page = db.paginate(privacy_services.requests_query(status), per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "admin/deletion_requests.html", page=page, status=status, form=ConfirmForm()
    )


@bp.post("/deletion-requests/<int:request_id>/<any(approve, reject):decision>")
def deletion_decide(request_id: int, decision: str):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        privacy_services.decide(
            request_id, approve=decision == "approve", actor=current_user, now=utcnow()
        )
    except DomainError as err:
        db.session.rollback()
        if err.status == 404:
            abort(404)
        flash(err.text(), "error")
    else:
        if decision == "approve":
            flash(_("Đã xóa (ẩn danh hóa) dữ liệu cá nhân của tài khoản."), "success")
        else:
            flash(_("Đã từ chối yêu cầu xóa dữ liệu."), "info")
    return redirect(url_for("admin.deletion_requests"))


@bp.get("/users/template.xlsx")
def users_template():
    return attachment(people_template_xlsx(), "mau-tai-khoan.xlsx")


@bp.route("/users/import", methods=["GET", "POST"])
def users_import():
    form = UploadForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("admin/users_import.html", form=form), status
    upload = services.stash_people(
        current_user, form.file.data.filename or "", form.file.data.read(), now=utcnow()
    )
    return redirect(url_for("admin.users_preview", upload_id=upload.id))


def _own_people_upload(upload_id: int) -> Upload:
    upload = db.session.get(Upload, upload_id)
    if upload is None or upload.user_id != current_user.id or upload.kind != "people":
        abort(404)
    return upload


def _people_preview(upload: Upload, result, status: int = 200):
    g.no_store = True  # names, emails and phone numbers
    records = result.records if result.ok else []
    return render_template(
        "admin/users_preview.html",
        upload=upload,
        records=records,
        elevated=[r for r in records if r.role in services.ELEVATED_ROLES],
        per_role=sorted(Counter(r.role for r in records).items()),
        per_unit=len({r.unit_code for r in records}),
        problems=[(p.row, p.column, p.text(_)) for p in result.problems],
        roles=ROLE_LABELS,
        groups=GROUP_LABELS,
    ), (status if result.ok else 422)


@bp.get("/users/imports/<int:upload_id>")
def users_preview(upload_id: int):
    upload = _own_people_upload(upload_id)
    return _people_preview(upload, services.read_people_file(upload.data, upload.filename))


@bp.post("/users/imports/<int:upload_id>/confirm")
def users_confirm(upload_id: int):
    """Queue the import: 50,000 accounts outlive a request; the job page shows progress."""
    upload = _own_people_upload(upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    elevate = {int(v) for v in request.form.getlist("elevate") if v.isdigit() and len(v) < 9}
    job = jobs.enqueue(
        "users.import",
        actor=current_user,
        now=utcnow(),
        params={"elevate": sorted(elevate)},
        upload_id=upload.id,
    )
    return redirect(url_for("jobs.detail", job_id=job.id))


@bp.get("/audit")
def audit_log():
    page = db.paginate(
        queries.audit_entries(),
        page=page_arg(),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template("admin/audit.html", page=page)


ROUND_STATES = {
    "upcoming": _l("Sắp mở"),
    "open": _l("Đang mở"),
    "closed": _l("Đã đóng"),
}
# Which field a refusal of the contest services is about; others go above the form.
CONTEST_ERROR_FIELDS = {"invalid_slug": "slug", "slug_taken": "slug", "title_required": "title"}
ROUND_ERROR_FIELDS = {
    "title_required": "title",
    "invalid_window": "closes_at",
    "invalid_time_limit": "time_limit_minutes",
    "time_limit_too_long": "time_limit_minutes",
    "invalid_question_count": "question_count",
    "invalid_attempts": "attempts_allowed",
    "invalid_grace": "grace_seconds",
    "invalid_prediction_type": "prediction",
    "invalid_review_policy": "review_policy",
    "invalid_draw": "draws",
    "draws_exceed_count": "draws",
    "bank_too_small": "draws",
    "bank_too_small_total": "question_count",
    "unknown_bank": "bank_id",
}


def _refused(form, err: DomainError, fields: dict[str, str]) -> None:
    """Show a service's refusal on the form; the transaction is undone, nothing saved."""
    db.session.rollback()
    name = fields.get(err.code)
    if name:
        form[name].errors = [*form[name].errors, err.text()]
    else:
        form.form_errors.append(err.text())


def _bank_topics() -> dict[int, list[tuple[str, int]]]:
    """Drawable questions (current, not retired) per bank and topic, in one query."""
    rows = db.session.execute(
        db.select(Question.bank_id, Topic.name, func.count(Question.id))
        .join(Topic, Topic.id == Question.topic_id)
        .where(Question.is_current, Question.retired_at.is_(None))
        .group_by(Question.bank_id, Topic.name)
        .order_by(Question.bank_id, Topic.name)
    ).all()
    topics: dict[int, list[tuple[str, int]]] = {}
    for bank_id, name, n in rows:
        topics.setdefault(bank_id, []).append((name, n))
    return topics


@bp.get("/contests")
def contests(form: ContestForm | None = None):
    rows = queries.contests_newest_first()
    return render_template(
        "admin/contests.html",
        contests=rows,
        counts=contest_queries.round_counts([r.id for c in rows for r in c.rounds]),
        statuses=AttemptStatus,
        states=ROUND_STATES,
        now=utcnow(),
        form=form or ContestForm(),
    )


@bp.post("/contests")
def contest_create():
    form = ContestForm()
    if form.validate_on_submit():
        try:
            contest = contest_services.create_contest(
                form.slug.data,
                form.title.data,
                form.rules.data,
                kind=form.kind.data,
                actor=current_user,
                now=utcnow(),
            )
        except DomainError as err:
            _refused(form, err, CONTEST_ERROR_FIELDS)
        else:
            flash(_("Đã tạo hội thi “%(title)s”.", title=contest.title), "success")
            return redirect(url_for("admin.contests", _anchor=f"contest-{contest.id}"))
    return contests(form), 422


@bp.route("/contests/<int:contest_id>/edit", methods=["GET", "POST"])
def contest_edit(contest_id: int):
    contest = db.get_or_404(Contest, contest_id)
    form = ContestEditForm(obj=None if request.method == "POST" else contest)
    if form.validate_on_submit():
        try:
            contest_services.update_contest(
                contest,
                form.title.data,
                form.rules.data,
                actor=current_user,
                now=utcnow(),
                count_unapproved=form.count_unapproved.data,
            )
        except DomainError as err:
            _refused(form, err, CONTEST_ERROR_FIELDS)
        else:
            flash(_("Đã lưu hội thi “%(title)s”.", title=contest.title), "success")
            return redirect(url_for("admin.contests", _anchor=f"contest-{contest.id}"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "admin/contest_edit.html", form=form, contest=contest, states=ROUND_STATES, now=utcnow()
    ), status


def _round_page(form: RoundForm, contest: Contest, round_: Round | None, started: int = 0):
    banks = db.session.execute(db.select(Bank).order_by(Bank.name)).scalars().all()
    form.bank_id.choices = [SelectChoice(b.id, b.name) for b in banks]
    form.citizen_bank_id.choices = [SelectChoice(0, _("— Dùng chung ngân hàng trên —"))] + [
        SelectChoice(b.id, b.name) for b in banks
    ]
    if form.validate_on_submit():
        settings = form.settings()
        try:
            if round_ is None:
                round_ = contest_services.create_round(
                    contest, settings, actor=current_user, now=utcnow()
                )
            else:
                contest_services.update_round(round_, settings, actor=current_user, now=utcnow())
        except DomainError as err:
            _refused(form, err, ROUND_ERROR_FIELDS)
        else:
            flash(_("Đã lưu đợt thi “%(title)s”.", title=round_.title), "success")
            for warning in legal_queries.round_warning_messages(round_):
                flash(warning, "warning")
            return redirect(url_for("admin.contests", _anchor=f"contest-{contest.id}"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "admin/round_edit.html",
        form=form,
        contest=contest,
        round=round_,
        started=started,
        banks=banks,
        bank_topics=_bank_topics(),
    ), status


@bp.route("/contests/<int:contest_id>/rounds/new", methods=["GET", "POST"])
def round_new(contest_id: int):
    contest = db.get_or_404(Contest, contest_id)
    return _round_page(RoundForm(), contest, None)


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
def round_edit(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    saved = RoundForm.data_of(round_)
    if request.method == "POST":
        # The saved times only, so a minute sent back unchanged keeps its seconds.
        saved = {name: saved[name] for name in ("opens_at", "closes_at")}
    form = RoundForm(data=saved)
    started = db.session.scalar(
        db.select(func.count()).select_from(Attempt).where(Attempt.round_id == round_.id)
    )
    return _round_page(form, round_.contest, round_, started)


# ---- results: prizes, preview, publication, statistics, export ----

RESULTS_TOP = 50  # rows of each group's ranking shown on the page (the export has them all)


def _results_page(
    round_: Round,
    *,
    prize_form: PrizeForm | None = None,
    publish_form: PublishForm | None = None,
    error: str | None = None,
    status: int = 200,
):
    stats = statistics.statistics(round_)
    groups = [g for g in Group if g.value in stats.groups]
    # The ranking and the per-question figures read every attempt of the round: computed
    # once per change of the round's results (figure_cache), not on every visit.
    versions = (f"round:{round_.id}", "units")

    def ranking(group: str):
        return figure_cache.cached(
            ("admin.results.ranking", round_.id, group),
            versions,
            lambda: exports.result_rows(round_, group, RESULTS_TOP),
        )

    return render_template(
        "admin/results.html",
        round=round_,
        published=round_.results_published_at is not None,
        groups=[(g.value, GROUP_LABELS[g], ranking(g.value)) for g in groups],
        top=RESULTS_TOP,
        ranked=statistics.ranked_counts(round_, stats),
        figure=exports.figure(round_),
        collective=exports.collective_rows(round_),
        questions=figure_cache.cached(
            ("admin.results.questions", round_.id),
            versions,
            lambda: exports.question_stats(round_),
        ),
        stats=stats,
        buckets=statistics.BUCKETS,
        prize_labels={p.value: label for p, label in exports.PRIZE_LABELS.items()},
        kinds=KIND_LABELS,
        prize_form=prize_form or PrizeForm(data=PrizeForm.data_of(round_)),
        publish_form=publish_form or PublishForm(),
        flagged=flags.flagged(round_),
        flag_form=FlagForm(),
        min_seconds=flags.min_seconds(round_),
        error=error,
        now=utcnow(),
    ), status


@bp.get("/rounds/<int:round_id>/results")
def round_results(round_id: int):
    return _results_page(db.get_or_404(Round, round_id))


@bp.post("/rounds/<int:round_id>/prizes")
def round_prizes(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = PrizeForm()
    if not form.validate_on_submit():
        return _results_page(round_, prize_form=form, status=422)
    try:
        prizes.set_prizes(round_, **form.settings(), actor=current_user, now=utcnow())
    except DomainError as err:
        db.session.rollback()
        return _results_page(round_, prize_form=form, error=err.text(), status=err.status)
    flash(_("Đã lưu số giải của đợt thi “%(title)s”.", title=round_.title), "success")
    return redirect(url_for("admin.round_results", round_id=round_.id, _anchor="prizes-h"))


@bp.post("/rounds/<int:round_id>/publish")
def round_publish(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return _results_page(round_, publish_form=form, status=422)
    try:
        ranked = publication.publish(round_, actor=current_user, now=utcnow())
    except DomainError as err:
        db.session.rollback()
        return _results_page(round_, error=err.text(), status=err.status)
    flash(
        _(
            "Đã công bố kết quả đợt thi “%(title)s”: %(n)d người được xếp hạng.",
            title=round_.title,
            n=ranked,
        ),
        "success",
    )
    return redirect(url_for("admin.round_results", round_id=round_.id))


@bp.post("/rounds/<int:round_id>/flags/<int:attempt_id>")
def round_flag(round_id: int, attempt_id: int):
    round_ = db.get_or_404(Round, round_id)
    form = FlagForm()
    if not form.validate_on_submit():
        return _results_page(round_, status=422)
    decision = FlagState.CLEARED.value if form.clear.data else FlagState.CONFIRMED.value
    try:
        flags.decide(round_, attempt_id, decision, actor=current_user, now=utcnow())
    except DomainError as err:
        db.session.rollback()
        return _results_page(round_, error=err.text(), status=err.status)
    flash(_("Đã ghi nhận quyết định về bài nộp quá nhanh."), "success")
    return redirect(url_for("admin.round_results", round_id=round_.id, _anchor="flags-h"))


@bp.post("/rounds/<int:round_id>/export")
def round_export(round_id: int):
    """Queue the results export: a national round's workbook outlives a request."""
    round_ = db.get_or_404(Round, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = jobs.enqueue(
        "results.export", actor=current_user, now=utcnow(), params={"round_id": round_.id}
    )
    return redirect(url_for("jobs.detail", job_id=job.id))
