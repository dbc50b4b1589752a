"""Teams contests (DESIGN.md §9): settings, parts, clusters, team registration, the draw,
team score sheets and publication. One public function per change, one commit each."""

import hashlib
import hmac
import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..errors import DomainError, NotFound
from ..extensions import db, lock_row, write_lock
from ..models import (
    Cluster,
    Contest,
    ContestKind,
    PartCriterion,
    SheetStatus,
    Stage,
    Team,
    TeamDraw,
    TeamMember,
    TeamPart,
    TeamSettings,
    TeamSheet,
    TeamSheetScore,
    TeamStanding,
    TeamStatus,
    User,
)
from . import teams_queries as queries
from . import teams_standings
from .setup import FINAL
from .standings import PRIZE_ORDER

MAX_PARTS = 10
MAX_CRITERIA = 20
# Device codes: 10 characters of an alphabet without look-alikes (50 bits), typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def _err(code: str, message, status: int = 422, **params) -> DomainError:
    return DomainError(code, message, status=status, **params)


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise NotFound()


def _settings(contest: Contest, *, lock: bool = False) -> TeamSettings:
    if contest.kind != ContestKind.TEAMS:
        raise _err("not_teams_contest", _l("Hội thi này không phải hội thi đội."), 409)
    if lock:
        settings = lock_row(TeamSettings, TeamSettings.contest_id == contest.id)
    else:
        settings = queries.settings_of(contest)
    if settings is None:
        raise NotFound()
    return settings


