"""Pages of judged contests: the public entries page, units' entries and picks, the jury's
queue and score sheet, and the secretariat's settings, grid, standings and exports."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound as HTTPNotFound
from wtforms import SelectChoice

from ..errors import DomainError, NotFound
from ..extensions import db, limiter
from ..headers import CONTENT_SECURITY_POLICY
from ..models import Contest, ContestKind, Entry, Prize, ScoreSheet, Stage, User, utcnow
from ..query_args import PAGE_SIZE, page_arg
from ..xlsx import attachment
from . import exports, media, queries, services, standings
from .forms import (
    ActionForm,
    AssignForm,
    CriteriaForm,
    EntryForm,
    ReachForm,
    RejectForm,
    ReopenForm,
    SettingsForm,
    SpecialPrizeForm,
)
from .paging import paginate
from .setup import FINAL

bp = Blueprint("judging", __name__, url_prefix="/judging")

PRIZE_LABELS = {
    Prize.FIRST: _l("Giải Nhất"),
    Prize.SECOND: _l("Giải Nhì"),
    Prize.THIRD: _l("Giải Ba"),
    Prize.CONSOLATION: _l("Giải Khuyến khích"),
}
# The entries page may frame the players of the video hosts it embeds, nothing else.
ENTRIES_PAGE_POLICY = CONTENT_SECURITY_POLICY + "; frame-src " + " ".join(media.EMBED_HOSTS)


def _entries_contest(slug: str) -> Contest:
    contest = queries.contest_by_slug(slug)
    if contest is None or contest.kind != ContestKind.ENTRIES:
        raise NotFound()
    return contest


def _entry(entry_id: int) -> Entry:
    entry = db.session.get(Entry, entry_id)
    if entry is None:
        raise NotFound()
    return entry


def _final(contest: Contest) -> Stage:
    stage = queries.stage_of(contest, FINAL)
    if stage is None:
        raise NotFound()
    return stage


def _admin() -> None:
    if not current_user.is_authenticated:
        abort(401)
    if not current_user.is_admin:
        raise NotFound()


def _refused(err: DomainError) -> None:
    flash(err.text(), "error")


# Numbers in the current locale (Vietnamese 68,5; English 68.5). What goes back into a form
# field is written without a thousands separator, which parse_points would misread.
GROUPED = "#,##0.##"
PLAIN = "0.##"


def points(half: int | None, pattern: str = GROUPED) -> str:
    """Half points as text in the current locale: 15 → "7,5" (vi) or "7.5" (en), 80 → "40"."""
    if half is None:
        return ""
    return format_decimal(half / 2, pattern)


def score(value: float | None, pattern: str = GROUPED) -> str:
    if value is None:
        return "—"
    return format_decimal(value, pattern)


@bp.app_template_filter("points")
def _points_filter(half):
    return points(half)


@bp.app_template_filter("score")
def _score_filter(value):
    return score(value)


# ---- the public contest page (contest.detail dispatches here) ----


def contest_page(contest: Contest, rules):
    """The page of an entries contest: rules, entries with their videos, voting, and the
    standings once published."""
    settings = queries.settings_of(contest)
    stage = queries.stage_of(contest, FINAL)
    now = utcnow()
    page = db.paginate(
        queries.entries_page_query(contest.id, public=True),
        page=page_arg(),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    in_final = {e.id for e in queries.pool(contest.id, settings)}
    voting = services.voting_open(settings, now)
    votes = queries.vote_counts(contest.id) if settings.votes_public else {}
    mine = queries.my_votes(contest.id, current_user.id) if current_user.is_authenticated else set()
    published = stage is not None and stage.published_at is not None
    response = render_template(
        "judging/contest.html",
        contest=contest,
        settings=settings,
        rules=rules,
        page=page,
        in_final=in_final,
        voting=voting,
        votes=votes,
        mine=mine,
        embed=media.embed_url,
        stage=stage,
        published=published,
        standing=queries.published_standings(stage.id) if published else [],
        special=queries.special_prizes(contest.id) if published else [],
        prize_labels=PRIZE_LABELS,
        form=ActionForm(),
        now=now,
    )
    return response, 200, {"Content-Security-Policy": ENTRIES_PAGE_POLICY}


def _vote_key() -> str:
    # Per account: people behind one office NAT each keep their own allowance.
    return f"vote|{current_user.id if current_user.is_authenticated else request.remote_addr}"


@bp.post("/entries/<int:entry_id>/vote")
@login_required
@limiter.limit("30/minute", key_func=_vote_key)
def vote(entry_id: int):
    entry = _entry(entry_id)
    if ActionForm().validate_on_submit():
        try:
            counted = services.vote(entry, current_user, now=utcnow())
        except DomainError as err:
            if err.status == 404:
                raise
            _refused(err)
        else:
            if counted:
                flash(_("Đã ghi nhận bình chọn của bạn."), "success")
            else:
                flash(_("Bạn đã bình chọn cho tác phẩm này rồi."), "error")
    return redirect(url_for("contest.detail", slug=entry.contest.slug, _anchor=f"entry-{entry.id}"))


@bp.get("/entries/<int:entry_id>/file")
def entry_file(entry_id: int):
    """An uploaded entry, with its stored type; never run in the site's origin."""
    entry = _entry(entry_id)
    owner = current_user.is_authenticated and (
        current_user.is_admin or current_user.unit_id == entry.unit_id
    )
    if entry.file_key is None or (entry.is_rejected and not owner):
        raise NotFound()
    try:
        response = send_from_directory(
            services.files_dir(),
            entry.file_key,
            mimetype=entry.file_type,
            as_attachment=entry.file_type == "application/pdf",
            download_name=entry.file_name,
            conditional=True,
        )
    except HTTPNotFound as err:
        raise NotFound() from err
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# ---- unit managers: our entries, and the preliminary picks of a parent unit ----


