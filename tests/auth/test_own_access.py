"""Issue 8, findings 2, 3 and 6: nobody widens their own reach; approval and the aggregates."""

import pytest
from sqlalchemy import func

from quiz.attempts import services as attempts
from quiz.auth import services as auth_services
from quiz.errors import DomainError
from quiz.extensions import db
from quiz.models import (
    Attempt,
    AttemptStatus,
    AuditLog,
    Unit,
    UnitContestStat,
    UnitRoundStat,
    User,
)
from quiz.unit_tree import registered_counts
from tests.factories import PASSWORD, make_bank, make_round, now


@pytest.fixture
def tree(make_unit, make_user):
    root = make_unit(code="P", kind="province", name="Tỉnh Thử")
    mine = make_unit(root, code="MINE", name="Xã Của Tôi")
    child = make_unit(mine, code="MINE-1", name="Thôn Con", kind="other")
    other = make_unit(root, code="OTHER", name="Xã Bên Cạnh")
    return {
        "root": root,
        "mine": mine,
        "child": child,
        "other": other,
        "admin": make_user(root, role="admin"),
        "manager": make_user(mine, role="unit_manager"),
        "contestant": make_user(mine, participant_group="citizen"),
    }


def log_in(client, user):
    client.post("/auth/login", data={"login": user.email, "password": PASSWORD})


def profile(user, **overrides):
    data = {
        "full_name": user.full_name,
        "email": user.email,
        "phone": "",
        "group": user.participant_group,
        "unit_id": str(user.unit_id),
    }
    data.update(overrides)
    return data


def take_part(user, round_, submit=False):
    """Start an attempt; submit it (unanswered) when asked."""
    attempt, _ = attempts.start(user, round_.id, now())
    if submit:
        attempts.submit(user, attempt.id, now())
    return attempt


# ---- finding 2: a manager's or admin's unit is not theirs to change ----


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_manager_or_admin_cannot_move_their_own_unit_to_the_province(client, tree, who):
    user = tree[who]
    log_in(client, user)
    before = user.unit_id
    client.post("/auth/profile", data=profile(user, unit_id=str(tree["root"].id)))
    db.session.refresh(tree["manager"])
    db.session.refresh(user)
    assert user.unit_id == before
    if who == "manager":
        # The export still lists only the manager's own subtree.
        assert tree["manager"].unit_id == tree["mine"].id


def test_manager_profile_shows_unit_read_only_and_still_saves_the_rest(client, tree):
    manager = tree["manager"]
    log_in(client, manager)
    page = client.get("/auth/profile").text
    assert 'name="unit_id"' not in page
    assert "chỉ Ban Tổ chức" in page
    response = client.post("/auth/profile", data=profile(manager, full_name="Tên Mới"))
    assert response.status_code == 302
    db.session.refresh(manager)
    assert manager.full_name == "Tên Mới" and manager.unit_id == tree["mine"].id


def test_service_refuses_a_managers_own_unit_change(tree):
    manager = tree["manager"]
    with pytest.raises(DomainError) as err:
        auth_services.update_profile(
            manager,
            full_name=manager.full_name,
            email=manager.email,
            phone="",
            unit_id=tree["root"].id,
            position=None,
            birth_year=None,
        )
    assert err.value.code == "unit_locked"


def test_admin_sets_a_managers_unit_on_the_user_edit_page_audit_logged(client, tree):
    log_in(client, tree["admin"])
    manager = tree["manager"]
    assert client.get(f"/admin/users/{manager.id}/edit").status_code == 200
    response = client.post(
        f"/admin/users/{manager.id}/edit",
        data={"unit_id": str(tree["other"].id), "group": "staff"},
    )
    assert response.status_code == 302
    db.session.refresh(manager)
    assert manager.unit_id == tree["other"].id
    entry = db.session.execute(
        db.select(AuditLog).filter_by(action="user.placement", target_id=str(manager.id))
    ).scalar_one()
    assert entry.actor_id == tree["admin"].id
    assert entry.details["changes"]["unit"] == ["MINE", "OTHER"]


def test_admin_cannot_change_their_own_unit_either(client, tree):
    admin = tree["admin"]
    log_in(client, admin)
    response = client.post(
        f"/admin/users/{admin.id}/edit", data={"unit_id": str(tree["other"].id), "group": "staff"}
    )
    assert response.status_code == 422
    db.session.refresh(admin)
    assert admin.unit_id == tree["root"].id


