"""Teams contests (DESIGN.md §9): the organizers' pages, the unit manager's team form, the
judges' sheets, published results, and the stage screens of the live knowledge part
(control, presenter, team device) with the small JSON state they poll about once a second."""

import hmac
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import disclosure
from ..bank import queries as bank_queries
from ..errors import DomainError, NotFound
from ..extensions import db, limiter
from ..judging import live, live_scoring, teams, teams_exports, teams_standings
from ..judging import queries as judging_queries
from ..judging import services as judging_services
from ..judging import teams_queries as queries
from ..judging.paging import paginate
from ..models import (
    Cluster,
    Contest,
    ContestKind,
    LiveRun,
    Stage,
    Team,
    TeamPart,
    TeamSheet,
    Topic,
    User,
    utcnow,
)
from ..query_args import PAGE_SIZE, id_arg, known_args, page_arg, strict_int
from ..timeutil import to_local
from ..xlsx import attachment
from . import forms

bp = Blueprint("teams", __name__, url_prefix="/teams")

DEVICE_KEY = "team_device"
# A device's code login: a few tries a minute per address (codes are random, 50 bits).
DEVICE_LOGIN_LIMIT = "10/minute"


@bp.errorhandler(DomainError)
def _domain_error(err: DomainError):
    """JSON for the screens' calls, a flashed message and the page again for forms."""
    if request.path.endswith(".json"):
        return jsonify(error={"code": err.code, "message": err.text()}), err.status
    if request.method == "POST" and err.status in (400, 409, 422):
        flash(err.text(), "error")
        # Back to the page the form was on, if it is one of ours.
        back_to = request.referrer or ""
        if urlsplit(back_to).netloc != request.host:
            back_to = url_for("main.index")
        return redirect(back_to, code=303)
    return render_template("error.html", status=err.status, message=err.text()), err.status


def _contest(slug: str) -> Contest:
    contest = judging_queries.contest_by_slug(slug)
    if contest is None or contest.kind != ContestKind.TEAMS:
        raise NotFound()
    return contest


def _stage(contest: Contest, key: str) -> Stage:
    stage = judging_queries.stage_of(contest, key)
    if stage is None:
        raise NotFound()
    return stage


def _admin() -> None:
    if not current_user.is_authenticated:
        abort(401)
    if not current_user.is_admin:
        raise NotFound()


def _get(model, raw_id) -> object:
    value = strict_int(str(raw_id)) if raw_id is not None else None
    row = db.session.get(model, value) if value is not None else None
    if row is None:
        raise NotFound()
    return row


# ---- organizers ----


@bp.get("/<slug>/manage")
@login_required
def manage(slug: str):
    _admin()
    contest = _contest(slug)
    settings = queries.settings_of(contest)
    clusters = queries.clusters(contest.id)
    stages = judging_queries.stages(contest)
    return render_template(
        "teams/manage.html",
        contest=contest,
        settings=settings,
        parts=queries.parts(contest.id),
        criteria={p.id: queries.part_criteria(p.id) for p in queries.parts(contest.id)},
        clusters=clusters,
        stages=stages,
        teams=queries.teams(contest.id),
        breaking=teams.teams_breaking_rules(contest),
        drawn={c.id: bool(queries.draw(c.stage_id)) for c in clusters},
        closes_local=to_local(settings.registration_closes_at).strftime("%Y-%m-%dT%H:%M")
        if settings.registration_closes_at
        else "",
    )


@bp.post("/<slug>/settings")
@login_required
def settings_update(slug: str):
    _admin()
    contest = _contest(slug)
    f = request.form
    teams.update_settings(
        contest,
        min_members=forms.number(f, "min_members", maximum=100),
        max_members=forms.number(f, "max_members", maximum=100),
        main_members=forms.number(f, "main_members", maximum=100),
        registration_closes_at=forms.moment(f, "registration_closes_at"),
        finalists_per_cluster=forms.number(f, "finalists_per_cluster", maximum=100),
        cluster_prizes=forms.prizes(f, "cluster"),
        final_prizes=forms.prizes(f, "final"),
        actor=current_user,
        now=utcnow(),
    )
    flash(_("Đã lưu thể lệ hội thi đội."), "success")
    return redirect(url_for("teams.manage", slug=slug), code=303)