def _manager() -> None:
    if not current_user.is_authenticated:
        abort(401)
    if not (current_user.is_manager or current_user.is_admin):
        raise NotFound()


def _upload(form: EntryForm) -> tuple[str, bytes] | None:
    f = form.file.data
    if f is None or not getattr(f, "filename", ""):
        return None
    return f.filename, f.read()


@bp.route("/<slug>/mine", methods=["GET", "POST"])
def mine(slug: str):
    _manager()
    contest = _entries_contest(slug)
    settings = queries.settings_of(contest)
    form = EntryForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                entry = services.register_entry(
                    contest,
                    current_user.unit_id,
                    title=form.title.data,
                    authors=form.authors.data,
                    description=form.description.data,
                    video_url=form.video_url.data,
                    upload=_upload(form),
                    actor=current_user,
                    now=utcnow(),
                )
            except DomainError as err:
                if err.status == 404:
                    raise
                form.form_errors.append(err.text())
            else:
                flash(_("Đã đăng ký tác phẩm “%(title)s”.", title=entry.title), "success")
                return redirect(url_for("judging.mine", slug=slug))
        status = 422
    return (
        render_template(
            "judging/mine.html",
            contest=contest,
            settings=settings,
            entries=queries.contest_entries(contest.id, unit_id=current_user.unit_id),
            picks=queries.sub_unit_entries(contest.id, current_user.unit_id)
            if settings.preliminary_quota
            else [],
            picked=queries.picks_of(contest.id, current_user.unit_id),
            form=form,
            action=ActionForm(),
            now=utcnow(),
        ),
        status,
    )


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
def entry_edit(entry_id: int):
    _manager()
    entry = _entry(entry_id)
    if not (current_user.is_admin or current_user.unit_id == entry.unit_id):
        raise NotFound()
    form = EntryForm(obj=None if request.method == "POST" else entry)
    if form.validate_on_submit():
        try:
            services.update_entry(
                entry,
                title=form.title.data,
                authors=form.authors.data,
                description=form.description.data,
                video_url=form.video_url.data,
                upload=_upload(form),
                actor=current_user,
                now=utcnow(),
            )
        except DomainError as err:
            if err.status == 404:
                raise
            form.form_errors.append(err.text())
        else:
            flash(_("Đã lưu tác phẩm."), "success")
            return redirect(url_for("judging.mine", slug=entry.contest.slug))
    status = 422 if request.method == "POST" else 200
    return render_template("judging/entry_edit.html", entry=entry, form=form), status


