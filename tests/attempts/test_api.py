"""The quiz flow through the JSON API: start, answer, predict, submit — and every refusal."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from quiz.attempts import services
from quiz.extensions import db
from quiz.models import Attempt, AttemptQuestion, Choice, Question
from tests.factories import make_bank, make_round, now


@pytest.fixture
def bank(app):
    return make_bank(topics={"Chuyển đổi số": 6, "Cải cách hành chính": 6, "An toàn": 3})


@pytest.fixture
def person(make_unit, make_user, login):
    user = make_user(make_unit())
    login(user)
    return user


def start(client, round_id):
    return client.post(f"/api/v1/rounds/{round_id}/attempts")


def correct_token(attempt_id: int, question_text: str, payload: dict) -> str:
    """The test knows the key (choice "Đúng …"); the browser never does."""
    question = next(q for q in payload["questions"] if q["text"] == question_text)
    return next(c["id"] for c in question["choices"] if c["text"].startswith("Đúng"))


def test_start_draws_by_quota_freezes_and_resumes(client, person, bank):
    round_ = make_round(bank, question_count=6, draws={"Chuyển đổi số": 2, "An toàn": 3})
    first = start(client, round_.id)
    assert first.status_code == 201
    body = first.json
    assert [q["position"] for q in body["questions"]] == [1, 2, 3, 4, 5, 6]
    topics = [q["text"].split(":")[0] for q in body["questions"]]
    assert topics.count("An toàn") == 3 and topics.count("Chuyển đổi số") >= 2
    assert len({q["text"] for q in body["questions"]}) == 6
    assert all(
        q["selected_choice_id"] is None and len(q["choices"]) == 4 for q in body["questions"]
    )
    again = start(client, round_.id)
    assert again.status_code == 200
    assert again.json["id"] == body["id"] and again.json["questions"] == body["questions"]
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1


def test_deadline_is_start_plus_limit_but_never_after_close(client, person, bank):
    round_ = make_round(bank, closes_at=now() + timedelta(seconds=200), time_limit_seconds=600)
    body = start(client, round_.id).json
    attempt = db.session.get(Attempt, body["id"])
    assert attempt.deadline_at == round_.closes_at
    assert body["deadline_at"].endswith("+00:00") and body["server_now"]


def test_nothing_sent_before_finalizing_tells_the_correct_choice(client, person, bank):
    round_ = make_round(bank, question_count=5)
    body = start(client, round_.id).json
    db_ids = {str(i) for i in db.session.execute(db.select(Choice.id)).scalars()}
    for q in body["questions"]:
        assert set(q) == {"position", "text", "choices", "selected_choice_id"}
        for c in q["choices"]:
            assert set(c) == {"id", "text"}
            assert c["id"] not in db_ids and len(c["id"]) == 16
    page = client.get(f"/attempts/{body['id']}").text
    assert "correct" not in page and "Giải thích" not in page and "đáp án đúng" not in page
    # The shuffled order differs between questions (the right one is not always first).
    firsts = {q["choices"][0]["text"].startswith("Đúng") for q in body["questions"]}
    orders = [[c["text"].split()[0] for c in q["choices"]] for q in body["questions"]]
    assert len(set(map(tuple, orders))) > 1 or firsts == {False}


def test_answers_are_saved_graded_and_submit_is_idempotent(client, person, bank):
    round_ = make_round(bank, question_count=4)
    body = start(client, round_.id).json
    aid = body["id"]
    texts = [q["text"] for q in body["questions"]]
    for position, text in enumerate(texts[:3], start=1):
        token = correct_token(aid, text, body)
        saved = client.put(f"/api/v1/attempts/{aid}/answers/{position}", json={"choice_id": token})
        assert saved.status_code == 200
        assert saved.json["position"] == position and saved.json["choice_id"] == token
    wrong = next(c["id"] for c in body["questions"][3]["choices"] if c["text"].startswith("Sai"))
    client.put(f"/api/v1/attempts/{aid}/answers/4", json={"choice_id": wrong})
    reloaded = client.get(f"/api/v1/attempts/{aid}").json
    assert [q["selected_choice_id"] is not None for q in reloaded["questions"]] == [True] * 4
    first = client.post(f"/api/v1/attempts/{aid}/submit")
    assert first.status_code == 200
    assert first.json["status"] == "submitted"
    assert (first.json["correct_count"], first.json["question_count"]) == (3, 4)
    assert client.post(f"/api/v1/attempts/{aid}/submit").json == first.json
    closed = client.put(f"/api/v1/attempts/{aid}/answers/1", json={"choice_id": wrong})
    assert closed.status_code == 409 and closed.json["error"]["code"] == "attempt_closed"
    no_more = start(client, round_.id)
    assert no_more.status_code == 409 and no_more.json["error"]["code"] == "already_submitted"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"choice_id": "khong-co"}, 422, "invalid_choice"),
        ({"choice_id": 5}, 422, "invalid_choice"),
        ({}, 400, "invalid_request"),
        ([1, 2], 400, "invalid_json"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(client, person, bank, body, status, code):
    aid = start(client, make_round(bank).id).json["id"]
    response = client.put(f"/api/v1/attempts/{aid}/answers/1", json=body)
    assert response.status_code == status and response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    selected = db.session.execute(db.select(AttemptQuestion.selected_choice_id)).scalars().all()
    assert set(selected) == {None}


def test_a_choice_of_another_question_is_invalid(client, person, bank):
    body = start(client, make_round(bank).id).json
    other = body["questions"][1]["choices"][0]["id"]
    response = client.put(f"/api/v1/attempts/{body['id']}/answers/1", json={"choice_id": other})
    assert response.status_code == 422 and response.json["error"]["code"] == "invalid_choice"


def test_unknown_position_and_someone_elses_attempt_are_not_found(
    client, web_app, person, bank, make_user, make_unit
):
    body = start(client, make_round(bank).id).json
    token = body["questions"][0]["choices"][0]["id"]
    assert (
        client.put(
            f"/api/v1/attempts/{body['id']}/answers/99", json={"choice_id": token}
        ).status_code
        == 404
    )
    other_user = make_user(make_unit())
    other = web_app.test_client()
    other.post("/auth/login", data={"login": other_user.email, "password": "mat-khau-1"})
    for method, path, payload in [
        ("GET", f"/api/v1/attempts/{body['id']}", None),
        ("PUT", f"/api/v1/attempts/{body['id']}/answers/1", {"choice_id": token}),
        ("PUT", f"/api/v1/attempts/{body['id']}/prediction", {"value": 3}),
        ("POST", f"/api/v1/attempts/{body['id']}/submit", None),
    ]:
        response = other.open(path, method=method, json=payload)
        assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    assert other.get(f"/attempts/{body['id']}").status_code == 404
    assert db.session.get(Attempt, body["id"]).status == "in_progress"


def test_anonymous_api_calls_get_401(client, bank):
    round_ = make_round(bank)
    response = client.post(f"/api/v1/rounds/{round_.id}/attempts")
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"


def test_round_not_open_and_not_eligible_are_403(client, person, bank):
    later = make_round(
        bank, opens_at=now() + timedelta(hours=1), closes_at=now() + timedelta(days=1)
    )
    response = start(client, later.id)
    assert response.status_code == 403 and response.json["error"]["code"] == "round_not_open"
    over = make_round(bank, opens_at=now() - timedelta(days=2), closes_at=now() - timedelta(days=1))
    assert start(client, over.id).json["error"]["code"] == "round_not_open"
    citizens = make_round(bank, allow_staff=False, allow_citizen=True)
    response = start(client, citizens.id)
    assert response.status_code == 403 and response.json["error"]["code"] == "not_eligible"
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 0


def test_round_detail_lists_my_attempts(client, person, bank):
    round_ = make_round(bank, prediction="perfect", attempts_allowed=2)
    aid = start(client, round_.id).json["id"]
    body = client.get(f"/api/v1/rounds/{round_.id}").json
    assert body["my_attempts"] == [{"id": aid, "status": "in_progress"}]
    assert (body["prediction"], body["attempts_allowed"], body["question_count"]) == (
        "perfect",
        2,
        5,
    )
    assert client.get("/api/v1/rounds/999999").status_code == 404


@pytest.mark.parametrize("value", [-1, "12", 1.5, True, None, 10**12])
def test_bad_predictions_are_refused(client, person, bank, value):
    aid = start(client, make_round(bank, prediction="perfect").id).json["id"]
    response = client.put(f"/api/v1/attempts/{aid}/prediction", json={"value": value})
    assert response.status_code == 422 and response.json["error"]["code"] == "invalid_prediction"
    assert db.session.get(Attempt, aid).prediction is None


def test_prediction_is_saved_and_refused_where_the_round_has_none(client, person, bank):
    aid = start(client, make_round(bank, prediction="participants").id).json["id"]
    assert client.put(f"/api/v1/attempts/{aid}/prediction", json={"value": 1234}).status_code == 200
    assert client.get(f"/api/v1/attempts/{aid}").json["prediction"] == 1234
    other = start(client, make_round(bank).id).json["id"]
    assert client.put(f"/api/v1/attempts/{other}/prediction", json={"value": 3}).status_code == 422


def _attempt_started_at(client, round_, started):
    """Start an attempt, then move its clock back as if it had started at `started`."""
    aid = start(client, round_.id).json["id"]
    attempt = db.session.get(Attempt, aid)
    attempt.started_at = started
    attempt.deadline_at = started + timedelta(seconds=round_.time_limit_seconds)
    db.session.commit()
    return aid


def test_answer_within_grace_is_saved_and_after_grace_refused(client, person, bank):
    round_ = make_round(bank, time_limit_seconds=60, grace_seconds=10)
    # Deadline passed 5 s ago: inside the 10 s grace.
    aid = _attempt_started_at(client, round_, now() - timedelta(seconds=65))
    token = client.get(f"/api/v1/attempts/{aid}").json["questions"][0]["choices"][0]["id"]
    assert (
        client.put(f"/api/v1/attempts/{aid}/answers/1", json={"choice_id": token}).status_code
        == 200
    )
    # Deadline passed 11 s ago: refused, and the attempt is finalized at its deadline.
    attempt = db.session.get(Attempt, aid)
    attempt.started_at -= timedelta(seconds=6)
    attempt.deadline_at -= timedelta(seconds=6)
    db.session.commit()
    late = client.put(f"/api/v1/attempts/{aid}/answers/2", json={"choice_id": token})
    assert late.status_code == 422 and late.json["error"]["code"] == "deadline_passed"
    db.session.expire_all()
    attempt = db.session.get(Attempt, aid)
    assert attempt.status == "expired" and attempt.submitted_at == attempt.deadline_at
    assert attempt.duration_ms == 60_000
    assert [aq.selected_choice_id is not None for aq in attempt.questions][:2] == [True, False]


def test_submit_after_grace_gives_the_expired_result(client, person, bank):
    round_ = make_round(bank, time_limit_seconds=60, grace_seconds=0)
    aid = _attempt_started_at(client, round_, now() - timedelta(seconds=61))
    response = client.post(f"/api/v1/attempts/{aid}/submit")
    assert response.status_code == 200 and response.json["status"] == "expired"
    assert response.json["duration_seconds"] == 60.0


def _started(user, round_, seconds_ago: int) -> int:
    attempt, _ = services.start(user, round_.id, now())
    attempt.started_at = now() - timedelta(seconds=seconds_ago)
    attempt.deadline_at = attempt.started_at + timedelta(seconds=round_.time_limit_seconds)
    db.session.commit()
    return attempt.id


def test_sweep_finalizes_past_grace_only_and_survives_a_bad_row(
    runner, bank, make_user, make_unit, monkeypatch
):
    round_ = make_round(bank, time_limit_seconds=60, grace_seconds=10)
    unit = make_unit()
    bad = _started(make_user(unit), round_, 300)
    late = _started(make_user(unit), round_, 200)
    inside = _started(make_user(unit), round_, 65)
    real_grade = services._grade

    def grade(attempt):
        if attempt.id == bad:
            raise RuntimeError("a broken row")
        return real_grade(attempt)

    monkeypatch.setattr(services, "_grade", grade)
    result = runner.invoke(args=["attempts", "close-expired"])
    assert result.exit_code == 1 and "1 bài lỗi" in result.output and "Đã chốt 1" in result.output
    db.session.expire_all()
    late_attempt = db.session.get(Attempt, late)
    assert late_attempt.status == "expired"
    assert late_attempt.submitted_at == late_attempt.deadline_at
    assert db.session.get(Attempt, bad).status == "in_progress"
    assert db.session.get(Attempt, inside).status == "in_progress"


def test_sweep_leaves_attempts_inside_their_grace(runner, client, person, bank):
    round_ = make_round(bank, time_limit_seconds=60, grace_seconds=30)
    aid = _attempt_started_at(client, round_, now() - timedelta(seconds=70))
    result = runner.invoke(args=["attempts", "close-expired"])
    assert result.exit_code == 0 and "Đã chốt 0" in result.output
    assert db.session.get(Attempt, aid).status == "in_progress"


def test_several_attempts_allowed_and_the_best_counts(client, person, bank):
    round_ = make_round(bank, question_count=3, attempts_allowed=2)
    first = start(client, round_.id).json
    for q in first["questions"]:
        client.put(
            f"/api/v1/attempts/{first['id']}/answers/{q['position']}",
            json={"choice_id": correct_token(first["id"], q["text"], first)},
        )
    client.post(f"/api/v1/attempts/{first['id']}/submit")
    second = start(client, round_.id)
    assert second.status_code == 201
    client.post(f"/api/v1/attempts/{second.json['id']}/submit")
    from quiz.results.ranking import best_attempt

    assert best_attempt(person.id, round_).id == first["id"]
    numbers = db.session.execute(db.select(Attempt.number).order_by(Attempt.number)).scalars().all()
    assert numbers == [1, 2]
    assert start(client, round_.id).status_code == 409


def test_draw_never_repeats_and_honours_quotas_over_many_starts(app, bank, make_user, make_unit):
    round_ = make_round(bank, question_count=8, draws={"An toàn": 3, "Cải cách hành chính": 2})
    unit = make_unit()
    for _ in range(15):
        attempt, _created = services.start(make_user(unit), round_.id, now())
        texts = [aq.question.text for aq in attempt.questions]
        assert len(texts) == len(set(texts)) == 8
        assert sum(t.startswith("An toàn") for t in texts) == 3
        assert sum(t.startswith("Cải cách") for t in texts) >= 2


def test_retired_questions_are_never_drawn(app, bank, make_user, make_unit):
    from quiz.bank import services as bank_services

    for q in db.session.execute(
        db.select(Question).where(Question.text.like("An toàn%"))
    ).scalars():
        bank_services.set_retired(q, True, actor=None, now=now())
    round_ = make_round(bank, question_count=12)
    attempt, _ = services.start(make_user(make_unit()), round_.id, now())
    assert not any(aq.question.text.startswith("An toàn") for aq in attempt.questions)


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count, self.statements = engine, 0, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._hit)

    def _hit(self, conn, cursor, statement, *args):
        self.count += 1
        self.statements.append(statement.split("\n")[0][:90])


def test_start_save_and_submit_use_few_constant_queries(client, web_app, person, bank):
    round_ = make_round(bank, question_count=10)
    with web_app.app_context():
        engine = db.engine
    start(client, make_round(bank, question_count=1).id)  # warm the draw pool
    with QueryCounter(engine) as starting:
        body = start(client, round_.id).json
    with QueryCounter(engine) as saving:
        client.put(
            f"/api/v1/attempts/{body['id']}/answers/1",
            json={"choice_id": body["questions"][0]["choices"][0]["id"]},
        )
    with QueryCounter(engine) as fetching:
        client.get(f"/api/v1/attempts/{body['id']}")
    with QueryCounter(engine) as submitting:
        client.post(f"/api/v1/attempts/{body['id']}/submit")
    counters = {"start": starting, "save": saving, "fetch": fetching, "submit": submitting}
    counts = {name: counter.count for name, counter in counters.items()}
    print("queries per request:", counts)
    for name, counter in counters.items():
        print(name, *counter.statements, sep="\n  ")
    # SQLite counts its BEGIN too. Save: person (with its session), lock + read, write;
    # fetch: person, attempt with its round, the frozen rows. Start: + the person's row
    # lock; submit: + the contest's rule on unapproved accounts, + the round's results
    # version (its caches).
    assert counts["save"] <= 4 and counts["fetch"] <= 4, counts
    # submit: 17 since the per-unit day counts of the managers' trend (one upsert).
    assert counts["start"] <= 11 and counts["submit"] <= 17, counts


def test_closing_a_round_earlier_moves_open_deadlines_forward(app, bank, make_user, make_unit):
    from dataclasses import fields

    from quiz.contest import services as contest_services

    round_ = make_round(bank, time_limit_seconds=3600)
    attempt, _ = services.start(make_user(make_unit()), round_.id, now())
    new_close = now() + timedelta(minutes=5)
    settings = contest_services.RoundSettings(
        **{
            f.name: getattr(round_, f.name)
            for f in fields(contest_services.RoundSettings)
            if f.name != "draws"
        }
    )
    settings.closes_at = new_close
    contest_services.update_round(round_, settings, actor=None, now=now())
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).deadline_at == new_close


def test_editing_a_used_question_keeps_the_attempts_view_and_grade(client, person, bank):
    from question_bank.questions import QuestionRecord
    from quiz.bank import services as bank_services

    body = start(client, make_round(bank, question_count=1).id).json
    shown = body["questions"][0]
    right = next(c["id"] for c in shown["choices"] if c["text"].startswith("Đúng"))
    client.put(f"/api/v1/attempts/{body['id']}/answers/1", json={"choice_id": right})
    used = db.session.execute(db.select(Question).filter_by(text=shown["text"])).scalar_one()
    # The organizer rewrites it and moves the key to another choice.
    bank_services.edit_question(
        used,
        QuestionRecord(
            0, "Chuyển đổi số", "Câu hỏi đã sửa?", ("Sai", "Đúng mới"), 1, None, None, None
        ),
        actor=None,
        now=now(),
    )
    again = client.get(f"/api/v1/attempts/{body['id']}").json["questions"][0]
    assert again["text"] == shown["text"] and again["choices"] == shown["choices"]
    result = client.post(f"/api/v1/attempts/{body['id']}/submit").json
    assert result["correct_count"] == 1