@bp.post("/<slug>/parts")
@login_required
def part_add(slug: str):
    _admin()
    contest = _contest(slug)
    f = request.form
    live_part = f.get("live") == "1"
    teams.add_part(
        contest,
        f.get("name", ""),
        forms.criteria(f.get("criteria", "")),
        weight=forms.decimal(f, "weight", 1.0),
        special_prize=f.get("special_prize") or None,
        special_amount=forms.number(f, "special_amount", required=False) or 0,
        live=live_part,
        seconds_per_question=forms.number(f, "seconds_per_question", maximum=600, required=False)
        or 30,
        points_correct=forms.number(f, "points_correct", maximum=1000, required=False) or 0,
        speed_bonus=forms.number(f, "speed_bonus", maximum=1000, required=False) or 0,
        wrong_penalty=forms.number(f, "wrong_penalty", maximum=1000, required=False) or 0,
        actor=current_user,
        now=utcnow(),
    )
    flash(_("Đã thêm phần thi."), "success")
    return redirect(url_for("teams.manage", slug=slug), code=303)


@bp.post("/<slug>/parts/<int:part_id>")
@login_required
def part_update(slug: str, part_id: int):
    _admin()
    contest = _contest(slug)
    part = _get(TeamPart, part_id)
    if part.contest_id != contest.id:
        raise NotFound()
    f = request.form
    teams.update_part(
        part,
        f.get("name", ""),
        forms.criteria(f.get("criteria", "")),
        weight=forms.decimal(f, "weight", 1.0),
        special_prize=f.get("special_prize") or None,
        special_amount=forms.number(f, "special_amount", required=False) or 0,
        seconds_per_question=forms.number(f, "seconds_per_question", maximum=600, required=False)
        or part.seconds_per_question,
        points_correct=forms.number(f, "points_correct", maximum=1000, required=False) or 0,
        speed_bonus=forms.number(f, "speed_bonus", maximum=1000, required=False) or 0,
        wrong_penalty=forms.number(f, "wrong_penalty", maximum=1000, required=False) or 0,
        actor=current_user,
        now=utcnow(),
    )
    flash(_("Đã lưu phần thi."), "success")
    return redirect(url_for("teams.manage", slug=slug) + "#parts-h", code=303)


@bp.post("/<slug>/parts/<int:part_id>/delete")
@login_required
def part_delete(slug: str, part_id: int):
    _admin()
    contest = _contest(slug)
    part = _get(TeamPart, part_id)
    if part.contest_id != contest.id:
        raise NotFound()
    name = part.name
    teams.delete_part(part, actor=current_user, now=utcnow())
    flash(_("Đã xóa phần thi “%(name)s”.", name=name), "success")
    return redirect(url_for("teams.manage", slug=slug) + "#parts-h", code=303)


@bp.post("/<slug>/clusters/<int:cluster_id>/delete")
@login_required
def cluster_delete(slug: str, cluster_id: int):
    _admin()
    contest = _contest(slug)
    cluster = _get(Cluster, cluster_id)
    if cluster.contest_id != contest.id:
        raise NotFound()
    name = cluster.stage.title
    teams.delete_cluster(cluster, actor=current_user, now=utcnow())
    flash(_("Đã xóa cụm thi “%(name)s”.", name=name), "success")
    return redirect(url_for("teams.manage", slug=slug) + "#clusters-h", code=303)


@bp.post("/<slug>/clusters")
@login_required
def cluster_add(slug: str):
    _admin()
    contest = _contest(slug)
    f = request.form
    teams.add_cluster(
        contest,
        f.get("name", ""),
        venue=f.get("venue", ""),
        held_on=forms.day(f, "held_on"),
        actor=current_user,
        now=utcnow(),
    )
    flash(_("Đã thêm cụm thi."), "success")
    return redirect(url_for("teams.manage", slug=slug), code=303)


