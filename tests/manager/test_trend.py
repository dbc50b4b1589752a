"""The manager's participation trend: per day, the subtree's new participants, read from the
kept per-unit aggregate, equal to a recount from the attempts."""

from collections import Counter
from datetime import timedelta

import pytest

from quiz import accounts
from quiz.attempts import services as attempts
from quiz.extensions import db
from quiz.manager import queries
from quiz.manager import services as manager_services
from quiz.models import (
    Attempt,
    AttemptStatus,
    Choice,
    Contest,
    Question,
    Unit,
    UnitRoundDayStat,
    UnitRoundStat,
)
from quiz.timeutil import to_local
from tests.aggregates import assert_aggregates_equal_recount
from tests.factories import make_bank, make_round, now
from tests.results_pages.helpers import tables


def take_at(user, round_, when):
    """Start at `when` and submit a minute later (no answers)."""
    attempt, _created = attempts.start(user, round_.id, when)
    return attempts.submit(user, attempt.id, when + timedelta(minutes=1))


@pytest.fixture
def site(make_unit, make_user):
    root = make_unit(code="P", kind="province", name="Tỉnh Thử")
    mine = make_unit(root, code="MINE", name="Huyện Của Tôi", kind="district")
    child = make_unit(mine, code="MINE-1", name="Xã Con", kind="commune")
    grandchild = make_unit(child, code="MINE-1-1", name="Thôn Cháu", kind="other")
    other = make_unit(root, code="OTHER", name="Huyện Bên Cạnh", kind="district")
    start = now() - timedelta(days=4)
    round_ = make_round(make_bank(), opens_at=start - timedelta(hours=1), attempts_allowed=2)
    manager = make_user(mine, role="unit_manager")
    units = [mine, child, grandchild, other]
    # People take part over four days, some twice (counted once, on their first day).
    for n in range(12):
        person = make_user(units[n % 4])
        day = start + timedelta(days=n % 3, hours=n)
        take_at(person, round_, day)
        if n % 5 == 0:
            take_at(person, round_, day + timedelta(days=1))
    return {"mine": mine, "other": other, "round": round_, "manager": manager, "root": root}


def recount(scope: Unit, round_id: int) -> dict:
    """New participants per local day from the attempts themselves."""
    rows = db.session.execute(
        db.select(Attempt.user_id, Attempt.submitted_at)
        .join(Unit, Unit.id == Attempt.unit_id)
        .where(
            Attempt.round_id == round_id,
            Attempt.status != AttemptStatus.IN_PROGRESS.value,
            Unit.path.startswith(scope.path),
        )
    ).all()
    first = {}
    for user_id, at in rows:
        first[user_id] = min(at, first.get(user_id, at))
    return dict(Counter(to_local(at).date() for at in first.values()))


def test_trend_equals_a_recount_from_the_attempts(app, site):
    for scope in (site["mine"], site["other"], site["root"]):
        trend = queries.day_trend(scope, site["round"])
        assert {d: n for d, n, _t in trend if n} == recount(scope, site["round"].id)
        # The running total ends at the number of people who took part.
        assert trend[-1][2] == sum(recount(scope, site["round"].id).values())


def test_trend_page_shows_the_subtrees_days_as_a_chart_and_a_table(client, login, site):
    login(site["manager"])
    html = client.get(f"/manager/trend?round={site['round'].id}").text
    assert 'role="img"' in html  # the chart
    table = next(t for t in tables(html) if "Người tham gia mới" in t.head)
    shown = {r[0]: int(r[1]) for r in table.rows if r[1] != "0"}
    expected = recount(site["mine"], site["round"].id)
    assert shown == {d.strftime("%d/%m/%Y"): n for d, n in expected.items()}


def test_trend_of_an_unknown_round_is_404(client, login, site):
    login(site["manager"])
    assert client.get("/manager/trend?round=999999").status_code == 404


