"""Collective prizes: the chosen level competes on its whole subtree, with a minimum rate and
the written tie-break; publication freezes them and shows them on the public results page."""

import pytest

from quiz.errors import DomainError
from quiz.extensions import db
from quiz.models import AuditLog, Round, RoundUnitLevel, UnitPrize, User
from quiz.results import prizes, publication
from quiz.results.exports import results_workbook
from quiz.results.ranking import unit_ranking
from tests.factories import PASSWORD, make_round, now
from tests.sheets import open_book, table

from .conftest import add_attempt, prize_data


@pytest.fixture
def contest_round(bank):
    return make_round(bank, question_count=10, prediction="none")


@pytest.fixture
def tree(make_unit):
    """A province with a department (headcount 10) and a district without a headcount of its
    own, with two communes (10 and 15): the district counts 25 people."""
    province = make_unit(code="TINH", name="Tỉnh Thử", kind="province", headcount=None)
    units = {"province": province}
    units["so"] = make_unit(province, code="SO", name="Sở Thử", kind="department", headcount=10)
    units["huyen"] = make_unit(
        province, code="HUYEN", name="Huyện Thử", kind="district", headcount=None
    )
    units["xa1"] = make_unit(
        units["huyen"], code="XA1", name="Xã Một", kind="commune", headcount=10
    )
    units["xa2"] = make_unit(
        units["huyen"], code="XA2", name="Xã Hai", kind="commune", headcount=15
    )
    return units


def take_part(round_, unit, make_user, people: int, correct: int = 5):
    for n in range(people):
        add_attempt(round_, make_user(unit), correct=correct, submitted=n)


def settle(round_, *, level=None, count=5, min_rate=0.0):
    prizes.set_prizes(round_, {}, count, min_rate, actor=None, now=now(), unit_level=level)
    db.session.expire_all()
    return db.session.get(Round, round_.id)


@pytest.fixture
def taken(contest_round, tree, make_user):
    """Sở: 5 of 10 (50 %); Xã Một 8 of 10, Xã Hai 8 of 15: the district 16 of 25 (64 %)."""
    take_part(contest_round, tree["so"], make_user, 5)
    take_part(contest_round, tree["xa1"], make_user, 8)
    take_part(contest_round, tree["xa2"], make_user, 8)
    return contest_round


def codes(round_) -> list[str]:
    return [r.unit.code for r in unit_ranking(round_)]


def test_without_a_level_only_units_without_sub_units_compete(taken):
    round_ = settle(taken)
    assert codes(round_) == ["XA1", "XA2", "SO"]


def test_a_unit_s_own_headcount_is_its_whole_official_number(taken, tree):
    tree["huyen"].headcount = 20  # the district's whole staff, communes included
    db.session.commit()
    rows = unit_ranking(settle(taken, level="district"))
    assert [(r.unit.code, r.participants, r.headcount) for r in rows] == [("HUYEN", 16, 20)]


def test_a_district_with_communes_wins_when_districts_compete(taken):
    round_ = settle(taken, level="department_district")
    rows = unit_ranking(round_)
    assert [r.unit.code for r in rows] == ["HUYEN", "SO"]
    district = rows[0]
    # The whole subtree: its communes' people over the district's and communes' headcounts.
    assert (district.participants, district.headcount) == (16, 25)
    assert district.rate == pytest.approx(64.0)
    assert codes(settle(taken, level="district")) == ["HUYEN"]
    assert codes(settle(taken, level="department_commune")) == ["XA1", "XA2", "SO"]
    assert codes(settle(taken, level="commune")) == ["XA1", "XA2"]
    assert codes(settle(taken, level="department")) == ["SO"]


def test_units_under_the_minimum_rate_do_not_compete(taken):
    assert codes(settle(taken, level="department_district", min_rate=60)) == ["HUYEN"]
    assert codes(settle(taken, level="department_district", min_rate=64)) == ["HUYEN"]
    assert codes(settle(taken, level="department_district", min_rate=64.5)) == []


def test_ties_go_to_the_higher_mean_score_then_the_unit_code(contest_round, tree, make_user):
    # Xã Hai and Xã Một both 5 of 10; Xã Hai scores more. Sở 5 of 10, same mean as Xã Một.
    tree["xa2"].headcount = 10
    db.session.commit()
    take_part(contest_round, tree["xa1"], make_user, 5, correct=4)
    take_part(contest_round, tree["xa2"], make_user, 5, correct=6)
    take_part(contest_round, tree["so"], make_user, 5, correct=4)
    round_ = settle(contest_round, level="department_commune")
    assert codes(round_) == ["XA2", "SO", "XA1"]
    assert codes(round_) == codes(round_)  # recomputed: the same order
    assert codes(settle(round_, level="department_commune", count=2)) == ["XA2", "SO"]


def test_a_unit_without_headcount_in_its_subtree_does_not_compete(
    contest_round, make_unit, make_user
):
    province = make_unit(code="T2", kind="province", headcount=None)
    district = make_unit(province, code="H2", kind="district", headcount=None)
    commune = make_unit(district, code="X2", kind="commune", headcount=None)
    take_part(contest_round, commune, make_user, 3)
    assert codes(settle(contest_round, level="district")) == []