@bp.post("/<slug>/teams/<int:team_id>")
@login_required
def team_admin(slug: str, team_id: int):
    """One team's row: confirm, move to a cluster, issue a device code, remove a member or
    delete the team."""
    _admin()
    contest = _contest(slug)
    team = _get(Team, team_id)
    if team.contest_id != contest.id:
        raise NotFound()
    action, now = request.form.get("action"), utcnow()
    if action in ("confirm", "unconfirm"):
        teams.confirm_team(team, actor=current_user, now=now, confirmed=action == "confirm")
        flash(_("Đã cập nhật trạng thái đội “%(name)s”.", name=team.name), "success")
    elif action == "cluster":
        cluster = _get(Cluster, request.form.get("cluster_id"))
        if cluster.contest_id != contest.id:
            raise NotFound()
        teams.assign_units(cluster, [team.unit_id], actor=current_user, now=now)
        flash(_("Đã xếp đội “%(name)s” vào cụm.", name=team.name), "success")
    elif action == "delete":
        name = team.name
        teams.delete_team(team, actor=current_user, now=now)
        flash(_("Đã xóa đội “%(name)s”.", name=name), "success")
        return redirect(url_for("teams.manage", slug=slug) + "#teams-h", code=303)
    elif action == "remove_member":
        member_id = strict_int(request.form.get("member_id"))
        if member_id is None:
            raise NotFound()
        teams.remove_member(team, member_id, actor=current_user, now=now)
        flash(_("Đã xóa thành viên khỏi đội “%(name)s”.", name=team.name), "success")
    elif action == "code":
        code = teams.issue_device_code(team, actor=current_user, now=now)
        # Shown once, on this page only (never in a flash kept in the session cookie).
        return render_template("teams/device_code.html", contest=contest, team=team, code=code)
    else:
        raise DomainError("invalid_action", _("Thao tác không hợp lệ."), status=400)
    return redirect(url_for("teams.manage", slug=slug) + f"#team-{team.id}", code=303)


@bp.get("/<slug>/stages/<key>")
@login_required
def stage(slug: str, key: str):
    _admin()
    contest = _contest(slug)
    stage = _stage(contest, key)
    parts = queries.parts(contest.id)
    judges = judging_queries.assigned_judges(stage.id)
    sheets = {(s.judge_id, s.team_id, s.part_id): s for s in queries.sheets(stage.id)}
    runs = {p.id: queries.live_run(stage.id, p.id) for p in parts if p.live}
    players = teams.stage_teams(stage)
    # What is missing, over the whole grid (a judge never scores their own unit's team);
    # only the grid's rows are paged.
    missing = sum(
        1
        for j in judges
        for t in players
        for p in parts
        if not p.live
        and not queries.is_own_unit(j, t)
        and not ((s := sheets.get((j.id, t.id, p.id))) and s.is_submitted)
    )
    return render_template(
        "teams/stage.html",
        contest=contest,
        stage=stage,
        cluster=queries.cluster_of_stage(stage.id),
        parts=parts,
        draw=queries.draw(stage.id),
        players=players,
        grid_page=paginate(players, page_arg()),
        missing=missing,
        own=queries.is_own_unit,
        judges=judges,
        sheets=sheets,
        runs=runs,
        run_questions={pid: queries.live_questions(r.id) if r else [] for pid, r in runs.items()},
        topics=queries.topics_with_questions(disclosure.reserved_bank_ids(utcnow())),
        judge_accounts=queries.judge_accounts(),
        rows=teams_standings.compute(stage),
    )


@bp.post("/<slug>/stages/<key>/draw")
@login_required
def draw(slug: str, key: str):
    _admin()
    stage = _stage(_contest(slug), key)
    teams.draw_order(stage, actor=current_user, now=utcnow())
    flash(_("Đã bốc thăm thứ tự thi."), "success")
    return redirect(url_for("teams.stage", slug=slug, key=key) + "#order", code=303)


