"""Practice never serves the answers of a bank an open or upcoming round draws from."""

from datetime import timedelta

import pytest

from quiz.contest import services as contest_services
from quiz.extensions import db
from quiz.models import Bank, Question, Round, Unit
from tests.admin.test_contests import round_form
from tests.factories import make_round, now
from tests.practice.helpers import build_bank, drawn_ids, start, submission

RESERVED = "đang được dùng cho một đợt thi chưa kết thúc"


def _round(bank, **overrides):
    # Written row by row: a round made before the bank was public, or a bank made public
    # later, is exactly the case practice has to catch on its own.
    return make_round(bank, **overrides)


@pytest.mark.parametrize(
    ("when", "field"),
    [
        ("open", "bank_id"),
        ("upcoming", "bank_id"),
        ("open", "citizen_bank_id"),
    ],
)
def test_practice_hides_and_refuses_a_bank_a_round_still_draws_from(
    client, person, bank, make_bank, when, field
):
    other = make_bank("Ngân hàng luyện tập")
    html = start(client, bank.id, 5).text  # drawn while nothing reserved the bank
    assert len(drawn_ids(html)) == 5
    starts = now() - timedelta(hours=1) if when == "open" else now() + timedelta(days=2)
    window = {"opens_at": starts, "closes_at": starts + timedelta(days=3)}
    if field == "bank_id":
        _round(bank, **window)
    else:
        _round(other, citizen_bank_id=bank.id, **window)

    page = client.get("/practice").text
    assert "Ngân hàng thi thử" not in page
    drawn = start(client, bank.id, 5)
    assert drawn.status_code == 422
    assert RESERVED in drawn.text
    assert drawn_ids(drawn.text) == []
    graded = client.post("/practice/grade", data=submission(html))
    assert graded.status_code == 422
    assert RESERVED in graded.text
    assert "Giải thích của câu" not in graded.text


def test_practice_offers_the_bank_again_once_every_round_on_it_has_closed(
    client, person, bank, make_bank
):
    round_ = _round(bank)
    assert start(client, bank.id, 5).status_code == 422
    round_.opens_at = now() - timedelta(days=3)
    round_.closes_at = now() - timedelta(seconds=1)
    db.session.commit()
    assert "Ngân hàng thi thử (25 câu hỏi)" in client.get("/practice").text
    assert len(drawn_ids(start(client, bank.id, 5).text)) == 5


def _cli_round(runner, bank_name: str):
    runner.invoke(args=["contests", "create", "--slug", "hoi-thi-x", "--title", "Hội thi X"])
    return runner.invoke(
        args=[
            "rounds",
            "create",
            "--contest",
            "hoi-thi-x",
            "--title",
            "Đợt 1",
            "--bank",
            bank_name,
            "--questions",
            "5",
            "--time-limit",
            "600",
            "--opens",
            (now() + timedelta(days=1)).isoformat(),
            "--closes",
            (now() + timedelta(days=8)).isoformat(),
        ]
    )


def test_cli_refuses_a_round_on_a_public_bank(runner, make_bank):
    make_bank("Ngân hàng công khai")
    make_bank("Ngân hàng đề thi", public=False)
    refused = _cli_round(runner, "Ngân hàng công khai")
    assert refused.exit_code != 0
    assert "đang dùng để thi thử" in refused.output
    assert db.session.execute(db.select(Round)).first() is None
    made = _cli_round(runner, "Ngân hàng đề thi")
    assert made.exit_code == 0, made.output


def test_admin_form_refuses_a_round_on_a_public_bank(client, make_unit, make_user, login):
    login(make_user(make_unit(code="ROOT"), role="admin"))
    bank = build_bank("Ngân hàng công khai")
    contest = contest_services.create_contest("hoi-thi-y", "Hội thi Y", "", actor=None, now=now())
    data = round_form(bank, draws="", question_count="5")
    response = client.post(f"/admin/contests/{contest.id}/rounds/new", data=data)
    assert response.status_code == 422
    assert "đang dùng để thi thử" in response.text
    assert db.session.execute(db.select(Round)).first() is None


def test_demo_data_keeps_practice_working_and_the_round_bank_private(
    client, runner, make_user, login
):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    # Both demo rounds (the open one and the published one) draw from the private bank.
    [bank_id] = set(db.session.execute(db.select(Round.bank_id)).scalars())
    round_ = db.session.execute(db.select(Round).filter_by(bank_id=bank_id)).scalars().first()
    contest_bank = db.session.get(Bank, round_.bank_id)
    [practice_bank] = db.session.execute(db.select(Bank).where(Bank.is_public)).scalars()
    assert not contest_bank.is_public and practice_bank.id != contest_bank.id
    unit = db.session.execute(db.select(Unit).filter_by(code="DEMO-STP")).scalar_one()
    login(make_user(unit))
    page = client.get("/practice").text
    assert practice_bank.name in page and contest_bank.name not in page
    assert len(drawn_ids(start(client, practice_bank.id, 10).text)) == 10
    assert start(client, contest_bank.id, 10).status_code == 422
    # No question is in both banks: practice teaches the topics, not the round's key.
    texts = {
        bank.id: set(
            db.session.execute(
                db.select(Question.text_key).where(Question.bank_id == bank.id)
            ).scalars()
        )
        for bank in (contest_bank, practice_bank)
    }
    assert len(texts[contest_bank.id]) >= 80 and len(texts[practice_bank.id]) >= 80
    assert not texts[contest_bank.id] & texts[practice_bank.id]
