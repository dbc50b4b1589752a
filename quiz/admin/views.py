"""Admin pages: unit tree, accounts, audit log, contests and rounds."""

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

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
from wtforms import SelectChoice

from question_bank.people import PEOPLE_HEADERS, PEOPLE_REQUIRED, people_template_xlsx
from question_bank.units import UNIT_HEADERS, UNIT_REQUIRED, read_units, units_template_xlsx

from .. import figure_cache
from ..access import admins_only
from ..certificates import queries as certificate_queries
from ..certificates import services as certificate_services
from ..certificates.forms import CertificateSettingForm
from ..contest import queries as contest_queries
from ..contest import services as contest_services
from ..errors import DomainError
from ..extensions import db
from ..jobs import services as jobs
from ..labels import GROUP_LABELS, KIND_LABELS, RANKING_MODE_LABELS, ROLE_LABELS, UNIT_LEVEL_LABELS
from ..legal import queries as legal_queries
from ..manager.forms import PlacementForm
from ..models import (
    AttemptStatus,
    Contest,
    DeletionStatus,
    FlagState,
    Group,
    Role,
    Round,
    Unit,
    Upload,
    User,
    utcnow,
)
from ..navigation import back
from ..placement import placement_page
from ..privacy import services as privacy_services
from ..query_args import PAGE_SIZE, id_arg, page_arg
from ..results import contest_ranking, exports, flags, prizes, publication, statistics
from ..results import ranking as ranking_rules
from ..timeutil import LOCAL
from ..unit_tree import all_units, in_tree_order, registered_counts
from ..xlsx import attachment
from . import audit_log as audit_log_view
from . import queries, services
from .forms import (
    ConfirmForm,
    ContestEditForm,
    ContestForm,
    ContestRankingForm,
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
        file_columns=UNIT_HEADERS,
        file_required=UNIT_REQUIRED,
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
            problems=[(p.row, p.where(_), p.text(_)) for p in result.problems],
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
        return render_template(
            "admin/users_import.html",
            form=form,
            file_columns=PEOPLE_HEADERS,
            file_required=PEOPLE_REQUIRED,
        ), status
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
        problems=[(p.row, p.where(_), p.text(_)) for p in result.problems],
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


def _day_arg(name: str) -> date | None:
    """A day from the audit filters (yyyy-mm-dd from a date field, or dd/mm/yyyy)."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
        # Far years would overflow when shifted to UTC or to the next day.
        if 1900 <= day.year <= 2999:
            return day
    raise DomainError(
        "invalid_date",
        _l("Ngày “%(value)s” không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."),
        value=raw,
    )


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL).astimezone(UTC)


@bp.get("/audit")
def audit_log():
    action = request.args.get("action") or None
    if action is not None and action not in audit_log_view.ACTIONS:
        action = None
    actor = request.args.get("actor", "")[:200]
    error = None
    try:
        start, end = _day_arg("from"), _day_arg("to")
        if start and end and end < start:
            raise DomainError("invalid_range", _l("Ngày kết thúc phải sau ngày bắt đầu."))
    except DomainError as err:
        error, start, end = err.text(), None, None
    page = db.paginate(
        queries.audit_entries(
            action=action,
            actor=actor,
            start=_local_midnight(start) if start else None,
            # The whole of the last day, Vietnam time.
            end=_local_midnight(end + timedelta(days=1)) if end else None,
        ),
        page=page_arg(),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    items = [] if error else page.items
    lines = audit_log_view.lines(items, queries.audit_targets(items))
    return render_template(
        "admin/audit.html",
        page=page,
        lines=lines,
        actions=sorted(
            ((code, audit_log_view.action_name(code)) for code in audit_log_view.ACTIONS),
            key=lambda pair: pair[1],
        ),
        action=action,
        error=error,
    ), (400 if error else 200)


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
    return _contest_page(contest, form, None, status)


def _contest_page(contest, form, certificate_form, status: int):
    if certificate_form is None:
        certificate_form = CertificateSettingForm(
            data=CertificateSettingForm.data_of(certificate_queries.setting(contest.id))
        )
    return render_template(
        "admin/contest_edit.html",
        form=form,
        certificate_form=certificate_form,
        contest=contest,
        states=ROUND_STATES,
        now=utcnow(),
    ), status


@bp.post("/contests/<int:contest_id>/certificates")
def contest_certificates(contest_id: int):
    """Whether the contest issues certificates, and who signs them."""
    contest = db.get_or_404(Contest, contest_id)
    form = CertificateSettingForm()
    if form.validate_on_submit():
        try:
            certificate_services.save_setting(
                contest,
                enabled=form.enabled.data,
                signer_title=form.signer_title.data,
                signer_name=form.signer_name.data,
                actor=current_user,
                now=utcnow(),
            )
        except DomainError as err:
            db.session.rollback()
            form.form_errors.append(err.text())
        else:
            flash(_("Đã lưu cài đặt giấy chứng nhận của hội thi."), "success")
            return redirect(url_for("admin.contest_edit", contest_id=contest.id))
    return _contest_page(contest, ContestEditForm(obj=contest), form, 422)


def _round_page(form: RoundForm, contest: Contest, round_: Round | None, started: int = 0):
    banks = queries.banks_by_name()
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
        bank_topics=queries.bank_topics(),
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
    return _round_page(form, round_.contest, round_, queries.attempt_count(round_.id))


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
        unit_level=ranking_rules.unit_level(round_),
        unit_levels=UNIT_LEVEL_LABELS,
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
        certificates=certificate_queries.issues(round_),
        certificate_form=ConfirmForm(),
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


# ---- the contest-wide ranking over all of a contest's rounds ----


@dataclass(frozen=True)
class ListPage:
    """A page of a list computed outside the ORM, in the shape the pager macro reads."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _ranking_page(
    contest: Contest,
    *,
    form: ContestRankingForm | None = None,
    publish_form: PublishForm | None = None,
    error: str | None = None,
    status: int = 200,
):
    group = request.args.get("group") or Group.STAFF.value
    if group not in set(Group):
        abort(404)
    saved = contest_ranking.settings(contest)
    number = page_arg()
    offset = (number - 1) * PAGE_SIZE

    def build():
        return (
            contest_ranking.count(contest, group),
            contest_ranking.entries(contest, group, offset=offset, limit=PAGE_SIZE),
        )

    if saved.published_at is not None:
        total, rows = build()
    else:
        # The preview reads every attempt of every round: computed once per change of the
        # rounds' results (figure_cache), as the round results page does, not on every visit.
        # The settings are part of the key: saving them shows their effect at once.
        settings_key = (saved.mode, json.dumps(saved.prize_counts or {}, sort_keys=True))
        versions = (*(f"round:{r.id}" for r in contest.rounds), "units")
        total, rows = figure_cache.cached(
            ("admin.contest_ranking", contest.id, group, number, settings_key), versions, build
        )
    page = ListPage(number, PAGE_SIZE, total)
    return render_template(
        "admin/contest_ranking.html",
        contest=contest,
        saved=saved,
        published=saved.published_at is not None,
        group=group,
        groups=GROUP_LABELS,
        modes=RANKING_MODE_LABELS,
        rows=rows,
        page=page,
        prize_labels={p.value: label for p, label in exports.PRIZE_LABELS.items()},
        form=form
        or ContestRankingForm(
            data=ContestRankingForm.data_of(saved.mode, saved.prize_counts or {})
        ),
        publish_form=publish_form or PublishForm(),
        open_rounds=[r for r in contest.rounds if r.closes_at > utcnow()],
        error=error,
    ), status