@bp.get("/<slug>/stages/<key>/order")
@login_required
def running_order(slug: str, key: str):
    _admin()
    contest = _contest(slug)
    stage = _stage(contest, key)
    return render_template(
        "teams/running_order.html",
        contest=contest,
        stage=stage,
        cluster=queries.cluster_of_stage(stage.id),
        draw=queries.draw(stage.id),
        parts=queries.parts(contest.id),
    )


@bp.post("/<slug>/stages/<key>/publish")
@login_required
def publish(slug: str, key: str):
    _admin()
    stage = _stage(_contest(slug), key)
    if request.form.get("action") == "withdraw":
        teams.withdraw(stage, actor=current_user, now=utcnow())
        flash(_("Đã thu hồi kết quả."), "success")
    else:
        teams.publish(stage, actor=current_user, now=utcnow())
        flash(_("Đã công bố kết quả."), "success")
    return redirect(url_for("teams.stage", slug=slug, key=key), code=303)


@bp.post("/<slug>/stages/<key>/judges")
@login_required
def judges(slug: str, key: str):
    _admin()
    stage = _stage(_contest(slug), key)
    judge = _get(User, request.form.get("judge_id"))
    judging_services.assign_judge(stage, judge, actor=current_user, now=utcnow())
    flash(_("Đã phân công giám khảo."), "success")
    return redirect(url_for("teams.stage", slug=slug, key=key) + "#sheets", code=303)


@bp.post("/<slug>/sheets/<int:sheet_id>/reopen")
@login_required
def sheet_reopen(slug: str, sheet_id: int):
    _admin()
    contest = _contest(slug)
    sheet = _get(TeamSheet, sheet_id)
    stage = db.session.get(Stage, sheet.stage_id)
    if stage.contest_id != contest.id:
        raise NotFound()
    teams.reopen_sheet(sheet, request.form.get("reason", ""), actor=current_user, now=utcnow())
    flash(_("Đã mở lại phiếu chấm."), "success")
    return redirect(url_for("teams.stage", slug=slug, key=stage.key) + "#sheets", code=303)


@bp.post("/<slug>/stages/<key>/parts/<int:part_id>/questions")
@login_required
def questions(slug: str, key: str, part_id: int):
    _admin()
    contest = _contest(slug)
    stage = _stage(contest, key)
    part = _get(TeamPart, part_id)
    topic = _get(Topic, request.form.get("topic_id"))
    count = forms.number(request.form, "count", maximum=100)
    live.draw_questions(stage, part, topic, count, actor=current_user, now=utcnow())
    flash(_("Đã bốc %(n)d câu hỏi cho phần thi.", n=count), "success")
    return redirect(url_for("teams.stage", slug=slug, key=key) + "#live", code=303)


def _live_part(contest: Contest, part_id: int) -> TeamPart:
    part = _get(TeamPart, part_id)
    if part.contest_id != contest.id or not part.live:
        raise NotFound()
    return part


@bp.get("/<slug>/stages/<key>/parts/<int:part_id>/pick")
@login_required
def pick(slug: str, key: str, part_id: int):
    """Pick a live part's questions one by one: browse a bank's current questions by topic
    and text, tick them, see the order chosen so far. A bank that an open or upcoming quiz
    round draws from is never listed (its answers would go up on the screens)."""
    _admin()
    contest = _contest(slug)
    stage = _stage(contest, key)
    part = _live_part(contest, part_id)
    banks = queries.live_banks(disclosure.reserved_bank_ids(utcnow()))
    bank_id = id_arg("bank_id")
    bank = next((b for b in banks if b.id == bank_id), None)
    if bank_id is not None and bank is None:
        raise NotFound()
    bank = bank or (banks[0] if banks else None)
    topics = queries.bank_topics(bank.id) if bank else []
    topic_id = id_arg("topic_id")
    if topic_id is not None and topic_id not in {t.id for t in topics}:
        raise NotFound()
    text = " ".join(request.args.get("q", "").split())[:200]
    run = queries.live_run(stage.id, part.id)
    chosen = queries.live_questions(run.id) if run else []
    page = None
    if bank is not None:
        page = db.paginate(
            bank_queries.question_search(bank, text, topic_id),
            page=page_arg(),
            per_page=PAGE_SIZE,
            error_out=False,
        )
    return render_template(
        "teams/pick.html",
        contest=contest,
        stage=stage,
        part=part,
        banks=banks,
        bank=bank,
        topics=topics,
        topic_id=topic_id,
        text=text,
        page=page,
        run=run,
        chosen=chosen,
        positions={lq.question_id: lq.position for lq in chosen},
    )