def test_approval_adds_a_late_approved_person_on_their_first_day(app, site, make_user):
    contest = db.session.get(Contest, site["round"].contest_id)
    contest.count_unapproved = False
    db.session.commit()
    before = {d: n for d, n, _t in queries.day_trend(site["mine"], site["round"])}
    waiting = make_user(site["mine"], approved_at=None)
    when = now() - timedelta(days=2)
    take_at(waiting, site["round"], when)
    assert {d: n for d, n, _t in queries.day_trend(site["mine"], site["round"]) if n} == {
        d: n for d, n in before.items() if n
    }
    manager_services.approve([waiting.id], actor=site["manager"], now=now())
    after = {d: n for d, n, _t in queries.day_trend(site["mine"], site["round"])}
    day = to_local(when + timedelta(minutes=1)).date()
    assert after[day] == before.get(day, 0) + 1


def take_right_at(user, round_, when, right: int):
    """Start at `when`, answer `right` questions correctly, submit a minute later."""
    attempt, _created = attempts.start(user, round_.id, when)
    for aq in attempt.questions[:right]:
        aq.selected_choice_id = db.session.execute(
            db.select(Choice.id)
            .join(Question, Question.id == Choice.question_id)
            .where(
                Choice.question_id == aq.question_id,
                Choice.position == Question.correct_position,
            )
        ).scalar_one()
    db.session.commit()
    return attempts.submit(user, attempt.id, when + timedelta(minutes=1))


def trend_of(scope, round_) -> dict:
    return {d: n for d, n, _t in queries.day_trend(scope, round_) if n}


def test_a_corrected_unit_moves_the_trend_count_with_the_participation(app, site, make_user):
    round_ = site["round"]
    person = make_user(site["mine"])
    first = now() - timedelta(days=3, hours=5)
    take_right_at(person, round_, first, 0)
    day = to_local(first + timedelta(minutes=1)).date()
    mine_before, other_before = trend_of(site["mine"], round_), trend_of(site["other"], round_)
    admin = make_user(site["root"], role="admin")
    accounts.place(
        person.id, unit_id=site["other"].id, group=person.participant_group, actor=admin, now=now()
    )
    # The better second attempt counts for the corrected unit: so does the person's first day.
    take_right_at(person, round_, now() - timedelta(hours=2), 2)
    stats = {
        s.unit_id: s.participants
        for s in db.session.scalars(db.select(UnitRoundStat).filter_by(round_id=round_.id))
    }
    assert stats[site["other"].id] == sum(other_before.values()) + 1
    assert stats[site["mine"].id] == sum(mine_before.values()) - 1
    assert trend_of(site["other"], round_)[day] == other_before.get(day, 0) + 1
    assert trend_of(site["mine"], round_).get(day, 0) == mine_before[day] - 1
    assert_aggregates_equal_recount(round_.id)


def test_an_approval_after_a_correction_counts_the_day_where_the_best_attempt_counts(
    app, site, make_user
):
    round_ = site["round"]
    db.session.get(Contest, round_.contest_id).count_unapproved = False
    db.session.commit()
    person = make_user(site["mine"], approved_at=None)
    take_right_at(person, round_, now() - timedelta(days=2), 0)
    admin = make_user(site["root"], role="admin")
    accounts.place(
        person.id, unit_id=site["other"].id, group=person.participant_group, actor=admin, now=now()
    )
    take_right_at(person, round_, now() - timedelta(hours=1), 1)
    manager_services.approve([person.id], actor=admin, now=now())
    assert_aggregates_equal_recount(round_.id)


@pytest.mark.parametrize("change", [-1, 1])
def test_the_integrity_check_catches_a_lost_or_doubled_day_count(app, site, change):
    round_id = site["round"].id
    assert_aggregates_equal_recount(round_id)
    row = db.session.scalars(
        db.select(UnitRoundDayStat).filter_by(round_id=round_id, unit_id=site["other"].id)
    ).first()
    row.people += change
    db.session.commit()
    with pytest.raises(AssertionError, match="unit-day counters"):
        assert_aggregates_equal_recount(round_id)
