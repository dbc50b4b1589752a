"""Individual results: hidden until published (admins preview), then names and prizes."""

from datetime import timedelta

import pytest

from quiz.extensions import db
from quiz.results import publication
from tests.factories import PASSWORD, make_bank, make_round, now
from tests.results_pages.helpers import tables, take


@pytest.fixture
def contest_round(make_unit, make_user):
    province = make_unit(code="P", name="Tỉnh Thử", kind="province")
    commune = make_unit(province, code="X", name="Xã Kết Quả")
    round_ = make_round(
        make_bank(),
        question_count=4,
        prize_counts={"staff": {"first": 1, "second": 1}, "citizen": {"first": 1}},
    )
    scores = {"Người Điểm Bốn": 4, "Người Điểm Ba": 3, "Người Điểm Hai": 2}
    scores |= {"Người Điểm Một": 1, "Người Điểm Không": 0}
    people = {}
    for name, correct in scores.items():
        people[name] = make_user(commune, full_name=name)
        take(people[name], round_, correct)
    citizen = make_user(commune, full_name="Bà Con Nhân Dân", participant_group="citizen")
    take(citizen, round_, 4)
    return {
        "round": round_,
        "commune": commune,
        "people": people,
        "admin": make_user(province, role="admin", full_name="Quản Trị Viên"),
        "contestant": people["Người Điểm Bốn"],
    }


def log_in(client, user):
    client.post("/auth/login", data={"login": user.email, "password": PASSWORD})


@pytest.mark.parametrize("who", [None, "contestant"])
def test_before_publication_the_ranking_is_hidden(client, contest_round, who):
    if who:
        log_in(client, contest_round[who])
    response = client.get(f"/rounds/{contest_round['round'].id}/results")
    assert response.status_code == 200
    assert "Kết quả chưa được công bố" in response.text
    assert "Người Điểm Ba" not in response.text and "Bản xem trước" not in response.text
    # Nor the distribution while the round is open: it tells the perfect-score count.
    assert "bucket-full" not in response.text


def test_admins_see_a_marked_preview_before_publication(client, contest_round):
    log_in(client, contest_round["admin"])
    response = client.get(f"/rounds/{contest_round['round'].id}/results")
    assert "Bản xem trước — chưa công bố" in response.text
    ranking = tables(response.text)[0]
    assert ranking.column("Họ và tên") == [
        "Người Điểm Bốn",
        "Người Điểm Ba",
        "Người Điểm Hai",
        "Người Điểm Một",
        "Người Điểm Không",
    ]
    assert "Giải" not in ranking.head
    assert ranking.rows[0][2] == "4/4" and ranking.rows[0][-1] == "Xã Kết Quả"


def test_after_publication_everyone_sees_names_and_prizes(client, contest_round):
    round_ = contest_round["round"]
    publication.publish(round_, actor=None, now=now())
    response = client.get(f"/rounds/{round_.id}/results")
    assert response.status_code == 200
    assert "Kết quả chưa được công bố" not in response.text
    assert "Bản xem trước" not in response.text
    ranking = tables(response.text)[0]
    assert ranking.head == [
        "Hạng",
        "Họ và tên",
        "Số câu đúng",
        "Thời gian làm bài",
        "Giải",
        "Đơn vị",
    ]
    assert [r[:2] + r[4:5] for r in ranking.rows[:3]] == [
        ["1", "Người Điểm Bốn", "Nhất"],
        ["2", "Người Điểm Ba", "Nhì"],
        ["3", "—", ""],  # no prize: no name in public (docs/security.md)
    ]
    assert "phút" in ranking.rows[0][3] and ranking.rows[0][5] == "Xã Kết Quả"
    citizens = tables(client.get(f"/rounds/{round_.id}/results?group=citizen").text)[0]
    assert [(r[1], r[4]) for r in citizens.rows] == [("Bà Con Nhân Dân", "Nhất")]


def test_published_results_stay_frozen(client, contest_round, make_user):
    round_ = contest_round["round"]
    publication.publish(round_, actor=None, now=now())
    late = make_user(contest_round["commune"], full_name="Người Đến Muộn")
    take(late, round_, 4)
    names = tables(client.get(f"/rounds/{round_.id}/results").text)[0].column("Họ và tên")
    assert "Người Đến Muộn" not in names and len(names) == 5


def test_score_distribution_buckets(client, contest_round):
    round_ = contest_round["round"]
    publication.publish(round_, actor=None, now=now())
    page = client.get(f"/rounds/{round_.id}/results").text
    dist = next(t for t in tables(page) if t.head[0] == "Tỷ lệ câu đúng")
    # 6 people: 4/4 twice (one citizen), 3/4 = 75 %, 2/4 and 1/4 = 25 %, 0/4.
    assert dist.rows == [
        ["100 %", "2", "33,3%"],
        ["Từ 75 % đến dưới 100 %", "1", "16,7%"],
        ["Từ 25 % đến dưới 75 %", "2", "33,3%"],
        ["Dưới 25 %", "1", "16,7%"],
    ]
    assert 'class="rate-meter" min="0" max="1" value="0.3333' in page


def test_distribution_stays_hidden_after_close_until_publication(client, contest_round):
    # The 100 % band is the perfect-score count, the prediction's figure: it is public
    # with the results, not when the round closes (docs/security.md).
    round_ = contest_round["round"]
    round_.opens_at = now() - timedelta(days=3)
    round_.closes_at = now() - timedelta(days=1)
    db.session.commit()
    page = client.get(f"/rounds/{round_.id}/results").text
    assert "Kết quả chưa được công bố" in page and "bucket-full" not in page


def test_a_bad_group_is_a_bad_request_and_an_unknown_round_not_found(client, contest_round):
    assert client.get(f"/rounds/{contest_round['round'].id}/results?group=x").status_code == 400
    assert client.get("/rounds/999999/results").status_code == 404