@bp.post("/<slug>/stages/<key>/parts/<int:part_id>/pick")
@login_required
def pick_add(slug: str, key: str, part_id: int):
    _admin()
    contest = _contest(slug)
    stage = _stage(contest, key)
    part = _live_part(contest, part_id)
    raw = request.form.getlist("question_id")
    ids = [strict_int(v) for v in raw]
    if not raw or None in ids or len(raw) > 100:
        raise DomainError(
            "invalid_questions", _("Hãy đánh dấu từ 1 đến 100 câu hỏi để thêm."), status=400
        )
    added = live.pick_questions(stage, part, ids, actor=current_user, now=utcnow())
    flash(_("Đã thêm %(n)d câu hỏi vào phần thi.", n=len(added)), "success")
    back = known_args("bank_id", "topic_id", "q", "page")
    return redirect(
        url_for("teams.pick", slug=slug, key=key, part_id=part.id, **back) + "#chosen", code=303
    )


@bp.get("/<slug>/stages/<key>/export.xlsx")
@login_required
def export(slug: str, key: str):
    _admin()
    contest = _contest(slug)
    stage = _stage(contest, key)
    return attachment(teams_exports.stage_workbook(contest, stage), f"{slug}-{key}.xlsx")


# ---- unit managers ----


@bp.route("/<slug>/team", methods=["GET", "POST"])
@login_required
def register(slug: str):
    contest = _contest(slug)
    if not (current_user.is_manager or current_user.is_admin):
        raise NotFound()
    unit_id = current_user.unit_id
    team = queries.team_of_unit(contest.id, unit_id)
    settings = queries.settings_of(contest)
    if request.method == "POST":
        rows = forms.members(request.form)
        name = request.form.get("team_name", "")
        try:
            if team is None:
                team = teams.register_team(
                    contest, unit_id, name, rows, actor=current_user, now=utcnow()
                )
            else:
                teams.update_team(team, name, rows, actor=current_user, now=utcnow())
        except DomainError as err:
            db.session.rollback()
            flash(err.text(), "error")
            return render_template(
                "teams/register.html",
                contest=contest,
                settings=settings,
                team=team,
                accounts=queries.unit_accounts(unit_id),
                rows=rows,
                name=name,
            ), 422
        flash(_("Đã lưu đội thi."), "success")
        return redirect(url_for("teams.register", slug=slug), code=303)
    return render_template(
        "teams/register.html",
        contest=contest,
        settings=settings,
        team=team,
        accounts=queries.unit_accounts(unit_id),
        rows=team.members if team else [],
        name=team.name if team else "",
    )


# ---- judges ----


@bp.get("/<slug>/judge")
@login_required
def judge(slug: str):
    contest = _contest(slug)
    stages = queries.judge_contest_stages(contest.id, current_user.id)
    if not stages:
        raise NotFound()
    parts = [p for p in queries.parts(contest.id) if not p.live]
    board = []
    for stage in stages:
        mine = {
            (s.team_id, s.part_id): s for s in queries.sheets(stage.id, judge_id=current_user.id)
        }
        players = [t for t in teams.stage_teams(stage) if not queries.is_own_unit(current_user, t)]
        # Each stage's list pages on its own; the count covers the whole list.
        param = f"page_{stage.id}"
        done = sum(
            1
            for t in players
            for p in parts
            if (s := mine.get((t.id, p.id))) is not None and s.is_submitted
        )
        board.append(
            (
                stage,
                paginate(players, page_arg(param)),
                param,
                mine,
                done,
                len(players) * len(parts),
            )
        )
    return render_template("teams/judge.html", contest=contest, parts=parts, board=board)


