"""The contest-wide ranking over a contest's rounds: best and sum give the documented order
on several rounds and hundreds of people, staff win nothing, one prize per person; the
organizers preview it page by page, publish it (frozen, audited) and export it."""

import random
from datetime import timedelta

import pytest

from question_bank.tabular import fold
from quiz.errors import DomainError
from quiz.extensions import db
from quiz.models import (
    Attempt,
    AuditLog,
    Contest,
    ContestRanking,
    ContestResult,
    User,
)
from quiz.results import contest_ranking
from tests.factories import make_round, now
from tests.sheets import open_book, table, title_block

from .conftest import T0, add_attempt

PEOPLE = 230  # past the admin page's first pages (50 a page)


@pytest.fixture
def contest(bank):
    first = make_round(bank, title="Tuần 1", question_count=10, prediction="none")
    contest = first.contest
    for n in (2, 3):
        make_round(bank, contest, title=f"Tuần {n}", question_count=10, prediction="none")
    db.session.expire_all()
    return db.session.get(Contest, contest.id)


def settle(contest, mode, **counts):
    per_group = {"staff": counts, "citizen": {}}
    contest_ranking.set_settings(contest, mode, per_group, actor=None, now=now())


@pytest.fixture
def crowd(contest, unit):
    """PEOPLE people of both groups, each taking some rounds (some twice), with many ties in
    correct answers and durations, written in bulk; a few are organizers' staff."""
    rng = random.Random(10)
    users = [
        User(
            full_name=f"Người {n:03d}",
            name_search=fold(f"Người {n:03d}"),
            email=f"nguoi{n}@example.vn",
            password_hash="x",
            unit_id=unit.id,
            participant_group="citizen" if n % 7 == 0 else "staff",
            is_organizer_staff=n % 41 == 0,
        )
        for n in range(PEOPLE)
    ]
    db.session.add_all(users)
    db.session.flush()
    for user in users:
        for round_ in contest.rounds:
            if rng.random() < 0.25:
                continue
            for number in range(1, rng.choice((1, 1, 2)) + 1):
                submitted = T0 + timedelta(seconds=rng.randrange(0, 40))
                duration = rng.choice((30_000, 40_000, 50_000))
                db.session.add(
                    Attempt(
                        user_id=user.id,
                        round_id=round_.id,
                        number=number,
                        unit_id=unit.id,
                        participant_group=user.participant_group,
                        status="submitted",
                        started_at=submitted - timedelta(milliseconds=duration),
                        deadline_at=submitted + timedelta(hours=1),
                        submitted_at=submitted,
                        question_count=10,
                        correct_count=rng.randrange(0, 11),
                        duration_ms=duration,
                    )
                )
    db.session.commit()
    return users


def expected(contest, mode: str, group: str) -> list[int]:
    """The documented order, computed here in Python from the stored attempts."""
    attempts = db.session.scalars(
        db.select(Attempt).join(Attempt.round).where(Attempt.round.has(contest_id=contest.id))
    ).all()

    def key(a):  # the round order (no prediction question in these rounds)
        return (-a.correct_count, a.duration_ms, a.submitted_at, a.id)

    best: dict[tuple[int, int], Attempt] = {}
    for a in attempts:
        k = (a.user_id, a.round_id)
        if k not in best or key(a) < key(best[k]):
            best[k] = a
    people: dict[int, list[Attempt]] = {}
    for a in best.values():
        people.setdefault(a.user_id, []).append(a)
    if mode == "best":
        rows = [min(rows, key=key) for rows in people.values()]
        return [a.user_id for a in sorted(rows, key=key) if a.participant_group == group]
    totals = []
    for user_id, rows in people.items():
        last = max(rows, key=lambda a: (a.submitted_at, a.id))
        if last.participant_group != group:
            continue
        totals.append(
            (
                -sum(a.correct_count for a in rows),
                sum(a.duration_ms for a in rows),
                max(a.submitted_at for a in rows),
                user_id,
            )
        )
    return [t[-1] for t in sorted(totals)]