@bp.post("/entries/<int:entry_id>/pick")
def pick(entry_id: int):
    return _pick(entry_id, services.pick_entry, _("Đã chọn tác phẩm vào chung kết."))


@bp.post("/entries/<int:entry_id>/unpick")
def unpick(entry_id: int):
    return _pick(entry_id, services.unpick_entry, _("Đã bỏ chọn tác phẩm."))


def _pick(entry_id: int, action, done: str):
    _manager()
    entry = _entry(entry_id)
    if ActionForm().validate_on_submit():
        try:
            action(entry, actor=current_user, now=utcnow())
        except DomainError as err:
            if err.status == 404:
                raise
            _refused(err)
        else:
            flash(done, "success")
    if current_user.is_admin:
        return redirect(url_for("judging.admin_entries", slug=entry.contest.slug))
    return redirect(url_for("judging.mine", slug=entry.contest.slug, _anchor="picks"))


# ---- the jury ----


def _judge() -> None:
    if not current_user.is_authenticated:
        abort(401)
    if current_user.role != "judge":
        raise NotFound()


@bp.get("/jury")
def jury():
    """A judge's queue: each stage they sit on, its entries and their sheets."""
    _judge()
    stages = []
    for stage in queries.judge_stages(current_user.id):
        settings = queries.settings_of(stage.contest)
        rows = queries.judge_queue(stage, current_user, settings)
        # Each stage's list pages on its own; the count covers the whole list.
        param = f"page_{stage.id}"
        page = paginate(rows, page_arg(param))
        done = sum(1 for _, s in rows if s and s.is_submitted)
        totals = queries.sheet_totals([s.id for _, s in page.items if s])
        stages.append((stage, page, param, done, totals))
    return render_template("judging/jury.html", stages=stages)


def _sheet_parts(stage_id: int, entry_id: int):
    stage = db.session.get(Stage, stage_id)
    entry = db.session.get(Entry, entry_id)
    if stage is None or entry is None or entry.contest_id != stage.contest_id:
        raise NotFound()
    settings = queries.settings_of(stage.contest)
    if (
        settings is None
        or not queries.is_assigned(stage.id, current_user.id)
        or queries.is_own_unit(current_user, entry)
        or entry.id not in {e.id for e in queries.pool(stage.contest_id, settings)}
    ):
        raise NotFound()
    return stage, entry