@bp.route("/<slug>/sheets/<int:stage_id>/<int:team_id>/<int:part_id>", methods=["GET", "POST"])
@login_required
def sheet(slug: str, stage_id: int, team_id: int, part_id: int):
    contest = _contest(slug)
    stage, team, part = _get(Stage, stage_id), _get(Team, team_id), _get(TeamPart, part_id)
    if stage.contest_id != contest.id or not queries.is_assigned(stage.id, current_user.id):
        raise NotFound()
    criteria = queries.part_criteria(part.id)
    if request.method == "POST":
        scores = forms.scores(request.form, [c.id for c in criteria])
        submit = request.form.get("action") == "submit"
        teams.save_sheet(
            stage,
            current_user,
            team,
            part,
            scores,
            request.form.get("comment", ""),
            submit=submit,
            now=utcnow(),
        )
        flash(_("Đã nộp phiếu chấm.") if submit else _("Đã lưu nháp phiếu chấm."), "success")
        return redirect(url_for("teams.judge", slug=slug), code=303)
    if queries.is_own_unit(current_user, team) or part.live:
        raise NotFound()
    sheet = queries.sheet_of(stage.id, current_user.id, team.id, part.id)
    values = {s.criterion_id: s.half_points / 2 for s in sheet.scores} if sheet else {}
    return render_template(
        "teams/sheet.html",
        contest=contest,
        stage=stage,
        team=team,
        part=part,
        criteria=criteria,
        sheet=sheet,
        values=values,
    )


# ---- published results ----


@bp.get("/<slug>/")
def overview(slug: str):
    """The clusters and the final: venue, date, how many teams, results once published."""
    contest = _contest(slug)
    rows = []
    for stage in judging_queries.stages(contest):
        cluster = queries.cluster_of_stage(stage.id)
        count = (
            len(queries.teams(contest.id, cluster_id=cluster.id, confirmed=True))
            if cluster
            else None
        )
        rows.append(
            (stage, cluster, count if count is not None else len(queries.published(stage.id)))
        )
    return render_template("teams/overview.html", contest=contest, rows=rows)


@bp.get("/<slug>/results/<key>")
def results(slug: str, key: str):
    contest = _contest(slug)
    stage = _stage(contest, key)
    if stage.published_at is None:
        raise NotFound()
    return render_template(
        "teams/results.html",
        contest=contest,
        stage=stage,
        rows=queries.published(stage.id),
        parts=queries.parts(contest.id),
    )


# ---- the stage screens ----


def _run(run_id: int) -> LiveRun:
    _admin()
    return _get(LiveRun, run_id)


@bp.get("/live/<int:run_id>/control")
@login_required
def control(run_id: int):
    run = _run(run_id)
    stage = db.session.get(Stage, run.stage_id)
    return render_template(
        "teams/control.html",
        run=run,
        stage=stage,
        contest=db.session.get(Contest, stage.contest_id),
        part=db.session.get(TeamPart, run.part_id),
        players=teams.stage_teams(stage),
        questions=queries.live_questions(run.id),
    )


@bp.get("/live/<int:run_id>/presenter")
@login_required
def presenter(run_id: int):
    run = _run(run_id)
    stage = db.session.get(Stage, run.stage_id)
    return render_template(
        "teams/presenter.html",
        run=run,
        stage=stage,
        contest=db.session.get(Contest, stage.contest_id),
        part=db.session.get(TeamPart, run.part_id),
    )


@bp.get("/live/<int:run_id>/state.json")
@login_required
def live_state(run_id: int):
    run = _run(run_id)
    host = request.args.get("host") == "1"
    body = live.state(run, utcnow(), host=host)
    if host:
        body["scores"] = {str(k): v for k, v in live_scoring.points(run).items()}
    return jsonify(body)