def _clean(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else ""


def _check_prizes(prizes: dict) -> dict:
    clean = {}
    for key in PRIZE_ORDER:
        spec = (prizes or {}).get(key.value) or {}
        try:
            count, amount = int(spec.get("count") or 0), int(spec.get("amount") or 0)
        except (TypeError, ValueError) as err:
            raise _err("invalid_prizes", _l("Số giải và tiền thưởng phải là số nguyên.")) from err
        if count < 0 or amount < 0:
            raise _err("invalid_prizes", _l("Số giải và tiền thưởng không được âm."))
        if count:
            clean[key.value] = {"count": count, "amount": amount}
    return clean


# ---- settings, parts, clusters ----

SETTING_FIELDS = {
    "min_members",
    "max_members",
    "main_members",
    "registration_closes_at",
    "finalists_per_cluster",
    "cluster_prizes",
    "final_prizes",
}


def update_settings(contest: Contest, *, actor: User, now: datetime, **fields) -> TeamSettings:
    """Change a teams contest's rules: team size, deadline, finalists, prizes."""
    _require_admin(actor)
    settings = _settings(contest, lock=True)
    unknown = set(fields) - SETTING_FIELDS
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    size = [fields.get(k, getattr(settings, k)) for k in ("main_members", "min_members")]
    size.append(fields.get("max_members", settings.max_members))
    if not 1 <= size[0] <= size[1] <= size[2] <= 100:
        raise _err(
            "invalid_team_size",
            _l("Cần: 1 ≤ số thành viên chính ≤ số thành viên tối thiểu ≤ tối đa ≤ 100."),
        )
    if fields.get("finalists_per_cluster", 0) < 0:
        raise _err("invalid_finalists", _l("Số đội vào chung kết không được âm."))
    for key in ("cluster_prizes", "final_prizes"):
        if key in fields:
            fields[key] = _check_prizes(fields[key])
    changed = {}
    for key, value in fields.items():
        if getattr(settings, key) != value:
            changed[key] = value.isoformat() if isinstance(value, datetime) else value
            setattr(settings, key, value)
    audit.record(actor, "teams.settings", "contest", contest.id, now=now, **changed)
    db.session.commit()
    return settings


def _check_part(
    name: str,
    criteria: list[tuple[str, int]],
    *,
    weight: float,
    special_amount: int,
    live: bool,
    seconds_per_question: int,
    points_correct: int,
    speed_bonus: int,
    wrong_penalty: int,
) -> tuple[str, list[tuple[str, int]]]:
    name = _clean(name, 200)
    if not name:
        raise _err("invalid_part", _l("Vui lòng nhập tên phần thi (tối đa 200 ký tự)."))
    if weight < 0 or special_amount < 0:
        raise _err("invalid_part", _l("Trọng số và tiền thưởng không được âm."))
    if not 5 <= seconds_per_question <= 600:
        raise _err("invalid_part", _l("Thời gian mỗi câu hỏi phải từ 5 đến 600 giây."))
    if min(points_correct, speed_bonus, wrong_penalty) < 0:
        raise _err("invalid_part", _l("Điểm thưởng và điểm trừ không được âm."))
    criteria = [(_clean(t, 200), m) for t, m in criteria]
    if (not live and not criteria) or len(criteria) > MAX_CRITERIA:
        raise _err("invalid_criteria", _l("Phiếu chấm cần từ 1 đến 20 tiêu chí."))
    for title, max_half in criteria:
        if not title or not 1 <= max_half <= 2000:
            raise _err(
                "invalid_criteria",
                _l("Mỗi tiêu chí cần một tên và điểm tối đa từ 0,5 đến 1.000."),
            )
    return name, criteria


def add_part(
    contest: Contest,
    name: str,
    criteria: list[tuple[str, int]],
    *,
    weight: float = 1.0,
    special_prize: str | None = None,
    special_amount: int = 0,
    live: bool = False,
    seconds_per_question: int = 30,
    points_correct: int = 10,
    speed_bonus: int = 0,
    wrong_penalty: int = 0,
    actor: User,
    now: datetime,
) -> TeamPart:
    """Add a part with its score sheet ((title, maximum in half points) per line; a live
    part needs none), its weight, special prize and live settings."""
    _require_admin(actor)
    _settings(contest, lock=True)
    name, criteria = _check_part(
        name,
        criteria,
        weight=weight,
        special_amount=special_amount,
        live=live,
        seconds_per_question=seconds_per_question,
        points_correct=points_correct,
        speed_bonus=speed_bonus,
        wrong_penalty=wrong_penalty,
    )
    existing = queries.parts(contest.id)
    if len(existing) >= MAX_PARTS:
        raise _err("too_many_parts", _l("Một hội thi có tối đa 10 phần thi."))
    part = TeamPart(
        contest_id=contest.id,
        position=len(existing) + 1,
        name=name,
        weight=weight,
        special_prize=_clean(special_prize, 200) or None,
        special_amount=special_amount,
        live=live,
        seconds_per_question=seconds_per_question,
        points_correct=points_correct,
        speed_bonus=speed_bonus,
        wrong_penalty=wrong_penalty,
    )
    db.session.add(part)
    db.session.flush()
    for position, (title, max_half) in enumerate(criteria, start=1):
        db.session.add(
            PartCriterion(part_id=part.id, position=position, title=title, max_half_points=max_half)
        )
    audit.record(actor, "teams.part", "contest", contest.id, now=now, part=name, live=live)
    db.session.commit()
    return part


def update_part(
    part: TeamPart,
    name: str,
    criteria: list[tuple[str, int]],
    *,
    weight: float,
    special_prize: str | None,
    special_amount: int,
    seconds_per_question: int,
    points_correct: int,
    speed_bonus: int,
    wrong_penalty: int,
    actor: User,
    now: datetime,
) -> TeamPart:
    """Change a part: name, weight and special prize at any time (standings follow until
    published); its score sheet until a judge submits a sheet of it; a live part's timing
    and points until it is played. Whether a part is live never changes."""
    _require_admin(actor)
    _settings(db.session.get(Contest, part.contest_id), lock=True)
    part = lock_row(TeamPart, TeamPart.id == part.id)
    if part is None:
        raise NotFound()
    name, criteria = _check_part(
        name,
        criteria,
        weight=weight,
        special_amount=special_amount,
        live=part.live,
        seconds_per_question=seconds_per_question,
        points_correct=points_correct,
        speed_bonus=speed_bonus,
        wrong_penalty=wrong_penalty,
    )
    existing = queries.part_criteria(part.id)
    if [(c.title, c.max_half_points) for c in existing] != criteria:
        if queries.part_has_submitted_sheet(part.id):
            raise _err(
                "criteria_locked",
                _l("Phiếu chấm đã có giám khảo nộp: không sửa được tiêu chí nữa."),
                409,
            )
        # Drafts keep no score on a line that goes; positions move out of the way first.
        for c in existing:
            c.position += 1000
        db.session.flush()
        for i, (title, max_half) in enumerate(criteria):
            if i < len(existing):
                c = existing[i]
                c.position, c.title, c.max_half_points = i + 1, title, max_half
            else:
                db.session.add(
                    PartCriterion(
                        part_id=part.id, position=i + 1, title=title, max_half_points=max_half
                    )
                )
        for c in existing[len(criteria) :]:
            db.session.delete(c)
    live_settings = (seconds_per_question, points_correct, speed_bonus, wrong_penalty)
    if part.live and live_settings != (
        part.seconds_per_question,
        part.points_correct,
        part.speed_bonus,
        part.wrong_penalty,
    ):
        if queries.part_was_played(part.id):
            raise _err(
                "live_started",
                _l("Phần thi đã được thi trực tiếp: không đổi thời gian và cách tính điểm."),
                409,
            )
        (
            part.seconds_per_question,
            part.points_correct,
            part.speed_bonus,
            part.wrong_penalty,
        ) = live_settings
    part.name, part.weight = name, weight
    part.special_prize = _clean(special_prize, 200) or None
    part.special_amount = special_amount
    try:
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        raise _err(
            "criteria_below_drafts",
            _l("Có phiếu nháp đã cho điểm cao hơn mức tối đa mới. Hãy kiểm tra lại."),
            409,
        ) from err
    audit.record(
        actor,
        "teams.part_update",
        "contest",
        part.contest_id,
        now=now,
        part_id=part.id,
        name=name,
        weight=weight,
        criteria=[[t, m / 2] for t, m in criteria],
    )
    db.session.commit()
    return part


def add_cluster(
    contest: Contest,
    name: str,
    *,
    venue: str = "",
    held_on: date | None = None,
    actor: User,
    now: datetime,
) -> Cluster:
    """Add a cluster: a stage of its own (key cluster-N) played before the final."""
    _require_admin(actor)
    _settings(contest, lock=True)
    name, venue = _clean(name, 200), _clean(venue, 255)
    if not name:
        raise _err("invalid_cluster", _l("Vui lòng nhập tên cụm thi (tối đa 200 ký tự)."))
    # Numbered past the highest key in use: a deleted cluster leaves a gap, never a clash.
    keys = [c.stage.key.removeprefix("cluster-") for c in queries.clusters(contest.id)]
    n = max((int(k) for k in keys if k.isdigit()), default=0) + 1
    stage = Stage(contest_id=contest.id, key=f"cluster-{n}", title=name, position=n)
    db.session.add(stage)
    final = db.session.execute(
        select(Stage).where(Stage.contest_id == contest.id, Stage.key == FINAL)
    ).scalar_one()
    final.position = n + 1  # the final comes after every cluster
    db.session.flush()
    cluster = Cluster(contest_id=contest.id, stage_id=stage.id, venue=venue, held_on=held_on)
    db.session.add(cluster)
    db.session.flush()
    audit.record(actor, "teams.cluster", "stage", stage.id, now=now, name=name, venue=venue)
    db.session.commit()
    return cluster


def assign_units(cluster: Cluster, unit_ids: list[int], *, actor: User, now: datetime) -> int:
    """Put the teams of these units into the cluster (before its order is drawn)."""
    _require_admin(actor)
    contest = db.session.get(Contest, cluster.contest_id)
    _settings(contest, lock=True)
    if queries.draw(cluster.stage_id):
        raise _err("already_drawn", _l("Cụm thi đã bốc thăm thứ tự, không đổi đội được."), 409)
    moved = 0
    for team in queries.teams(contest.id):
        if team.unit_id in unit_ids and team.cluster_id != cluster.id:
            if team.cluster_id is not None and queries.draw(team.cluster.stage_id):
                raise _err(
                    "already_drawn",
                    _l("Đội “%(name)s” đã có thứ tự thi ở cụm khác."),
                    409,
                    name=team.name,
                )
            team.cluster_id = cluster.id
            moved += 1
    audit.record(actor, "teams.assign", "stage", cluster.stage_id, now=now, units=sorted(unit_ids))
    db.session.commit()
    return moved


def delete_part(part: TeamPart, *, actor: User, now: datetime) -> None:
    """Delete a part while nothing depends on it: no judge has submitted a sheet of it and
    it has not been played live (its draft sheets and unplayed question lists go with it)."""
    _require_admin(actor)
    _settings(db.session.get(Contest, part.contest_id), lock=True)
    part = lock_row(TeamPart, TeamPart.id == part.id)
    if part is None:
        raise NotFound()
    if queries.part_has_submitted_sheet(part.id):
        raise _err(
            "part_in_use",
            _l("Phần thi “%(name)s” đã có phiếu chấm được nộp, không xóa được."),
            409,
            name=part.name,
        )
    if queries.part_was_played(part.id):
        raise _err(
            "part_in_use",
            _l("Phần thi “%(name)s” đã được thi trực tiếp, không xóa được."),
            409,
            name=part.name,
        )
    contest_id, name, position = part.contest_id, part.name, part.position
    db.session.execute(delete(TeamPart).where(TeamPart.id == part.id))
    # The parts after it move up one place, in order, so positions stay 1, 2, 3…
    for later in queries.parts(contest_id):
        if later.position > position:
            later.position -= 1
            db.session.flush()
    audit.record(actor, "teams.part_delete", "contest", contest_id, now=now, part=name)
    db.session.commit()


def delete_cluster(cluster: Cluster, *, actor: User, now: datetime) -> None:
    """Delete a cluster and its stage while nothing depends on it: no draw, no submitted
    sheet, nothing played, no published results. Its teams wait for another cluster."""
    _require_admin(actor)
    _settings(db.session.get(Contest, cluster.contest_id), lock=True)
    stage = lock_row(Stage, Stage.id == cluster.stage_id)
    if stage is None:
        raise NotFound()
    if (
        stage.published_at is not None
        or queries.draw(stage.id)
        or queries.stage_has_submitted_sheet(stage.id)
        or queries.stage_was_played(stage.id)
    ):
        raise _err(
            "cluster_in_use",
            _l("Cụm thi “%(name)s” đã bốc thăm, có phiếu chấm đã nộp hoặc đã thi: không xóa được."),
            409,
            name=stage.title,
        )
    contest_id, name = stage.contest_id, stage.title
    db.session.execute(update(Team).where(Team.cluster_id == cluster.id).values(cluster_id=None))
    db.session.execute(delete(Stage).where(Stage.id == stage.id))
    audit.record(actor, "teams.cluster_delete", "contest", contest_id, now=now, name=name)
    db.session.commit()


# ---- teams ----


@dataclass
class MemberInput:
    full_name: str
    user_id: int | None = None
    is_main: bool = False
    is_captain: bool = False


def _may_register(actor: User, unit_id: int) -> bool:
    return actor.is_admin or (actor.is_manager and actor.unit_id == unit_id)


def _check_open(settings: TeamSettings, actor: User, now: datetime) -> None:
    closes = settings.registration_closes_at
    if closes is not None and now >= closes and not actor.is_admin:
        raise _err("registration_closed", _l("Đã hết hạn đăng ký và sửa đội thi."), 409)


def rules_problem(settings: TeamSettings, members) -> DomainError | None:
    """What breaks the team size rules (members between min and max, exactly main_members
    main members, one captain), or None. `members` have is_main and is_captain."""
    if not settings.min_members <= len(members) <= settings.max_members:
        return _err(
            "team_size",
            _l("Đội thi cần từ %(min)d đến %(max)d thành viên (hiện có %(n)d)."),
            min=settings.min_members,
            max=settings.max_members,
            n=len(members),
        )
    mains = sum(bool(m.is_main) for m in members)
    if mains != settings.main_members:
        return _err(
            "main_members",
            _l("Đội thi cần đúng %(n)d thành viên chính (hiện có %(got)d)."),
            n=settings.main_members,
            got=mains,
        )
    if sum(bool(m.is_captain) for m in members) != 1:
        return _err("captain", _l("Đội thi cần đúng một đội trưởng, là thành viên chính."))
    return None


def teams_breaking_rules(contest: Contest) -> dict[int, str]:
    """Team id → what breaks the current rules, for the teams registered before the rules
    changed (the rules are checked when a team is saved, not when they change)."""
    settings = _settings(contest)
    out = {}
    for team in queries.teams(contest.id):
        problem = rules_problem(settings, team.members)
        if problem is not None:
            out[team.id] = problem.text()
    return out


def check_members(
    settings: TeamSettings, unit_id: int, members: list[MemberInput]
) -> list[MemberInput]:
    """The team size rules: between min and max members, exactly main_members main members,
    one captain among them; accounts of the team's unit, each once."""
    clean = []
    for m in members:
        name = _clean(m.full_name, 255)
        user = None
        if m.user_id is not None:
            user = db.session.get(User, m.user_id)
            if user is None or user.unit_id != unit_id:
                raise _err("invalid_member", _l("Thành viên phải là tài khoản của đơn vị mình."))
            name = name or user.full_name
        if not name:
            if user is None and not m.is_main and not m.is_captain:
                continue  # an empty row of the form
            raise _err("invalid_member", _l("Mỗi thành viên cần họ tên (tối đa 255 ký tự)."))
        clean.append(MemberInput(name, m.user_id, bool(m.is_main or m.is_captain), m.is_captain))
    problem = rules_problem(settings, clean)
    if problem is not None:
        raise problem
    users = [m.user_id for m in clean if m.user_id is not None]
    if len(users) != len(set(users)):
        raise _err("duplicate_member", _l("Một tài khoản chỉ được ghi tên một lần trong đội."))
    return clean


def _set_members(team: Team, members: list[MemberInput]) -> None:
    team.members.clear()
    db.session.flush()
    for position, m in enumerate(members, start=1):
        team.members.append(
            TeamMember(
                position=position,
                full_name=m.full_name,
                user_id=m.user_id,
                is_main=m.is_main,
                is_captain=m.is_captain,
            )
        )


def register_team(
    contest: Contest,
    unit_id: int,
    name: str,
    members: list[MemberInput],
    *,
    actor: User,
    now: datetime,
) -> Team:
    """A unit manager registers their unit's one team before the deadline."""
    settings = _settings(contest)
    if not _may_register(actor, unit_id):
        raise NotFound()
    _check_open(settings, actor, now)
    name = _clean(name, 255)
    if not name:
        raise _err("invalid_name", _l("Vui lòng nhập tên đội (tối đa 255 ký tự)."))
    clean = check_members(settings, unit_id, members)
    team = Team(
        contest_id=contest.id,
        unit_id=unit_id,
        name=name,
        registered_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(team)
    try:
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        raise _err("team_exists", _l("Đơn vị đã đăng ký một đội cho hội thi này."), 409) from err
    _set_members(team, clean)
    db.session.flush()
    audit.record(actor, "team.register", "team", team.id, now=now, name=name, size=len(clean))
    db.session.commit()
    return team


def update_team(
    team: Team, name: str, members: list[MemberInput], *, actor: User, now: datetime
) -> Team:
    """Edit a team until the deadline (organizers at any time); a confirmed team goes back
    to the organizers for confirmation when its manager edits it."""
    settings = _settings(team.contest)
    team = lock_row(Team, Team.id == team.id)
    if team is None or not _may_register(actor, team.unit_id):
        raise NotFound()
    _check_open(settings, actor, now)
    name = _clean(name, 255)
    if not name:
        raise _err("invalid_name", _l("Vui lòng nhập tên đội (tối đa 255 ký tự)."))
    clean = check_members(settings, team.unit_id, members)
    team.name, team.updated_at = name, now
    _set_members(team, clean)
    if not actor.is_admin and team.status == TeamStatus.CONFIRMED:
        team.status, team.confirmed_at, team.confirmed_by_id = TeamStatus.REGISTERED, None, None
    audit.record(actor, "team.update", "team", team.id, now=now, name=name, size=len(clean))
    db.session.commit()
    return team


def confirm_team(team: Team, *, actor: User, now: datetime, confirmed: bool = True) -> Team:
    """The organizers confirm a registered team (or take the confirmation back)."""
    _require_admin(actor)
    settings = _settings(team.contest)
    team = lock_row(Team, Team.id == team.id)
    if team is None:
        raise NotFound()
    if confirmed:
        # The rules may have changed since the team registered: never confirm a team that
        # no longer meets them.
        problem = rules_problem(settings, team.members)
        if problem is not None:
            raise _err(
                "team_breaks_rules",
                _l("Đội “%(name)s” không đúng thể lệ hiện hành, chưa xác nhận được: %(problem)s"),
                409,
                name=team.name,
                problem=problem.text(),
            )
        team.status, team.confirmed_at, team.confirmed_by_id = TeamStatus.CONFIRMED, now, actor.id
    else:
        team.status, team.confirmed_at, team.confirmed_by_id = TeamStatus.REGISTERED, None, None
    audit.record(actor, "team.confirm" if confirmed else "team.unconfirm", "team", team.id, now=now)
    db.session.commit()
    return team


def _team_in_play(team: Team) -> bool:
    return (
        queries.team_was_drawn(team.id)
        or queries.team_has_submitted_sheet(team.id)
        or queries.team_has_answers(team.id)
        or queries.team_has_standing(team.id)
    )


def delete_team(team: Team, *, actor: User, now: datetime) -> None:
    """Delete a team while nothing depends on it: not drawn, no submitted sheet, no live
    answer, no published standing."""
    _require_admin(actor)
    _settings(team.contest)
    team = lock_row(Team, Team.id == team.id)
    if team is None:
        raise NotFound()
    if _team_in_play(team):
        raise _err(
            "team_in_play",
            _l("Đội “%(name)s” đã bốc thăm thứ tự hoặc đã được chấm điểm: không xóa được."),
            409,
            name=team.name,
        )
    audit.record(
        actor,
        "team.delete",
        "contest",
        team.contest_id,
        now=now,
        team_id=team.id,
        name=team.name,
        unit_id=team.unit_id,
        size=len(team.members),
    )
    db.session.execute(delete(Team).where(Team.id == team.id))
    db.session.commit()


def remove_member(team: Team, member_id: int, *, actor: User, now: datetime) -> Team:
    """Take a member off a team while the team is not yet in play (drawn or scored); the
    captain stays until another member is made captain. The others keep their order."""
    _require_admin(actor)
    _settings(team.contest)
    team = lock_row(Team, Team.id == team.id)
    if team is None:
        raise NotFound()
    member = next((m for m in team.members if m.id == member_id), None)
    if member is None:
        raise NotFound()
    if _team_in_play(team):
        raise _err(
            "team_in_play",
            _l("Đội “%(name)s” đã bốc thăm thứ tự hoặc đã được chấm điểm: không đổi thành viên."),
            409,
            name=team.name,
        )
    if member.is_captain:
        raise _err(
            "captain_stays",
            _l("Không xóa đội trưởng: hãy chọn đội trưởng khác cho đội trước."),
            409,
        )
    kept = [
        MemberInput(m.full_name, m.user_id, m.is_main, m.is_captain)
        for m in team.members
        if m.id != member.id
    ]
    _set_members(team, kept)
    team.updated_at = now
    audit.record(
        actor, "team.member_remove", "team", team.id, now=now, name=member.full_name, size=len(kept)
    )
    db.session.commit()
    return team


def code_hash(code: str) -> str:
    """HMAC-SHA256 of a device code under the app's secret key (codes are random, 50 bits,
    and their login is rate-limited, so a keyed fast hash is enough and can be looked up)."""
    key = current_app.config["SECRET_KEY"].encode()
    normal = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


def issue_device_code(team: Team, *, actor: User, now: datetime) -> str:
    """A new device code for a team (the old one stops working); shown once."""
    _require_admin(actor)
    team = lock_row(Team, Team.id == team.id)
    if team is None:
        raise NotFound()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    team.access_code_hash = code_hash(code)
    audit.record(actor, "team.device_code", "team", team.id, now=now)
    db.session.commit()
    return code


def team_for_code(code: str) -> Team | None:
    if not code or len(code) > 40:
        return None
    return queries.team_by_code_hash(code_hash(code))


# ---- the draw ----


def stage_teams(stage: Stage) -> list[Team]:
    settings = queries.settings_of(db.session.get(Contest, stage.contest_id))
    return teams_standings.pool(stage, settings)


def draw_order(
    stage: Stage, *, actor: User, now: datetime, rng: random.Random | None = None
) -> list[TeamDraw]:
    """Draw a stage's order of play by lot, once: recorded with who drew and when; a second
    draw returns the first one unchanged."""
    _require_admin(actor)
    contest = db.session.get(Contest, stage.contest_id)
    _settings(contest)
    stage = lock_row(Stage, Stage.id == stage.id)
    done = queries.draw(stage.id)
    if done:
        return done
    teams = stage_teams(stage)
    if not teams:
        raise _err("no_teams", _l("Chưa có đội đã xác nhận nào để bốc thăm."), 409)
    order = list(teams)
    (rng or random.SystemRandom()).shuffle(order)
    rows = [
        TeamDraw(stage_id=stage.id, team_id=t.id, position=i, drawn_at=now, drawn_by_id=actor.id)
        for i, t in enumerate(order, start=1)
    ]
    db.session.add_all(rows)
    try:
        db.session.flush()
    except IntegrityError:
        # Drawn at the same moment from another screen: that draw stands.
        db.session.rollback()
        return queries.draw(stage.id)
    audit.record(actor, "teams.draw", "stage", stage.id, now=now, order=[t.id for t in order])
    db.session.commit()
    return rows


# ---- team score sheets ----


def save_sheet(
    stage: Stage,
    judge: User,
    team: Team,
    part: TeamPart,
    scores: dict[int, int],
    comment: str = "",
    *,
    submit: bool = False,
    now: datetime,
) -> TeamSheet:
    """Save a judge's draft sheet for a team's part (half points per criterion id), or submit
    it: a submitted sheet is locked, only the secretariat reopens it."""
    write_lock()
    if submit:
        # Shared locks on what the sheet belongs to: an organizer deleting the stage, the
        # team or the part (an exclusive lock) waits for this submission, sees it, refuses.
        for model, key in ((Stage, stage.id), (Team, team.id), (TeamPart, part.id)):
            db.session.execute(select(model.id).where(model.id == key).with_for_update(read=True))
    contest = db.session.get(Contest, stage.contest_id)
    _settings(contest)
    if (
        team.contest_id != contest.id
        or part.contest_id != contest.id
        or part.live
        or not queries.is_assigned(stage.id, judge.id)
        or queries.is_own_unit(judge, team)
        or team.id not in {t.id for t in stage_teams(stage)}
    ):
        raise NotFound()
    if stage.published_at is not None:
        raise _err("stage_published", _l("Kết quả vòng này đã công bố, không chấm thêm."), 409)
    where = (
        TeamSheet.stage_id == stage.id,
        TeamSheet.judge_id == judge.id,
        TeamSheet.team_id == team.id,
        TeamSheet.part_id == part.id,
    )
    sheet = lock_row(TeamSheet, *where)
    if sheet is None:
        sheet = TeamSheet(
            stage_id=stage.id,
            judge_id=judge.id,
            team_id=team.id,
            part_id=part.id,
            created_at=now,
            updated_at=now,
            comment="",
        )
        db.session.add(sheet)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            write_lock()
            sheet = lock_row(TeamSheet, *where)
    if sheet.is_submitted:
        raise _err(
            "sheet_submitted",
            _l("Phiếu chấm đã nộp, không sửa được. Liên hệ Thư ký hội thi nếu cần mở lại."),
            409,
        )
    criteria = {c.id: c for c in queries.part_criteria(part.id)}
    for criterion_id, half in scores.items():
        c = criteria.get(criterion_id)
        if c is None:
            raise _err("invalid_criterion", _l("Tiêu chí không thuộc phiếu chấm này."))
        if half is not None and not 0 <= half <= c.max_half_points:
            raise _err(
                "score_out_of_range",
                _l("Điểm “%(title)s” phải từ 0 đến %(max)s."),
                title=c.title,
                max=format_decimal(c.max_points, "0.##"),
            )
    comment = (comment or "").strip()
    if len(comment) > 5000:
        raise _err("invalid_comment", _l("Nhận xét tối đa 5.000 ký tự."))
    current = {s.criterion_id: s for s in sheet.scores}
    for criterion_id, half in scores.items():
        if half is None:
            if criterion_id in current:
                sheet.scores.remove(current[criterion_id])
        elif criterion_id in current:
            current[criterion_id].half_points = half
        else:
            sheet.scores.append(
                TeamSheetScore(
                    criterion_id=criterion_id,
                    max_half_points=criteria[criterion_id].max_half_points,
                    half_points=half,
                )
            )
    sheet.comment, sheet.updated_at = comment, now
    if submit:
        if {s.criterion_id for s in sheet.scores} != set(criteria):
            raise _err("sheet_incomplete", _l("Vui lòng chấm đủ mọi tiêu chí trước khi nộp phiếu."))
        sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED.value, now
    try:
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        raise _err("score_out_of_range", _l("Điểm nằm ngoài khoảng cho phép.")) from err
    if submit:
        # A submitted sheet counts towards the standings; drafts are the judge's own notes.
        audit.record(
            judge,
            "team_sheet.submit",
            "team_sheet",
            sheet.id,
            now=now,
            team_id=team.id,
            part_id=part.id,
            total=sum(s.half_points for s in sheet.scores) / 2,
        )
    db.session.commit()
    return sheet


def reopen_sheet(sheet: TeamSheet, reason: str, *, actor: User, now: datetime) -> TeamSheet:
    """The secretariat reopens a submitted team sheet for its judge, audit-logged."""
    _require_admin(actor)
    sheet = lock_row(TeamSheet, TeamSheet.id == sheet.id)
    if sheet is None:
        raise NotFound()
    reason = _clean(reason, 1000)
    if not reason:
        raise _err("invalid_reason", _l("Vui lòng nêu lý do mở lại phiếu (tối đa 1.000 ký tự)."))
    if not sheet.is_submitted:
        raise _err("sheet_not_submitted", _l("Phiếu này chưa nộp."), 409)
    total = sum(s.half_points for s in sheet.scores) / 2
    sheet.status, sheet.submitted_at, sheet.updated_at = SheetStatus.DRAFT.value, None, now
    audit.record(
        actor,
        "team_sheet.reopen",
        "team_sheet",
        sheet.id,
        now=now,
        judge_id=sheet.judge_id,
        team_id=sheet.team_id,
        part_id=sheet.part_id,
        total=total,
        reason=reason,
    )
    db.session.commit()
    return sheet


# ---- publication ----


def publish(stage: Stage, *, actor: User, now: datetime) -> list[TeamStanding]:
    """Freeze a cluster's or the final's standings as computed now and make them public
    (a second publication replaces the first)."""
    _require_admin(actor)
    _settings(db.session.get(Contest, stage.contest_id), lock=True)
    stage = lock_row(Stage, Stage.id == stage.id)
    rows = teams_standings.compute(stage)
    db.session.execute(delete(TeamStanding).where(TeamStanding.stage_id == stage.id))
    frozen = [
        TeamStanding(
            stage_id=stage.id,
            rank=r.rank,
            team_id=r.team.id,
            part_scores={str(k): v for k, v in r.part_scores.items()},
            total=r.total,
            prize=r.prize,
            prize_amount=r.prize_amount,
            specials=r.specials,
        )
        for r in rows
    ]
    db.session.add_all(frozen)
    stage.published_at = now
    audit.record(actor, "teams.publish", "stage", stage.id, now=now, teams=len(frozen))
    db.session.commit()
    return frozen


def withdraw(stage: Stage, *, actor: User, now: datetime) -> None:
    """Take published standings back (they stay stored until the next publication)."""
    _require_admin(actor)
    stage = lock_row(Stage, Stage.id == stage.id)
    stage.published_at = None
    audit.record(actor, "teams.withdraw", "stage", stage.id, now=now)
    db.session.commit()