@bp.route("/stages/<int:stage_id>/entries/<int:entry_id>", methods=["GET", "POST"])
def sheet(stage_id: int, entry_id: int):
    """A judge's score sheet for one entry: save a draft, or submit it (locked)."""
    _judge()
    stage, entry = _sheet_parts(stage_id, entry_id)
    criteria = queries.criteria(stage.contest_id)
    existing = queries.judge_sheet(stage.id, current_user.id, entry.id)
    values = (
        {s.criterion_id: points(s.half_points, PLAIN) for s in existing.scores} if existing else {}
    )
    comment = existing.comment if existing else ""
    errors: dict[int, str] = {}
    form_errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = ActionForm()
        submit = "submit" in request.form
        comment = request.form.get("comment", "")
        scores: dict[int, int | None] = {}
        for c in criteria:
            raw = request.form.get(f"c{c.id}", "").strip()
            values[c.id] = raw
            if not raw:
                scores[c.id] = None
                continue
            try:
                half = services.parse_points(raw)
            except ValueError:
                errors[c.id] = _("Nhập điểm là số, cho phép nửa điểm (ví dụ 7,5).")
                continue
            if not 0 <= half <= c.max_half_points:
                errors[c.id] = _("Điểm phải từ 0 đến %(max)s.", max=points(c.max_half_points))
                continue
            scores[c.id] = half
        if not form.validate_on_submit():
            form_errors.append(_("Phiên làm việc đã hết hạn; vui lòng gửi lại."))
        elif not errors:
            try:
                services.save_sheet(
                    stage, current_user, entry, scores, comment, submit=submit, now=utcnow()
                )
            except DomainError as err:
                if err.status == 404:
                    raise
                form_errors.append(err.text())
            else:
                if submit:
                    flash(_("Đã nộp phiếu chấm “%(title)s”.", title=entry.title), "success")
                    return redirect(url_for("judging.jury", _anchor=f"entry-{entry.id}"))
                flash(_("Đã lưu nháp phiếu chấm."), "success")
                return redirect(url_for("judging.sheet", stage_id=stage.id, entry_id=entry.id))
        status = 422
    total = sum(services.parse_points(v) for v in values.values() if _is_points(v))
    return (
        render_template(
            "judging/sheet.html",
            stage=stage,
            entry=entry,
            embed=media.embed_url(entry.video_url),
            criteria=criteria,
            sheet=existing,
            values=values,
            comment=comment,
            errors=errors,
            form_errors=form_errors,
            total=total,
            sheet_max=sum(c.max_half_points for c in criteria),
            form=ActionForm(),
        ),
        status,
        {"Content-Security-Policy": ENTRIES_PAGE_POLICY},
    )


def _is_points(text: str) -> bool:
    try:
        services.parse_points(text)
    except ValueError:
        return False
    return True


# ---- the secretariat ----


def _settings_form_data(settings) -> dict:
    data = {
        key: getattr(settings, key)
        for key in (
            "registration_closes_at",
            "selection_closes_at",
            "voting_opens_at",
            "voting_closes_at",
            "site_votes",
            "votes_public",
        )
    }
    data["preliminary_quota"] = (
        "" if settings.preliminary_quota is None else str(settings.preliminary_quota)
    )
    for key in ("jury_weight", "audience_weight", "vote_factor", "like_factor", "share_factor"):
        data[key] = score(getattr(settings, key), PLAIN)
    data["finalist_count"] = str(settings.finalist_count)
    for prize in standings.PRIZE_ORDER:
        spec = (settings.prizes or {}).get(prize.value) or {}
        data[f"{prize.value}_count"] = str(spec.get("count", 0))
        data[f"{prize.value}_amount"] = str(spec.get("amount", 0))
    return data


def _decimal(text: str) -> float:
    return float((text or "0").strip().replace(",", "."))


def _criteria_text(contest: Contest) -> str:
    return "\n".join(
        f"{c.title} = {points(c.max_half_points, PLAIN)}" for c in queries.criteria(contest.id)
    )


def parse_criteria(text: str) -> list[tuple[str, int]]:
    """Lines "title = maximum" → (title, maximum in half points); ValueError on a bad line."""
    rows = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        title, sep, maximum = line.rpartition("=")
        if not sep or not title.strip():
            raise ValueError(_("Dòng %(n)d: viết “tên tiêu chí = điểm tối đa”.", n=n))
        try:
            rows.append((title.strip(), services.parse_points(maximum)))
        except ValueError as err:
            raise ValueError(
                _("Dòng %(n)d: điểm tối đa phải là số, cho phép nửa điểm.", n=n)
            ) from err
    return rows


def _admin_page(contest: Contest, **forms):
    settings = queries.settings_of(contest)
    settings_form = forms.get("settings_form") or SettingsForm(data=_settings_form_data(settings))
    criteria_form = forms.get("criteria_form") or CriteriaForm(
        data={"criteria": _criteria_text(contest)}
    )
    prize_form = forms.get("prize_form") or SpecialPrizeForm()
    prize_form.entry_id.choices = [SelectChoice(0, _("Chưa trao"))] + [
        SelectChoice(e.id, e.title) for e in queries.pool(contest.id, settings)
    ]
    return render_template(
        "judging/admin.html",
        contest=contest,
        settings=settings,
        settings_form=settings_form,
        criteria_form=criteria_form,
        prize_form=prize_form,
        criteria_locked=queries.has_submitted_sheet(contest.id),
        special=queries.special_prizes(contest.id),
    )