@bp.post("/live/<int:run_id>/control.json")
@login_required
def live_control(run_id: int):
    run = _run(run_id)
    data = request.get_json(silent=True)
    action = data.get("action") if isinstance(data, dict) else None
    if not isinstance(action, str):
        raise DomainError("invalid_action", _("Thao tác không hợp lệ."), status=400)
    now = utcnow()
    run = live.control(run, action, actor=current_user, now=now)
    return jsonify(live.state(run, now, host=True))


@bp.post("/live/<int:run_id>/hand.json")
@login_required
def live_hand(run_id: int):
    run = _run(run_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError("invalid_json", _("Nội dung yêu cầu phải là JSON."), status=400)
    team = _get(Team, data.get("team_id"))
    position = data.get("position")
    letter = data.get("letter")
    if not isinstance(position, int) or isinstance(position, bool):
        raise DomainError("invalid_position", _("Số thứ tự câu hỏi không hợp lệ."), status=400)
    if letter is not None and not isinstance(letter, str):
        raise DomainError("invalid_choice", _("Lựa chọn không hợp lệ."), status=400)
    live.hand_answer(run, team, position, letter, actor=current_user, now=utcnow())
    return jsonify(ok=True)


# ---- team devices ----


def _device_team() -> Team | None:
    """The team this device is logged in as; a new code logs every old device out."""
    saved = session.get(DEVICE_KEY)
    if not isinstance(saved, list) or len(saved) != 2:
        return None
    team = db.session.get(Team, saved[0]) if isinstance(saved[0], int) else None
    if (
        team is None
        or not team.access_code_hash
        or not hmac.compare_digest(team.access_code_hash[:16], str(saved[1]))
    ):
        return None
    return team


def _device_stage_ids(team: Team) -> list[int]:
    ids = []
    if team.cluster is not None:
        ids.append(team.cluster.stage_id)
    final = judging_queries.stage_of(team.contest, "final")
    if final is not None:
        ids.append(final.id)
    return ids


@bp.route("/device", methods=["GET", "POST"])
@limiter.limit(DEVICE_LOGIN_LIMIT, methods=["POST"])
def device_login():
    if request.method == "POST":
        team = teams.team_for_code(request.form.get("code", ""))
        if team is None:
            flash(_("Mã đội không đúng. Kiểm tra lại mã Ban Tổ chức đã cấp."), "error")
            return render_template("teams/device_login.html"), 401
        session[DEVICE_KEY] = [team.id, team.access_code_hash[:16]]
        return redirect(url_for("teams.device"), code=303)
    return render_template("teams/device_login.html")


@bp.post("/device/logout")
def device_logout():
    session.pop(DEVICE_KEY, None)
    return redirect(url_for("teams.device_login"), code=303)


@bp.get("/device/play")
def device():
    team = _device_team()
    if team is None:
        return redirect(url_for("teams.device_login"))
    return render_template("teams/device.html", team=team)


@bp.get("/device/state.json")
def device_state():
    team = _device_team()
    if team is None:
        raise DomainError("device_logged_out", _("Thiết bị chưa đăng nhập mã đội."), status=401)
    run = queries.active_run(_device_stage_ids(team))
    if run is None or not live.plays(team, run):
        return jsonify(state="idle", question=None, team=team.name)
    body = live.state(run, utcnow(), team=team)
    body["team"] = team.name
    return jsonify(body)


@bp.post("/device/answer.json")
def device_answer():
    team = _device_team()
    if team is None:
        raise DomainError("device_logged_out", _("Thiết bị chưa đăng nhập mã đội."), status=401)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError("invalid_json", _("Nội dung yêu cầu phải là JSON."), status=400)
    position, letter = data.get("position"), data.get("letter")
    if not isinstance(position, int) or isinstance(position, bool) or not isinstance(letter, str):
        raise DomainError("invalid_choice", _("Lựa chọn không hợp lệ."), status=400)
    run = queries.active_run(_device_stage_ids(team))
    if run is None:
        raise DomainError(
            "question_closed", _("Câu hỏi này không còn nhận câu trả lời."), status=409
        )
    row = live.answer(run, team, position, letter, now=utcnow())
    return jsonify(position=position, letter=letter.upper(), saved_at=row.answered_at.isoformat())