def test_an_unknown_level_is_refused_and_nothing_changes(client_for, admin, taken):
    response = client_for(admin).post(
        f"/admin/rounds/{taken.id}/prizes",
        data=prize_data(unit_prize_count="3", unit_level="province"),
    )
    assert response.status_code == 422
    assert "cấp đơn vị xét giải tập thể" in response.text
    db.session.expire_all()
    assert db.session.get(RoundUnitLevel, taken.id) is None
    assert db.session.get(Round, taken.id).unit_prize_count == 0


def test_the_admin_form_saves_the_level_audited_and_previews_it(client_for, admin, taken):
    admin_client = client_for(admin)
    response = admin_client.post(
        f"/admin/rounds/{taken.id}/prizes",
        data=prize_data(unit_prize_count="3", unit_level="department_district"),
    )
    assert response.status_code == 302
    assert db.session.get(RoundUnitLevel, taken.id).level == "department_district"
    entry = db.session.scalars(db.select(AuditLog).where(AuditLog.action == "round.prizes")).one()
    assert entry.details["changes"]["unit_level"][1] == "department_district"
    page = admin_client.get(f"/admin/rounds/{taken.id}/results").text
    assert "Huyện Thử" in page and "Sở, ban, ngành và huyện, thị xã, thành phố" in page
    assert '<option selected value="department_district">' in page


def test_publication_freezes_the_collective_prizes_and_shows_them_publicly(
    client_for, admin, taken, tree, make_user
):
    round_ = settle(taken, level="department_district", count=2)
    anonymous = client_for(None)
    before = anonymous.get(f"/rounds/{round_.id}/results").text
    assert "Giải tập thể" not in before and "Huyện Thử" not in before
    publication.publish(round_, actor=admin, now=now())
    frozen = [
        (p.rank, p.unit.code, p.participants, p.headcount)
        for p in db.session.scalars(db.select(UnitPrize).order_by(UnitPrize.rank))
    ]
    assert frozen == [(1, "HUYEN", 16, 25), (2, "SO", 5, 10)]
    # Later attempts change the live aggregates, not the published prizes.
    take_part(round_, tree["so"], make_user, 5, correct=9)
    page = anonymous.get(f"/rounds/{round_.id}/results").text
    table = page[page.index('id="unit-prizes"') :]
    table = table[: table.index("</table>")]
    assert table.index("Huyện Thử") < table.index("Sở Thử")
    assert "64%" in table and ">16<" in table and ">25<" in table
    assert db.session.scalar(db.select(db.func.count(UnitPrize.id))) == 2


def test_the_level_cannot_change_after_publication(admin, taken):
    round_ = settle(taken, level="district")
    publication.publish(round_, actor=admin, now=now())
    with pytest.raises(DomainError) as refused:
        prizes.set_prizes(round_, {}, 5, 0, actor=None, now=now(), unit_level="commune")
    assert refused.value.code == "already_published"
    db.session.rollback()
    assert db.session.get(RoundUnitLevel, round_.id).level == "district"


def test_the_demo_organizer_can_award_collective_prizes_and_publish_them(
    runner, client_for, make_user
):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    # The demo's open round (the other one is published already).
    round_ = db.session.scalars(db.select(Round).where(Round.results_published_at.is_(None))).one()
    assert db.session.get(RoundUnitLevel, round_.id).level == "department_commune"
    organizer = db.session.scalars(
        db.select(User).where(User.email == "admin@demo.example.vn")
    ).one()
    organizer.set_password(PASSWORD, now=now())  # the seeded one is printed, not kept
    db.session.commit()
    admin_client = client_for(organizer)
    response = admin_client.post(
        f"/admin/rounds/{round_.id}/prizes",
        data=prize_data(unit_prize_count="3", unit_min_rate="1", unit_level="commune"),
    )
    assert response.status_code == 302
    published = admin_client.post(f"/admin/rounds/{round_.id}/publish", data={"confirm": "y"})
    assert published.status_code == 302
    winners = db.session.scalars(
        db.select(UnitPrize).where(UnitPrize.round_id == round_.id).order_by(UnitPrize.rank)
    ).all()
    assert len(winners) == 3 and all(p.unit.kind == "commune" for p in winners)
    page = client_for(None).get(f"/rounds/{round_.id}/results").text
    assert winners[0].unit.name in page
    contest = round_.contest
    assert (
        admin_client.post(
            f"/admin/contests/{contest.id}/ranking/publish", data={"confirm": "y"}
        ).status_code
        == 302
    )
    assert "Xếp hạng chung cuộc" in client_for(None).get(f"/contests/{contest.slug}").text


def test_the_export_names_the_level_and_lists_the_winning_units(taken):
    round_ = settle(taken, level="department_district", count=2)
    book = open_book(results_workbook(round_))
    info = {r[0]: r[1] for r in table(book["Thông tin"])[1:]}
    assert info["Cấp đơn vị xét giải tập thể"] == "Sở, ban, ngành và huyện, thị xã, thành phố"
    rows = table(book["Giải tập thể"])[1:]
    assert [(r[0], r[1], r[4], r[5]) for r in rows] == [(1, "HUYEN", 16, 25), (2, "SO", 5, 10)]