@bp.get("/<slug>/admin")
def admin(slug: str):
    _admin()
    return _admin_page(_entries_contest(slug))


@bp.post("/<slug>/admin/settings")
def admin_settings(slug: str):
    _admin()
    contest = _entries_contest(slug)
    form = SettingsForm()
    if form.validate_on_submit():
        prizes = {
            p.value: {
                "count": int(getattr(form, f"{p.value}_count").data),
                "amount": int(getattr(form, f"{p.value}_amount").data),
            }
            for p in standings.PRIZE_ORDER
        }
        quota = (form.preliminary_quota.data or "").strip()
        try:
            services.update_settings(
                contest,
                actor=current_user,
                now=utcnow(),
                registration_closes_at=form.registration_closes_at.data,
                selection_closes_at=form.selection_closes_at.data,
                preliminary_quota=int(quota) if quota else None,
                voting_opens_at=form.voting_opens_at.data,
                voting_closes_at=form.voting_closes_at.data,
                site_votes=form.site_votes.data,
                votes_public=form.votes_public.data,
                jury_weight=_decimal(form.jury_weight.data),
                audience_weight=_decimal(form.audience_weight.data),
                vote_factor=_decimal(form.vote_factor.data),
                like_factor=_decimal(form.like_factor.data),
                share_factor=_decimal(form.share_factor.data),
                finalist_count=int(form.finalist_count.data),
                prizes=prizes,
            )
        except DomainError as err:
            form.form_errors.append(err.text())
        else:
            flash(_("Đã lưu cài đặt."), "success")
            return redirect(url_for("judging.admin", slug=slug))
    return _admin_page(contest, settings_form=form), 422


@bp.post("/<slug>/admin/criteria")
def admin_criteria(slug: str):
    _admin()
    contest = _entries_contest(slug)
    form = CriteriaForm()
    if form.validate_on_submit():
        try:
            rows = parse_criteria(form.criteria.data)
            services.set_criteria(contest, rows, actor=current_user, now=utcnow())
        except ValueError as err:
            form.criteria.errors = [str(err)]
        except DomainError as err:
            form.form_errors.append(err.text())
        else:
            flash(_("Đã lưu phiếu chấm điểm."), "success")
            return redirect(url_for("judging.admin", slug=slug, _anchor="criteria-h"))
    return _admin_page(contest, criteria_form=form), 422


@bp.post("/<slug>/admin/special-prizes")
def admin_special_prize(slug: str):
    _admin()
    contest = _entries_contest(slug)
    form = SpecialPrizeForm()
    if form.validate_on_submit():
        entry = db.session.get(Entry, form.entry_id.data) if form.entry_id.data else None
        try:
            services.set_special_prize(
                contest,
                form.name.data,
                int(form.amount.data),
                entry,
                actor=current_user,
                now=utcnow(),
            )
        except DomainError as err:
            if err.status == 404:
                raise
            form.form_errors.append(err.text())
        else:
            flash(_("Đã lưu giải đặc biệt."), "success")
            return redirect(url_for("judging.admin", slug=slug, _anchor="special-h"))
    return _admin_page(contest, prize_form=form), 422


@bp.get("/<slug>/admin/entries")
def admin_entries(slug: str):
    _admin()
    contest = _entries_contest(slug)
    settings = queries.settings_of(contest)
    page = db.paginate(
        queries.entries_page_query(contest.id, public=False),
        page=page_arg(),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "judging/admin_entries.html",
        contest=contest,
        settings=settings,
        page=page,
        votes=queries.vote_counts(contest.id),
        reach=queries.reach(contest.id),
        reject_form=RejectForm(),
        reach_form=ReachForm(),
        action=ActionForm(),
    )