@pytest.mark.parametrize("mode", ["best", "sum"])
def test_the_live_ranking_follows_the_documented_order(contest, crowd, mode):
    settle(contest, mode, first=1, second=2, third=3, consolation=10)
    for group in ("staff", "citizen"):
        live = contest_ranking.ranking(contest, group)
        assert [e.user_id for e in live] == expected(contest, mode, group)
        assert [e.rank for e in live] == list(range(1, len(live) + 1))
        # Recomputed from the stored rows: the same order, the same prizes.
        assert contest_ranking.ranking(contest, group) == live
    staff = contest_ranking.ranking(contest, "staff")
    assert len(staff) > 100
    winners = [e for e in staff if e.prize]
    assert [e.prize for e in winners] == ["first"] + ["second"] * 2 + ["third"] * 3 + [
        "consolation"
    ] * 10
    assert not any(e.is_organizer_staff for e in winners)
    # Prizes in ranking order, skipping only organizers' staff (and nobody scores 0 here).
    eligible = [e for e in staff if not e.is_organizer_staff and e.correct_count > 0]
    assert winners == eligible[:16]


def test_best_and_sum_differ_as_documented(contest, unit, make_user):
    one, two, three = contest.rounds
    steady = make_user(unit, full_name="Đều")
    single = make_user(unit, full_name="Một lần")
    for round_ in (one, two, three):
        add_attempt(round_, steady, correct=7, duration_ms=50_000, submitted=10)
    add_attempt(one, single, correct=10, duration_ms=90_000, submitted=5)
    names = {steady.id: "Đều", single.id: "Một lần"}
    settle(contest, "best")
    best = contest_ranking.ranking(contest, "staff")
    assert [names[e.user_id] for e in best] == ["Một lần", "Đều"]
    assert (best[1].rounds, best[1].correct_count, best[1].duration_ms) == (3, 7, 50_000)
    settle(contest, "sum")
    total = contest_ranking.ranking(contest, "staff")
    assert [names[e.user_id] for e in total] == ["Đều", "Một lần"]
    assert (total[0].correct_count, total[0].duration_ms) == (21, 150_000)


def test_sum_ties_go_to_less_time_then_the_earlier_last_submission_then_the_user_id(
    contest, unit, make_user
):
    one, two, _three = contest.rounds
    a, b, c, d = (make_user(unit, full_name=n) for n in "ABCD")
    add_attempt(one, a, correct=5, duration_ms=60_000, submitted=1)
    add_attempt(two, a, correct=5, duration_ms=60_000, submitted=30)  # last at 30
    add_attempt(one, b, correct=10, duration_ms=120_000, submitted=20)  # last at 20
    add_attempt(one, c, correct=10, duration_ms=100_000, submitted=50)  # less time
    add_attempt(one, d, correct=10, duration_ms=120_000, submitted=20)  # ties b: user id
    settle(contest, "sum")
    order = [e.user_id for e in contest_ranking.ranking(contest, "staff")]
    assert order == [c.id, b.id, d.id, a.id]


def test_best_uses_the_round_order_with_the_prediction(bank, unit, make_user):
    one = make_round(bank, title="Tuần 1", question_count=10, prediction="perfect")
    two = make_round(bank, one.contest, title="Tuần 2", question_count=10, prediction="none")
    contest = one.contest
    perfect = make_user(unit, full_name="Đủ")
    close = make_user(unit, full_name="Gần")
    far = make_user(unit, full_name="Xa")
    add_attempt(one, perfect, correct=10, prediction=5, duration_ms=70_000)
    add_attempt(one, close, correct=9, prediction=1, duration_ms=90_000)
    add_attempt(one, far, correct=9, prediction=50, duration_ms=10_000)
    add_attempt(two, far, correct=9, duration_ms=20_000)
    settle(contest, "best")
    # One perfect score: "Gần" (distance 0) before "Xa" (49; no prediction in round 2 after).
    order = [e.user_id for e in contest_ranking.ranking(contest, "staff")]
    assert order == [perfect.id, close.id, far.id]