@bp.get("/contests/<int:contest_id>/ranking")
def contest_ranking_page(contest_id: int):
    return _ranking_page(db.get_or_404(Contest, contest_id))


@bp.post("/contests/<int:contest_id>/ranking")
def contest_ranking_settings(contest_id: int):
    contest = db.get_or_404(Contest, contest_id)
    form = ContestRankingForm()
    if not form.validate_on_submit():
        return _ranking_page(contest, form=form, status=422)
    try:
        contest_ranking.set_settings(contest, **form.settings(), actor=current_user, now=utcnow())
    except DomainError as err:
        db.session.rollback()
        return _ranking_page(contest, form=form, error=err.text(), status=err.status)
    flash(_("Đã lưu cách xếp hạng chung cuộc và số giải."), "success")
    return redirect(url_for("admin.contest_ranking_page", contest_id=contest.id))


@bp.post("/contests/<int:contest_id>/ranking/publish")
def contest_ranking_publish(contest_id: int):
    contest = db.get_or_404(Contest, contest_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return _ranking_page(contest, publish_form=form, status=422)
    try:
        ranked = contest_ranking.publish(contest, actor=current_user, now=utcnow())
    except DomainError as err:
        db.session.rollback()
        return _ranking_page(contest, error=err.text(), status=err.status)
    flash(
        _("Đã công bố xếp hạng chung cuộc: %(n)d người được xếp hạng.", n=ranked),
        "success",
    )
    return redirect(url_for("admin.contest_ranking_page", contest_id=contest.id))


@bp.get("/contests/<int:contest_id>/ranking.xlsx")
def contest_ranking_export(contest_id: int):
    contest = db.get_or_404(Contest, contest_id)
    data = contest_ranking.workbook(contest)
    return attachment(data, f"xep-hang-chung-cuoc-{contest.slug}.xlsx")


@bp.post("/rounds/<int:round_id>/certificates")
def round_certificates(round_id: int):
    """Queue every certificate of the round as one ZIP: tens of thousands of pages outlive
    a request."""
    round_ = db.get_or_404(Round, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not certificate_queries.issues(round_):
        abort(404)
    job = jobs.enqueue(
        "certificates.bundle",
        actor=current_user,
        now=utcnow(),
        # The verification address printed on each certificate: the worker has no request.
        params={"round_id": round_.id, "base_url": request.host_url},
    )
    return redirect(url_for("jobs.detail", job_id=job.id))