# ---- finding 3: unit and group freeze once a contestant has taken part ----


def test_contestant_cannot_switch_group_after_an_attempt_to_get_round_eligibility(client, tree):
    contestant = tree["contestant"]
    round_ = make_round(make_bank(), allow_citizen=True, allow_staff=True)
    take_part(contestant, round_)
    staff_only = make_round(make_bank("Ngân hàng hai"), round_.contest, allow_citizen=False)
    log_in(client, contestant)
    page = client.get("/auth/profile").text
    assert 'name="group"' not in page and 'name="unit_id"' not in page
    assert "cán bộ đầu mối" in page
    client.post(
        "/auth/profile",
        data=profile(contestant, group="staff", unit_id=str(tree["other"].id)),
    )
    db.session.refresh(contestant)
    assert (contestant.participant_group, contestant.unit_id) == ("citizen", tree["mine"].id)
    response = client.post(f"/api/v1/rounds/{staff_only.id}/attempts")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "not_eligible"


def test_service_refuses_group_change_after_an_attempt_but_allows_it_before(tree):
    contestant = tree["contestant"]
    fields = dict(
        full_name=contestant.full_name,
        email=contestant.email,
        phone="",
        position=None,
        birth_year=None,
    )
    auth_services.update_profile(contestant, group="staff", unit_id=tree["child"].id, **fields)
    assert (contestant.participant_group, contestant.unit_id) == ("staff", tree["child"].id)
    take_part(contestant, make_round(make_bank()))
    with pytest.raises(DomainError) as err:
        auth_services.update_profile(contestant, group="citizen", **fields)
    assert err.value.code == "group_locked"
    db.session.rollback()
    with pytest.raises(DomainError) as err:
        auth_services.update_profile(contestant, unit_id=tree["mine"].id, **fields)
    assert err.value.code == "unit_locked"


def test_manager_corrects_a_person_of_its_subtree_only_within_it(client, tree, make_user):
    manager = tree["manager"]
    person = tree["contestant"]
    take_part(person, make_round(make_bank()))
    log_in(client, manager)
    assert client.get(f"/manager/people/{person.id}/placement").status_code == 200
    # Out of the manager's subtree: refused, nothing changes.
    response = client.post(
        f"/manager/people/{person.id}/placement",
        data={"unit_id": str(tree["other"].id), "group": "staff"},
    )
    assert response.status_code == 422
    db.session.refresh(person)
    assert person.unit_id == tree["mine"].id
    response = client.post(
        f"/manager/people/{person.id}/placement",
        data={"unit_id": str(tree["child"].id), "group": "staff"},
    )
    assert response.status_code == 302
    db.session.refresh(person)
    assert (person.unit_id, person.participant_group) == (tree["child"].id, "staff")
    assert db.session.execute(
        db.select(AuditLog).filter_by(action="user.placement", actor_id=manager.id)
    ).scalar_one()
    # People outside the subtree, other managers and the manager itself: 404.
    outsider = make_user(tree["other"])
    for target in (outsider, manager, make_user(tree["child"], role="unit_manager")):
        assert client.get(f"/manager/people/{target.id}/placement").status_code == 404
        response = client.post(
            f"/manager/people/{target.id}/placement",
            data={"unit_id": str(tree["mine"].id), "group": "staff"},
        )
        assert response.status_code == 404


# ---- finding 6: registration rate limit, approval, and the aggregates ----


def test_self_registered_accounts_are_pending_and_imported_ones_approved(client, tree):
    response = client.post(
        "/auth/register",
        data={
            "full_name": "Người Tự Đăng Ký",
            "email": "tu.dang.ky@example.vn",
            "password": "mat-khau-moi-1",
            "confirm": "mat-khau-moi-1",
            "group": "staff",
            "unit_id": str(tree["child"].id),
            "consent": "y",
        },
    )
    assert response.status_code == 302
    person = db.session.execute(
        db.select(User).filter_by(email="tu.dang.ky@example.vn")
    ).scalar_one()
    assert person.approved_at is None
    assert person.consent_at is not None and person.consent_version
    assert tree["contestant"].approved_at is not None