def test_confirmed_too_fast_attempts_do_not_count_and_pending_ones_win_nothing(
    contest, unit, make_user
):
    one, two, _three = contest.rounds
    quick = make_user(unit, full_name="Nhanh")
    honest = make_user(unit, full_name="Thật")
    cheat = add_attempt(one, quick, correct=10, duration_ms=5_000)
    add_attempt(two, quick, correct=3)
    add_attempt(one, honest, correct=6)
    cheat.flag, cheat.flag_state = "too_fast", "pending"
    db.session.commit()
    settle(contest, "best", first=1)
    top = contest_ranking.ranking(contest, "staff")
    assert [(e.user_id, e.prize) for e in top] == [(quick.id, None), (honest.id, "first")]
    with pytest.raises(DomainError) as refused:
        contest_ranking.publish(contest, actor=None, now=now())
    assert refused.value.code == "flags_pending"
    db.session.rollback()
    cheat = db.session.get(Attempt, cheat.id)
    cheat.flag_state = "confirmed"
    db.session.commit()
    top = contest_ranking.ranking(contest, "staff")
    assert [(e.user_id, e.correct_count, e.prize) for e in top] == [
        (honest.id, 6, "first"),
        (quick.id, 3, None),
    ]


def test_bad_settings_are_refused_and_change_nothing(client_for, admin, contest):
    admin_client = client_for(admin)
    for data in (
        {"mode": "average", "staff_first": "1"},
        {"mode": "sum", "staff_first": "-1"},
        {"mode": "sum", "staff_first": "một"},
    ):
        form = {f"{g}_{p}": "0" for g in ("staff", "citizen") for p in PRIZES} | data
        response = admin_client.post(f"/admin/contests/{contest.id}/ranking", data=form)
        assert response.status_code == 422
    assert db.session.get(ContestRanking, contest.id) is None
    with pytest.raises(DomainError):
        contest_ranking.set_settings(
            contest, "sum", {"staff": {"first": -2}}, actor=None, now=now()
        )
    db.session.rollback()
    assert db.session.get(ContestRanking, contest.id) is None


PRIZES = ("first", "second", "third", "consolation")


