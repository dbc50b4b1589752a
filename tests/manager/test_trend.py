"""The manager's participation trend: per day, the subtree's new participants, read from the
kept per-unit aggregate, equal to a recount from the attempts."""

from collections import Counter
from datetime import timedelta

import pytest

from quiz.attempts import services as attempts
from quiz.extensions import db
from quiz.manager import queries
from quiz.manager import services as manager_services
from quiz.models import Attempt, AttemptStatus, Contest, Unit
from quiz.timeutil import to_local
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