@bp.post("/entries/<int:entry_id>/reject")
def reject(entry_id: int):
    _admin()
    entry = _entry(entry_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            services.reject_entry(entry, form.reason.data, actor=current_user, now=utcnow())
        except DomainError as err:
            _refused(err)
        else:
            flash(_("Đã loại tác phẩm “%(title)s”.", title=entry.title), "success")
    else:
        flash(_("Vui lòng nêu lý do loại."), "error")
    return redirect(url_for("judging.admin_entries", slug=entry.contest.slug))


@bp.post("/entries/<int:entry_id>/restore")
def restore(entry_id: int):
    _admin()
    entry = _entry(entry_id)
    if ActionForm().validate_on_submit():
        services.reject_entry(entry, None, actor=current_user, now=utcnow())
        flash(_("Đã nhận lại tác phẩm “%(title)s”.", title=entry.title), "success")
    return redirect(url_for("judging.admin_entries", slug=entry.contest.slug))


@bp.post("/entries/<int:entry_id>/reach")
def reach(entry_id: int):
    _admin()
    entry = _entry(entry_id)
    form = ReachForm()
    if form.validate_on_submit():
        try:
            services.enter_reach(
                entry,
                int(form.likes.data),
                int(form.shares.data),
                form.evidence_url.data,
                actor=current_user,
                now=utcnow(),
            )
        except DomainError as err:
            _refused(err)
        else:
            flash(_("Đã lưu số liệu lan tỏa."), "success")
    else:
        flash(" ".join(e for errs in form.errors.values() for e in errs), "error")
    return redirect(url_for("judging.admin_entries", slug=entry.contest.slug))


@bp.get("/<slug>/admin/jury")
def admin_jury(slug: str):
    """The secretariat's grid: judges × entries, with what is missing."""
    _admin()
    contest = _entries_contest(slug)
    stage = _final(contest)
    settings = queries.settings_of(contest)
    judges = queries.assigned_judges(stage.id)
    entries = queries.pool(contest.id, settings)
    grid = queries.sheet_grid(stage.id)
    form = AssignForm()
    assigned = {j.id for j in judges}
    form.judge_id.choices = [
        SelectChoice(j.id, f"{j.full_name} ({j.unit.name})")
        for j in queries.judges()
        if j.id not in assigned
    ]
    missing = sum(
        1
        for j in judges
        for e in entries
        if not queries.is_own_unit(j, e)
        and not (grid.get((j.id, e.id)) and grid[(j.id, e.id)].is_submitted)
    )
    # The count above is of the whole grid; only the rows shown are paged.
    page = paginate(entries, page_arg())
    shown = {e.id for e in page.items}
    return render_template(
        "judging/admin_jury.html",
        contest=contest,
        stage=stage,
        judges=judges,
        entries=page.items,
        page=page,
        grid=grid,
        totals=queries.sheet_totals([s.id for k, s in grid.items() if k[1] in shown]),
        own=lambda j, e: queries.is_own_unit(j, e),
        missing=missing,
        form=form,
        reopen_form=ReopenForm(),
        action=ActionForm(),
    )


@bp.post("/stages/<int:stage_id>/judges")
def assign(stage_id: int):
    _admin()
    stage = db.get_or_404(Stage, stage_id)
    form = AssignForm()
    form.judge_id.choices = [SelectChoice(j.id, j.full_name) for j in queries.judges()]
    if form.validate_on_submit():
        judge = db.session.get(User, form.judge_id.data)
        if judge is None:
            raise NotFound()
        try:
            services.assign_judge(stage, judge, actor=current_user, now=utcnow())
        except DomainError as err:
            _refused(err)
        else:
            flash(_("Đã phân công giám khảo %(name)s.", name=judge.full_name), "success")
    return redirect(url_for("judging.admin_jury", slug=stage.contest.slug))


@bp.post("/stages/<int:stage_id>/judges/<int:judge_id>/remove")
def unassign(stage_id: int, judge_id: int):
    _admin()
    stage = db.get_or_404(Stage, stage_id)
    judge = db.get_or_404(User, judge_id)
    if ActionForm().validate_on_submit():
        services.unassign_judge(stage, judge, actor=current_user, now=utcnow())
        flash(_("Đã bỏ phân công giám khảo %(name)s.", name=judge.full_name), "success")
    return redirect(url_for("judging.admin_jury", slug=stage.contest.slug))


@bp.post("/sheets/<int:sheet_id>/reopen")
def reopen(sheet_id: int):
    _admin()
    sheet_ = db.get_or_404(ScoreSheet, sheet_id)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            services.reopen_sheet(sheet_, form.reason.data, actor=current_user, now=utcnow())
        except DomainError as err:
            _refused(err)
        else:
            flash(_("Đã mở lại phiếu chấm cho giám khảo."), "success")
    else:
        flash(_("Vui lòng nêu lý do mở lại phiếu."), "error")
    return redirect(url_for("judging.admin_jury", slug=sheet_.stage.contest.slug))


@bp.get("/<slug>/admin/standings")
def admin_standings(slug: str):
    _admin()
    contest = _entries_contest(slug)
    stage = _final(contest)
    settings = queries.settings_of(contest)
    return render_template(
        "judging/admin_standings.html",
        contest=contest,
        stage=stage,
        settings=settings,
        rows=standings.compute(stage, settings),
        prize_labels=PRIZE_LABELS,
        action=ActionForm(),
    )


@bp.post("/stages/<int:stage_id>/publish")
def publish(stage_id: int):
    _admin()
    stage = db.get_or_404(Stage, stage_id)
    if ActionForm().validate_on_submit():
        try:
            services.publish(stage, actor=current_user, now=utcnow())
        except DomainError as err:
            _refused(err)
        else:
            flash(_("Đã công bố kết quả."), "success")
    return redirect(url_for("judging.admin_standings", slug=stage.contest.slug))


@bp.post("/stages/<int:stage_id>/withdraw")
def withdraw(stage_id: int):
    _admin()
    stage = db.get_or_404(Stage, stage_id)
    if ActionForm().validate_on_submit():
        services.withdraw(stage, actor=current_user, now=utcnow())
        flash(_("Đã thu hồi kết quả đã công bố."), "success")
    return redirect(url_for("judging.admin_standings", slug=stage.contest.slug))


@bp.get("/<slug>/admin/export/<what>.xlsx")
def export(slug: str, what: str):
    _admin()
    contest = _entries_contest(slug)
    stage = _final(contest)
    builders = {
        "sheets": exports.judges_sheets,
        "standings": exports.standings_table,
        "payout": exports.payout_list,
    }
    if what not in builders:
        raise NotFound()
    return attachment(builders[what](contest, stage), f"{contest.slug}-{what}.xlsx")


@bp.get("/stages/<int:stage_id>/judges/<int:judge_id>/print")
def print_sheets(stage_id: int, judge_id: int):
    """A judge's score sheets, to print and sign (the judge's own, or any for admins)."""
    if not current_user.is_authenticated:
        abort(401)
    if not (current_user.is_admin or current_user.id == judge_id):
        raise NotFound()
    stage = db.get_or_404(Stage, stage_id)
    judge = db.get_or_404(User, judge_id)
    if not queries.is_assigned(stage.id, judge.id):
        raise NotFound()
    settings = queries.settings_of(stage.contest)
    rows = queries.judge_queue(stage, judge, settings)
    return render_template(
        "judging/print.html",
        stage=stage,
        judge=judge,
        criteria=queries.criteria(stage.contest_id),
        rows=rows,
        totals=queries.sheet_totals([s.id for _, s in rows if s]),
        scores={(s.id, sc.criterion_id): sc.half_points for _, s in rows if s for sc in s.scores},
    )