def recount(round_id: int) -> dict[int, tuple[int, int]]:
    """Participants and score sum per unit subtree, from the stored attempts (approved only)."""
    best = (
        db.select(
            Attempt.user_id,
            func.max(Attempt.correct_count).label("best"),
        )
        .join(User, User.id == Attempt.user_id)
        .where(
            Attempt.round_id == round_id,
            Attempt.status != AttemptStatus.IN_PROGRESS.value,
            User.approved_at.is_not(None),
        )
        .group_by(Attempt.user_id)
        .subquery()
    )
    rows = db.session.execute(
        db.select(User.unit_id, best.c.best).join(best, best.c.user_id == User.id)
    ).all()
    totals: dict[int, tuple[int, int]] = {}
    for unit_id, score in rows:
        for part in db.session.get(Unit, unit_id).path.rstrip("/").split("/"):
            p, s = totals.get(int(part), (0, 0))
            totals[int(part)] = (p + 1, s + score)
    return totals


def stats(round_id: int) -> dict[int, tuple[int, int]]:
    rows = db.session.execute(db.select(UnitRoundStat).filter_by(round_id=round_id)).scalars()
    return {r.unit_id: (r.participants, r.score_sum) for r in rows if r.participants}


def test_contest_counting_approved_only_leaves_out_pending_people_until_approved(
    client, tree, make_user
):
    round_ = make_round(make_bank())
    round_.contest.count_unapproved = False
    db.session.commit()
    pending = [make_user(tree["child"], approved_at=None) for _ in range(3)]
    for person in [tree["contestant"], *pending]:
        take_part(person, round_, submit=True)
    assert stats(round_.id) == recount(round_.id)
    assert stats(round_.id)[tree["mine"].id][0] == 1
    assert registered_counts(approved_only=True)[tree["child"].id] == 0
    assert registered_counts()[tree["child"].id] == 3

    # The manager sees its pending people and approves two (bulk) and one more (single).
    log_in(client, tree["manager"])
    page = client.get("/manager/pending").text
    assert all(p.full_name in page for p in pending)
    client.post("/manager/pending/approve", data={"user_id": [pending[0].id, pending[1].id]})
    assert stats(round_.id) == recount(round_.id)
    assert stats(round_.id)[tree["mine"].id][0] == 3
    client.post("/manager/pending/approve", data={"user_id": pending[2].id})
    assert stats(round_.id) == recount(round_.id)
    assert stats(round_.id)[tree["root"].id][0] == 4
    contest_stat = db.session.get(UnitContestStat, (tree["root"].id, round_.contest_id))
    assert contest_stat.participants == 4
    assert registered_counts(approved_only=True)[tree["child"].id] == 3
    assert (
        db.session.scalar(db.select(func.count(AuditLog.id)).filter_by(action="user.approve")) == 3
    )
    # Approving again changes nothing.
    client.post("/manager/pending/approve", data={"user_id": pending[2].id})
    assert stats(round_.id)[tree["root"].id][0] == 4


def test_manager_cannot_approve_people_outside_its_subtree(client, tree, make_user):
    outsider = make_user(tree["other"], approved_at=None)
    log_in(client, tree["manager"])
    assert outsider.full_name not in client.get("/manager/pending").text
    client.post("/manager/pending/approve", data={"user_id": outsider.id})
    db.session.refresh(outsider)
    assert outsider.approved_at is None


def test_contest_counting_everyone_keeps_todays_behaviour(tree, make_user):
    round_ = make_round(make_bank())
    assert round_.contest.count_unapproved is True
    person = make_user(tree["child"], approved_at=None)
    take_part(person, round_, submit=True)
    assert stats(round_.id)[tree["child"].id][0] == 1


def test_count_rule_is_editable_until_someone_takes_part(client, tree):
    round_ = make_round(make_bank())
    contest = round_.contest
    log_in(client, tree["admin"])
    data = {"title": contest.title, "rules": "Thể lệ"}
    assert client.post(f"/admin/contests/{contest.id}/edit", data=data).status_code == 302
    db.session.refresh(contest)
    assert contest.count_unapproved is False
    take_part(tree["contestant"], round_)
    data["count_unapproved"] = "y"
    assert client.post(f"/admin/contests/{contest.id}/edit", data=data).status_code == 422
    db.session.refresh(contest)
    assert contest.count_unapproved is False


def test_registration_is_rate_limited_per_address(database_url, app, make_unit):
    from tests.conftest import make_test_app

    web = make_test_app(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    client = web.test_client()
    codes = [client.post("/auth/register", data={}).status_code for _ in range(31)]
    assert codes[:30] == [422] * 30
    assert codes[30] == 429
    with web.app_context():
        db.engine.dispose()