def test_organizers_preview_page_by_page_publish_and_export(client_for, admin, contest, crowd):
    admin_client = client_for(admin)
    form = {f"{g}_{p}": "0" for g in ("staff", "citizen") for p in PRIZES}
    form |= {"mode": "sum", "staff_first": "1", "staff_second": "1", "citizen_first": "1"}
    assert admin_client.post(f"/admin/contests/{contest.id}/ranking", data=form).status_code == 302
    before = client_for(None).get(f"/contests/{contest.slug}").text
    assert "Xếp hạng chung cuộc" not in before and crowd[1].full_name not in before
    order = expected(contest, "sum", "staff")
    assert len(order) > 100
    page_three = admin_client.get(f"/admin/contests/{contest.id}/ranking?page=3").text
    assert 'data-rank="101"' in page_three and f'data-user="{order[100]}"' in page_three
    assert 'data-rank="100"' not in page_three and "bản xem trước" in page_three
    assert admin_client.get(f"/admin/contests/{contest.id}/ranking?group=x").status_code == 404
    assert admin_client.get(f"/admin/contests/{contest.id}/ranking?page=x").status_code == 404

    refused = admin_client.post(f"/admin/contests/{contest.id}/ranking/publish", data={})
    assert (
        refused.status_code == 422
        and db.session.get(ContestRanking, contest.id).published_at is None
    )
    published = admin_client.post(
        f"/admin/contests/{contest.id}/ranking/publish", data={"confirm": "y"}
    )
    assert published.status_code == 302
    db.session.expire_all()
    frozen = db.session.scalars(
        db.select(ContestResult)
        .where(ContestResult.participant_group == "staff")
        .order_by(ContestResult.rank)
    ).all()
    assert [r.user_id for r in frozen] == order
    assert [r.prize for r in frozen[:2]] == ["first", "second"]
    entry = db.session.scalars(
        db.select(AuditLog).where(AuditLog.action == "contest.ranking_publish")
    ).one()
    assert entry.actor_id == admin.id and entry.details["mode"] == "sum"
    # Frozen: a later attempt, a second publication and new settings change nothing.
    add_attempt(contest.rounds[0], crowd[1], correct=10, submitted=999)
    assert contest_ranking.entries(contest, "staff")[0].user_id == order[0]
    again = admin_client.post(
        f"/admin/contests/{contest.id}/ranking/publish", data={"confirm": "y"}
    )
    assert again.status_code == 409
    assert admin_client.post(f"/admin/contests/{contest.id}/ranking", data=form).status_code == 409

    public = client_for(None).get(f"/contests/{contest.slug}").text
    assert "Xếp hạng chung cuộc" in public
    winners = {r.full_name for r in frozen[:2]}
    assert all(name in public for name in winners)
    assert frozen[5].full_name not in public  # only prize winners are named

    export = admin_client.get(f"/admin/contests/{contest.id}/ranking.xlsx")
    assert export.status_code == 200
    book = open_book(export.data)
    rows = table(book["Xếp hạng chung cuộc"])[1:]
    assert len(rows) == db.session.scalar(db.select(db.func.count(ContestResult.id)))
    assert [r[0] for r in rows[:3]] == [1, 2, 3] and rows[0][-1] == "Giải Nhất"
    assert len(table(book["Giải cá nhân"])[1:]) == 3
    assert any("Hội thi" in line for line in title_block(book["Xếp hạng chung cuộc"]))


def test_contest_ranking_pages_are_for_admins_only(client_for, contest, unit, make_user):
    contestant = client_for(make_user(unit))
    for method, path in (
        ("GET", f"/admin/contests/{contest.id}/ranking"),
        ("POST", f"/admin/contests/{contest.id}/ranking"),
        ("POST", f"/admin/contests/{contest.id}/ranking/publish"),
        ("GET", f"/admin/contests/{contest.id}/ranking.xlsx"),
    ):
        assert contestant.open(path, method=method, data={"confirm": "y"}).status_code == 403
    assert db.session.get(ContestRanking, contest.id) is None


def test_the_pages_speak_english_too(client_for, admin, contest, unit, make_user):
    person = make_user(unit, full_name="Người Thắng")
    add_attempt(contest.rounds[0], person, correct=8)
    settle(contest, "sum", first=1)
    admin_client = client_for(admin)
    admin_client.get("/lang/en")
    page = admin_client.get(f"/admin/contests/{contest.id}/ranking").text
    assert "Overall ranking" in page and "Correct answers summed over the rounds" in page
    contest_ranking.publish(contest, actor=admin, now=now())
    visitor = client_for(None)
    visitor.get("/lang/en")
    public = visitor.get(f"/contests/{contest.slug}").text
    assert "Overall prizes" in public and "Người Thắng" in public


def test_the_cached_preview_follows_new_attempts_and_new_settings(
    client_for, admin, contest, unit, make_user
):
    add_attempt(contest.rounds[0], make_user(unit, full_name="Người Đầu"), correct=5)
    admin_client = client_for(admin)
    path = f"/admin/contests/{contest.id}/ranking"
    assert "1 người được xếp hạng" in admin_client.get(path).text
    add_attempt(contest.rounds[1], make_user(unit, full_name="Người Sau"), correct=9)
    page = admin_client.get(path).text
    assert "2 người được xếp hạng" in page and "<strong>Giải Nhất</strong>" not in page
    settle(contest, "best", first=1)
    page = admin_client.get(path).text
    first = page.index("<strong>Giải Nhất</strong>")
    assert first < page.index("Người Sau") < page.index("Người Đầu")
