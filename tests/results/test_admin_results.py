"""The admin results page: prize settings, preview, statistics and per-question flags."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook

from quiz.admin import views as admin_views
from quiz.errors import DomainError
from quiz.extensions import db
from quiz.models import AttemptQuestion, AuditLog, Question, Round
from quiz.results import prizes, publication, statistics
from quiz.results.exports import question_stats, result_rows, results_workbook
from tests.factories import make_round, now
from tests.sheets import table

from .conftest import add_attempt, prize_data


def audits(action: str) -> list[AuditLog]:
    return list(db.session.execute(db.select(AuditLog).filter_by(action=action)).scalars())


def fresh(round_id: int) -> Round:
    db.session.expire_all()
    return db.session.get(Round, round_id)


# ---- prize settings ----


def test_prize_settings_are_saved_and_audited(client_for, admin, round_):
    response = client_for(admin).post(
        f"/admin/rounds/{round_.id}/prizes",
        data=prize_data(
            staff_first="1",
            staff_second="2",
            staff_third=" 3 ",
            citizen_consolation="5",
            unit_prize_count="3",
            unit_min_rate="62,5",
        ),
    )
    assert response.status_code == 302
    saved = fresh(round_.id)
    assert saved.prize_counts == {
        "staff": {"first": 1, "second": 2, "third": 3, "consolation": 0},
        "citizen": {"first": 0, "second": 0, "third": 0, "consolation": 5},
    }
    assert (saved.unit_prize_count, saved.unit_min_rate) == (3, 62.5)
    [entry] = audits("round.prizes")
    assert entry.actor_id == admin.id and entry.target_id == str(round_.id)
    # What changed, old → new.
    changes = entry.details["changes"]
    assert changes["unit_min_rate"][1] == 62.5
    assert changes["prize_counts"][1]["staff"]["second"] == 2
    assert changes["prize_counts"][0] != changes["prize_counts"][1]
    form = client_for(admin).get(f"/admin/rounds/{round_.id}/results").text
    assert re.search(r'<input[^>]*name="staff_second"[^>]*value="2"', form)
    assert re.search(r'<input[^>]*name="unit_min_rate"[^>]*value="62.5"', form)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("staff_first", "-1"),
        ("staff_first", "một"),
        ("citizen_third", "1.5"),
        ("staff_second", ""),
        ("staff_first", "99999"),
        ("unit_prize_count", "-2"),
        ("unit_min_rate", "101"),
        ("unit_min_rate", "-1"),
        ("unit_min_rate", "abc"),
        ("unit_min_rate", ""),
    ],
)
def test_bad_prize_settings_are_refused_and_change_nothing(client_for, admin, round_, field, value):
    response = client_for(admin).post(
        f"/admin/rounds/{round_.id}/prizes", data=prize_data(**{field: value})
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text and "Vui lòng sửa các lỗi" in response.text
    saved = fresh(round_.id)
    assert (saved.prize_counts, saved.unit_prize_count, saved.unit_min_rate) == ({}, 0, 0.0)
    assert audits("round.prizes") == []


@pytest.mark.parametrize(
    ("counts", "units", "rate"),
    [
        ({"staff": {"first": -1}}, 0, 0),
        ({"staff": {"first": True}}, 0, 0),
        ({"citizen": {"second": "3"}}, 0, 0),
        ({}, -1, 0),
        ({}, 0, 100.5),
        ({}, 0, -0.1),
    ],
)
def test_prize_service_refuses_bad_values(admin, round_, counts, units, rate):
    with pytest.raises(DomainError) as refused:
        prizes.set_prizes(round_, counts, units, rate, actor=admin, now=now())
    assert refused.value.status == 422
    db.session.rollback()
    assert fresh(round_.id).prize_counts == {}


def test_prize_settings_are_refused_once_published(client_for, admin, round_):
    publication.publish(round_, actor=admin, now=now())
    response = client_for(admin).post(
        f"/admin/rounds/{round_.id}/prizes", data=prize_data(staff_first="1")
    )
    assert response.status_code == 409
    assert "không thể thay đổi số giải" in response.text
    assert fresh(round_.id).prize_counts == {}
    assert audits("round.prizes") == []


# ---- preview and statistics ----


@pytest.fixture
def scored(round_, unit, make_user):
    round_.prize_counts = {"staff": {"first": 1}, "citizen": {"first": 1}}
    db.session.commit()
    people = [
        ("Hoàng <Admin>", "staff", 10, 1, 0),
        ("Bùi Thu", "staff", 8, 4, 86_400),
        ("Vũ Dân", "citizen", 5, None, 2 * 86_400),
        ("Đỗ Tám", "staff", 2, 0, 2 * 86_400 + 60),
    ]
    for name, group, correct, prediction, at in people:
        user = make_user(unit, full_name=name, participant_group=group)
        add_attempt(round_, user, correct=correct, prediction=prediction, submitted=at)
    return round_


def svgs(page: str) -> list[ET.Element]:
    # Our own page's markup, parsed to prove it is well-formed XML.
    found = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    return [ET.fromstring(s) for s in found]  # noqa: S314


def test_results_page_shows_the_preview_prizes_and_true_figure(client_for, admin, scored):
    page = client_for(admin).get(f"/admin/rounds/{scored.id}/results").text
    assert "Hoàng &lt;Admin&gt;" in page and "<Admin>" not in page
    assert page.index("Hoàng &lt;Admin&gt;") < page.index("Bùi Thu") < page.index("Đỗ Tám")
    assert "Giải Nhất" in page
    assert "Con số thực tế của câu hỏi dự đoán: 1" in page
    assert "bản xem trước" in page


def test_results_page_says_how_many_of_the_ranked_it_shows(client_for, admin, scored, monkeypatch):
    page = client_for(admin).get(f"/admin/rounds/{scored.id}/results").text
    assert "3 người được xếp hạng; hiển thị cả 3 người." in page
    assert "1 người được xếp hạng; hiển thị cả 1 người." in page
    assert "người đầu" not in page
    monkeypatch.setattr(admin_views, "RESULTS_TOP", 2)
    page = client_for(admin).get(f"/admin/rounds/{scored.id}/results").text
    assert (
        "3 người được xếp hạng; hiển thị 2 người đầu trong 3 người và mọi người đoạt giải" in page
    )


def test_statistics_are_charts_readable_without_javascript(client_for, admin, scored):
    page = client_for(admin).get(f"/admin/rounds/{scored.id}/results").text
    charts = svgs(page)
    assert [c.get("id") for c in charts] == [
        "chart-days",
        "chart-groups",
        "chart-kinds",
        "chart-scores",
    ]
    assert all(c.get("role") == "img" for c in charts)
    # Participation per day in a table too: 01/10 two staff… as recorded in Vietnam time.
    assert "01/10/2026" in page and "02/10/2026" in page and "03/10/2026" in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_statistics_count_groups_score_bands_and_unit_kinds(scored, make_unit, make_user, unit):
    top = db.session.get(type(unit), unit.parent_id)
    make_user(top)  # registered with the province itself: no participation yet
    add_attempt(scored, make_user(top, full_name="Ở Tỉnh"), correct=7, submitted=10)
    stats = statistics.statistics(fresh(scored.id))
    assert stats.people == {"staff": 4, "citizen": 1}
    # Out of 10: 10 → 100 %; 8 → ≥ 75 %; 7 and 5 → 25–75 %; 2 → < 25 %.
    assert stats.buckets == {"staff": [1, 1, 1, 1], "citizen": [0, 0, 1, 0]}
    assert [(k.kind, k.participants) for k in stats.kinds] == [("department", 4)]
    assert stats.direct == 1
    assert [sum(n.values()) for _day, n in stats.days] == [2, 1, 2]


@pytest.mark.parametrize(
    ("correct", "band"), [(8, 0), (7, 1), (6, 1), (5, 2), (2, 2), (1, 3), (0, 3)]
)
def test_score_bands_follow_the_share_of_right_answers(correct, band):
    assert statistics.bucket(correct, 8) == band


# ---- per-question correctness ----


@pytest.fixture
def answered(bank, unit, make_user):
    """Twenty finalized attempts over four questions, and one open attempt."""
    round_ = make_round(bank, question_count=4)
    questions = db.session.execute(db.select(Question).order_by(Question.id).limit(4)).scalars()
    q1, q2, q3, q4 = questions
    right = {q.id: q.correct_choice.id for q in (q1, q2, q3, q4)}
    wrong = {q.id: next(c.id for c in q.choices if c.id != right[q.id]) for q in (q1, q2, q3, q4)}
    person = make_user(unit)

    def answers(n: int) -> dict:
        return {
            q1.id: right[q1.id] if n < 3 else wrong[q1.id],  # 3 of 20 right: 15 %
            q2.id: right[q2.id] if n < 4 else wrong[q2.id],  # 4 of 20 right: exactly 20 %
            q3.id: None if n == 19 else wrong[q3.id],  # 19 answers, all wrong: too few
            q4.id: right[q4.id],
        }

    for n in range(20):
        attempt = add_attempt(round_, person, correct=0, submitted=n)
        for position, (qid, choice) in enumerate(answers(n).items(), start=1):
            db.session.add(
                AttemptQuestion(
                    attempt_id=attempt.id,
                    position=position,
                    question_id=qid,
                    choice_order="1,2,3,4",
                    selected_choice_id=choice,
                )
            )
    open_attempt = add_attempt(round_, make_user(unit), correct=None, status="in_progress")
    db.session.add(
        AttemptQuestion(
            attempt_id=open_attempt.id,
            position=1,
            question_id=q4.id,
            choice_order="1,2,3,4",
            selected_choice_id=wrong[q4.id],
        )
    )
    db.session.commit()
    return round_, (q1, q2, q3, q4)


def test_question_statistics_count_shown_answered_and_right(answered):
    round_, (q1, q2, q3, q4) = answered
    stats = {s.question_id: s for s in question_stats(round_)}
    counts = [(stats[q.id].shown, stats[q.id].answered, stats[q.id].right) for q in answered[1]]
    assert counts == [(20, 20, 3), (20, 20, 4), (20, 19, 0), (20, 20, 20)]
    assert [stats[q.id].suspect for q in (q1, q2, q3, q4)] == [True, False, False, False]
    assert [s.question_id for s in question_stats(round_)] == [q3.id, q1.id, q2.id, q4.id]


def test_a_question_rarely_answered_right_is_flagged_on_the_page_and_in_the_export(
    client_for, admin, answered
):
    round_, (q1, q2, q3, q4) = answered
    page = client_for(admin).get(f"/admin/rounds/{round_.id}/results").text
    rows = dict(re.findall(r'<tr data-question="(\d+)"[^>]*>(.*?)</tr>', page, flags=re.S))
    assert "Nghi sai đáp án?" in rows[str(q1.id)]
    assert all("Nghi sai đáp án?" not in rows[str(q.id)] for q in (q2, q3, q4))
    sheet = load_workbook(io.BytesIO(results_workbook(round_)))["Thống kê câu hỏi"]
    notes = {r[0]: (r[7], r[8]) for r in table(sheet)[1:]}
    assert notes[q1.id] == (15.0, "Nghi sai đáp án?")
    assert notes[q2.id] == (20.0, None)


def test_preview_rows_reach_every_prize_winner_past_the_limit(round_, unit, make_user):
    round_.prize_counts = {"staff": {"first": 1, "second": 1}}
    db.session.commit()
    for n, (name, organizer) in enumerate([("O1", True), ("O2", True), ("A", False), ("B", False)]):
        user = make_user(unit, full_name=name, is_organizer_staff=organizer)
        add_attempt(round_, user, correct=10 - n, submitted=n)
    add_attempt(round_, make_user(unit, full_name="C"), correct=5, submitted=9)
    expected = [(1, "O1", None), (3, "A", "first"), (4, "B", "second")]
    live = result_rows(round_, "staff", limit=1)
    assert [(r.rank, r.full_name, r.prize) for r in live] == expected
    publication.publish(round_, actor=None, now=now())
    frozen = result_rows(fresh(round_.id), "staff", limit=1)
    assert [(r.rank, r.full_name, r.prize) for r in frozen] == expected
