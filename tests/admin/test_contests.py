"""Admin: contests and rounds — create, edit, refusals shown on the form, live counts."""

import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from question_bank.questions import QuestionRecord
from quiz.bank import services as bank_services
from quiz.contest import services as contest_services
from quiz.extensions import db
from quiz.models import Attempt, AttemptStatus, AuditLog, Contest, Round
from tests.factories import now

CDS, CCHC = "Chuyển đổi số", "Cải cách hành chính"


@pytest.fixture
def admin(make_unit, make_user, login):
    user = make_user(make_unit(code="ROOT"), role="admin", full_name="Ban Tổ chức")
    login(user)
    return user


def make_bank(name: str, topics: dict[str, int]):
    bank = bank_services.create_bank(name, None, actor=None, now=now())
    records = [
        QuestionRecord(
            row, topic, f"{name}: câu {topic} số {i}?", ("Đúng", "Sai"), 0, None, None, None
        )
        for row, (topic, i) in enumerate(
            ((t, i) for t, n in topics.items() for i in range(n)), start=2
        )
    ]
    bank_services.import_records(bank, records, actor=None, now=now())
    db.session.commit()
    return bank


@pytest.fixture
def bank(app):
    return make_bank("Ngân hàng CĐS 2026", {CDS: 5, CCHC: 3})


@pytest.fixture
def contest(app):
    return contest_services.create_contest(
        "hoi-thi-cds-2026", "Hội thi tìm hiểu CĐS 2026", "# Thể lệ", actor=None, now=now()
    )


def round_form(bank, **overrides) -> dict:
    data = {
        "title": "Tuần 1",
        "opens_at": "2026-12-01T08:00",
        "closes_at": "2026-12-07T17:30",
        "bank_id": str(bank.id),
        "citizen_bank_id": "0",
        "question_count": "6",
        "time_limit_minutes": "15",
        "draws": f"{CDS} = 3\r\n{CCHC} = 2\r\n",
        "attempts_allowed": "2",
        "grace_seconds": "20",
        "prediction": "perfect",
        "review_policy": "after_submit",
        "shuffle_questions": "y",
        "shuffle_choices": "y",
        "allow_staff": "y",
        "allow_citizen": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def input_tag(page: str, id_: str) -> str:
    match = re.search(rf'<input [^>]*\bid="{re.escape(id_)}"[^>]*>', page)
    assert match, id_
    return match.group(0)


def rounds() -> list[Round]:
    return list(db.session.execute(db.select(Round).order_by(Round.id)).scalars())


def audit_actions() -> list[str]:
    return [
        a.action for a in db.session.execute(db.select(AuditLog).order_by(AuditLog.id)).scalars()
    ]


def add_round(contest, bank, title="Tuần", opens=None, closes=None) -> Round:
    opens = opens or now() - timedelta(days=1)
    settings = contest_services.RoundSettings(
        title=title,
        opens_at=opens,
        closes_at=closes or opens + timedelta(days=7),
        bank_id=bank.id,
        question_count=2,
        time_limit_seconds=600,
    )
    return contest_services.create_round(contest, settings, actor=None, now=now())


def add_attempt(round_, user, status=AttemptStatus.IN_PROGRESS, number=1) -> Attempt:
    started = now()
    attempt = Attempt(
        user_id=user.id,
        round_id=round_.id,
        number=number,
        unit_id=user.unit_id,
        participant_group=user.participant_group,
        status=status.value,
        started_at=started,
        deadline_at=started + timedelta(minutes=10),
        submitted_at=None if status == AttemptStatus.IN_PROGRESS else started,
        question_count=round_.question_count,
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


# ---- contests ----


def test_create_contest_saves_it_audits_and_lists_it(client, admin):
    response = client.post(
        "/admin/contests",
        data={
            "slug": "hoi-thi-cchc",
            "title": "Hội thi  tìm hiểu CCHC",
            "rules": "# Thể lệ\n- Một",
        },
    )
    assert response.status_code == 302
    contest = db.session.execute(db.select(Contest)).scalar_one()
    assert (contest.slug, contest.title, contest.rules) == (
        "hoi-thi-cchc",
        "Hội thi tìm hiểu CCHC",
        "# Thể lệ\n- Một",
    )
    assert audit_actions() == ["contest.create"]
    page = client.get("/admin/contests").text
    assert "Hội thi tìm hiểu CCHC" in page and "Đã tạo hội thi" in page


def test_create_contest_with_bad_slug_is_refused_with_a_message(client, admin):
    response = client.post("/admin/contests", data={"slug": "Hội Thi 2026", "title": "Hội thi"})
    assert response.status_code == 422
    assert "chỉ gồm chữ thường không dấu" in response.text
    assert db.session.execute(db.select(Contest)).first() is None


def test_create_contest_with_taken_slug_is_refused_with_a_message(client, admin, contest):
    response = client.post("/admin/contests", data={"slug": contest.slug, "title": "Hội thi khác"})
    assert response.status_code == 422
    assert "Đã có hội thi với đường dẫn “hoi-thi-cds-2026”" in response.text
    assert len(db.session.execute(db.select(Contest)).all()) == 1


def test_create_contest_without_title_is_refused(client, admin):
    response = client.post("/admin/contests", data={"slug": "hoi-thi", "title": "  "})
    assert response.status_code == 422
    assert "Vui lòng nhập tên hội thi" in response.text
    assert db.session.execute(db.select(Contest)).first() is None


def test_edit_contest_changes_title_and_rules(client, admin, contest):
    page = client.get(f"/admin/contests/{contest.id}/edit")
    assert page.status_code == 200 and "Hội thi tìm hiểu CĐS 2026" in page.text
    response = client.post(
        f"/admin/contests/{contest.id}/edit", data={"title": "Tên mới", "rules": "Thể lệ mới"}
    )
    assert response.status_code == 302
    contest = db.session.get(Contest, contest.id)
    assert (contest.title, contest.rules, contest.slug) == (
        "Tên mới",
        "Thể lệ mới",
        "hoi-thi-cds-2026",
    )
    assert audit_actions()[-1] == "contest.update"


def test_edit_contest_with_empty_title_changes_nothing(client, admin, contest):
    response = client.post(f"/admin/contests/{contest.id}/edit", data={"title": "", "rules": "x"})
    assert response.status_code == 422
    assert "Vui lòng nhập tên hội thi" in response.text
    assert db.session.get(Contest, contest.id).rules == "# Thể lệ"


# ---- rounds: create ----


def test_create_round_saves_every_setting_with_times_read_as_vietnam_time(
    client, admin, contest, bank
):
    citizens = make_bank("Ngân hàng Nhân dân", {CDS: 4, CCHC: 4})
    response = client.post(
        f"/admin/contests/{contest.id}/rounds/new",
        data=round_form(
            bank,
            citizen_bank_id=str(citizens.id),
            shuffle_choices=None,
            allow_citizen=None,
            time_limit_minutes="7,5",
        ),
    )
    assert response.status_code == 302, response.text
    (round_,) = rounds()
    assert round_.contest_id == contest.id
    assert round_.title == "Tuần 1"
    assert round_.opens_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert round_.closes_at == datetime(2026, 12, 7, 10, 30, tzinfo=UTC)
    assert (round_.bank_id, round_.citizen_bank_id) == (bank.id, citizens.id)
    assert (round_.question_count, round_.time_limit_seconds) == (6, 450)
    assert {d.topic: d.count for d in round_.draws} == {CDS: 3, CCHC: 2}
    assert (round_.attempts_allowed, round_.grace_seconds) == (2, 20)
    assert (round_.prediction, round_.review_policy) == ("perfect", "after_submit")
    assert (round_.shuffle_questions, round_.shuffle_choices) == (True, False)
    assert (round_.allow_staff, round_.allow_citizen) == (True, False)
    assert audit_actions()[-1] == "round.create"
    page = client.get("/admin/contests").text
    assert "Tuần 1" in page and "01/12/2026 08:00" in page and "07/12/2026 17:30" in page


def test_new_round_form_has_the_defaults_and_shows_bank_topics_with_counts(
    client, admin, contest, bank
):
    page = client.get(f"/admin/contests/{contest.id}/rounds/new")
    assert page.status_code == 200
    text = page.text
    assert 'value="10"' in input_tag(text, "grace_seconds")
    assert 'value="1"' in input_tag(text, "attempts_allowed")
    assert 'type="datetime-local"' in input_tag(text, "opens_at")
    assert 'value="after_close"' in input_tag(text, "review_policy-0")
    assert 'value="none"' in input_tag(text, "prediction-0")
    for checked in ("review_policy-0", "prediction-0", "shuffle_questions", "shuffle_choices"):
        assert " checked " in input_tag(text, checked), checked
    for checked in ("allow_staff", "allow_citizen"):
        assert " checked " in input_tag(text, checked), checked
    topics = text[text.index("Chủ đề và số câu hỏi") :]
    assert f'<td>{CDS}</td><td class="num">5</td>' in topics
    assert f'<td>{CCHC}</td><td class="num">3</td>' in topics


def test_round_without_draw_rules_draws_from_the_whole_bank(client, admin, contest, bank):
    response = client.post(
        f"/admin/contests/{contest.id}/rounds/new", data=round_form(bank, draws="")
    )
    assert response.status_code == 302, response.text
    assert rounds()[0].draws == []


REFUSALS = {
    "closes before opens": (
        {"opens_at": "2026-12-07T08:00", "closes_at": "2026-12-01T08:00"},
        "Thời điểm đóng phải sau thời điểm mở",
    ),
    "quota larger than the topic": (
        {"draws": f"{CDS} = 2\n{CCHC} = 4"},
        f"chỉ có 3 câu chủ đề “{CCHC}”, cần 4",
    ),
    "draws more than the question count": (
        {"question_count": "4"},
        "Tổng số câu theo chủ đề (5) lớn hơn số câu của đề (4)",
    ),
    "time limit longer than the window": (
        {"closes_at": "2026-12-01T08:10", "time_limit_minutes": "15"},
        "Thời gian làm bài dài hơn thời gian mở của đợt thi",
    ),
    "malformed draw line": (
        {"draws": f"{CDS} = 3\n{CCHC}: 2"},
        f"Dòng 2 (“{CCHC}: 2”) không đúng dạng",
    ),
    "draw count not a number": (
        {"draws": f"{CDS} = ba"},
        f"Dòng 1 (“{CDS} = ba”) không đúng dạng",
    ),
    "same topic twice": (
        {"draws": f"{CDS} = 1\n{CDS} = 2"},
        f"Dòng 2: chủ đề “{CDS}” đã có ở dòng trước",
    ),
    "topic missing from the bank": (
        {"draws": "Công dân số = 1"},
        "chỉ có 0 câu chủ đề “Công dân số”",
    ),
    "no group may enter": (
        {"allow_staff": None, "allow_citizen": None},
        "Cần chọn ít nhất một đối tượng dự thi",
    ),
    "unreadable time": ({"opens_at": "ngày mai"}, "Thời điểm không hợp lệ"),
    "time out of range": ({"opens_at": "0001-01-01T00:00"}, "Thời điểm không hợp lệ"),
    "time limit not a number": ({"time_limit_minutes": "mười lăm"}, "số phút"),
    "missing title": ({"title": ""}, "Vui lòng nhập tên đợt thi"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_create_round_refusal_is_shown_on_the_form_and_saves_nothing(
    client, admin, contest, bank, case
):
    overrides, message = REFUSALS[case]
    response = client.post(
        f"/admin/contests/{contest.id}/rounds/new", data=round_form(bank, **overrides)
    )
    assert response.status_code == 422
    assert message in response.text
    assert 'role="alert"' in response.text
    assert rounds() == []
    assert "round.create" not in audit_actions()


def test_create_round_with_unknown_bank_is_refused(client, admin, contest, bank):
    response = client.post(
        f"/admin/contests/{contest.id}/rounds/new", data=round_form(bank, bank_id="999999")
    )
    assert response.status_code == 422
    assert "Vui lòng chọn một ngân hàng câu hỏi" in response.text
    assert rounds() == []


# ---- rounds: edit ----


@pytest.fixture
def saved_round(client, admin, contest, bank):
    response = client.post(f"/admin/contests/{contest.id}/rounds/new", data=round_form(bank))
    assert response.status_code == 302, response.text
    return rounds()[0]


def test_edit_form_shows_the_saved_settings_in_vietnam_time(client, saved_round):
    page = client.get(f"/admin/rounds/{saved_round.id}/edit")
    assert page.status_code == 200
    assert 'value="2026-12-01T08:00"' in input_tag(page.text, "opens_at")
    assert 'value="2026-12-07T17:30"' in input_tag(page.text, "closes_at")
    assert 'value="15"' in input_tag(page.text, "time_limit_minutes")
    assert " checked " in input_tag(page.text, "review_policy-1")
    assert " checked " in input_tag(page.text, "prediction-1")
    draws = page.text[page.text.index('name="draws"') :].split("</textarea>")[0]
    assert f"\n{CDS} = 3\n" in draws + "\n" and f"\n{CCHC} = 2\n" in draws + "\n"
    assert "Đã có" not in page.text


def test_edit_round_before_anyone_started_may_change_everything(client, saved_round, bank):
    response = client.post(
        f"/admin/rounds/{saved_round.id}/edit",
        data=round_form(
            bank,
            opens_at="2026-12-02T07:00",
            question_count="8",
            time_limit_minutes="20",
            draws=f"{CCHC} = 3",
            prediction="participants",
            allow_citizen=None,
        ),
    )
    assert response.status_code == 302, response.text
    round_ = db.session.get(Round, saved_round.id)
    assert round_.opens_at == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
    assert (round_.question_count, round_.time_limit_seconds) == (8, 1200)
    assert {d.topic: d.count for d in round_.draws} == {CCHC: 3}
    assert (round_.prediction, round_.allow_citizen) == ("participants", False)
    assert audit_actions()[-1] == "round.update"


def test_edit_round_refusal_keeps_the_saved_round(client, saved_round, bank):
    response = client.post(
        f"/admin/rounds/{saved_round.id}/edit",
        data=round_form(bank, title="Đổi tên", question_count="4"),
    )
    assert response.status_code == 422
    assert "lớn hơn số câu của đề (4)" in response.text
    round_ = db.session.get(Round, saved_round.id)
    assert (round_.title, round_.question_count) == ("Tuần 1", 6)
    assert {d.topic: d.count for d in round_.draws} == {CDS: 3, CCHC: 2}


def test_edit_round_after_an_attempt_may_change_only_title_close_review_and_grace(
    client, saved_round, bank, make_user, make_unit
):
    add_attempt(saved_round, make_user(make_unit()))
    page = client.get(f"/admin/rounds/{saved_round.id}/edit").text
    assert "Đã có 1 bài thi" in page

    frozen = {
        "question_count": "5",
        "time_limit_minutes": "10",
        "draws": f"{CDS} = 3",
        "opens_at": "2026-12-01T09:00",
        "attempts_allowed": "3",
        "prediction": "none",
        "shuffle_questions": None,
        "allow_citizen": None,
    }
    for name, value in frozen.items():
        response = client.post(
            f"/admin/rounds/{saved_round.id}/edit", data=round_form(bank, **{name: value})
        )
        assert response.status_code == 422, name
        assert "Đã có người thi đợt này" in response.text
    round_ = db.session.get(Round, saved_round.id)
    assert (round_.question_count, round_.time_limit_seconds, round_.attempts_allowed) == (
        6,
        900,
        2,
    )

    response = client.post(
        f"/admin/rounds/{saved_round.id}/edit",
        data=round_form(
            bank,
            title="Tuần 1 (gia hạn)",
            closes_at="2026-12-08T20:00",
            review_policy="never",
            grace_seconds="30",
        ),
    )
    assert response.status_code == 302, response.text
    round_ = db.session.get(Round, saved_round.id)
    assert round_.title == "Tuần 1 (gia hạn)"
    assert round_.closes_at == datetime(2026, 12, 8, 13, 0, tzinfo=UTC)
    assert (round_.review_policy, round_.grace_seconds) == ("never", 30)
    assert {d.topic: d.count for d in round_.draws} == {CDS: 3, CCHC: 2}


def test_round_made_elsewhere_with_odd_seconds_saves_back_unchanged_after_start(
    client, admin, contest, bank, make_user, make_unit
):
    # A round from the CLI: times with seconds, a time limit of 100 s (1.6667 minutes).
    settings = contest_services.RoundSettings(
        title="Từ dòng lệnh",
        opens_at=datetime(2026, 12, 1, 1, 0, 30, 906569, tzinfo=UTC),
        closes_at=datetime(2026, 12, 2, 1, 0, tzinfo=UTC),
        bank_id=bank.id,
        question_count=3,
        time_limit_seconds=100,
        draws={CDS: 2},
    )
    round_ = contest_services.create_round(contest, settings, actor=None, now=now())
    add_attempt(round_, make_user(make_unit()))
    page = client.get(f"/admin/rounds/{round_.id}/edit").text
    opens = re.search(r'value="([^"]*)"', input_tag(page, "opens_at")).group(1)
    minutes = re.search(r'value="([^"]*)"', input_tag(page, "time_limit_minutes")).group(1)
    # Minutes only: a browser drops "08:00:30.906569" and refuses seconds at step 60.
    assert (opens, minutes) == ("2026-12-01T08:00", "1.6667")
    response = client.post(
        f"/admin/rounds/{round_.id}/edit",
        data=round_form(
            bank,
            title="Từ dòng lệnh (sửa tên)",
            opens_at=opens,
            closes_at="2026-12-02T08:00",
            question_count="3",
            time_limit_minutes=minutes,
            draws=f"{CDS} = 2",
            attempts_allowed="1",
            prediction="none",
            review_policy="after_close",
        ),
    )
    assert response.status_code == 302, response.text
    saved = db.session.get(Round, round_.id)
    assert (saved.title, saved.time_limit_seconds) == ("Từ dòng lệnh (sửa tên)", 100)
    # The minute came back unchanged: the stored time keeps its seconds.
    assert saved.opens_at == datetime(2026, 12, 1, 1, 0, 30, 906569, tzinfo=UTC)


def test_round_made_from_the_cli_with_seconds_can_move_its_close_by_the_minute(
    client, admin, contest, bank
):
    settings = contest_services.RoundSettings(
        title="Từ dòng lệnh",
        opens_at=datetime(2026, 11, 29, 22, 43, 21, 906569, tzinfo=UTC),
        closes_at=datetime(2026, 12, 2, 1, 0, 5, 123, tzinfo=UTC),
        bank_id=bank.id,
        question_count=3,
        time_limit_seconds=900,
        draws={CDS: 2},
    )
    round_ = contest_services.create_round(contest, settings, actor=None, now=now())
    page = client.get(f"/admin/rounds/{round_.id}/edit").text
    assert 'value="2026-11-30T05:43"' in input_tag(page, "opens_at")
    assert 'value="2026-12-02T08:00"' in input_tag(page, "closes_at")
    response = client.post(
        f"/admin/rounds/{round_.id}/edit",
        data=round_form(
            bank,
            opens_at="2026-11-30T05:43",
            closes_at="2026-12-02T09:30",
            question_count="3",
            time_limit_minutes="15",
            draws=f"{CDS} = 2",
        ),
    )
    assert response.status_code == 302, response.text
    saved = db.session.get(Round, round_.id)
    assert saved.opens_at == datetime(2026, 11, 29, 22, 43, 21, 906569, tzinfo=UTC)
    assert saved.closes_at == datetime(2026, 12, 2, 2, 30, tzinfo=UTC)


# ---- the contests page: states and live counts ----


def test_contests_page_shows_round_states_and_live_counts(
    client, admin, contest, bank, make_user, make_unit
):
    t = now()
    running = add_round(contest, bank, "Đợt đang mở", opens=t - timedelta(days=1))
    add_round(contest, bank, "Đợt sắp mở", opens=t + timedelta(days=3))
    finished = add_round(
        contest, bank, "Đợt đã đóng", opens=t - timedelta(days=9), closes=t - timedelta(days=2)
    )
    unit = make_unit()
    people = [make_user(unit) for _ in range(6)]
    for person in people[:2]:
        add_attempt(running, person, AttemptStatus.IN_PROGRESS)
    for person in people[2:5]:
        add_attempt(running, person, AttemptStatus.SUBMITTED)
    add_attempt(running, people[5], AttemptStatus.EXPIRED)
    # A second attempt of someone whose first was submitted counts too.
    add_attempt(running, people[2], AttemptStatus.IN_PROGRESS, number=2)
    add_attempt(finished, people[0], AttemptStatus.EXPIRED)

    page = client.get("/admin/contests").text

    def row(round_id: int) -> str:
        return page[page.index(f'id="round-{round_id}"') :].split("</tr>")[0]

    open_row = row(running.id)
    assert "Đang mở" in open_row
    assert '<td class="num" data-status="in_progress">3</td>' in open_row
    assert '<td class="num" data-status="submitted">3</td>' in open_row
    assert '<td class="num" data-status="expired">1</td>' in open_row
    closed_row = row(finished.id)
    assert "Đã đóng" in closed_row
    assert '<td class="num" data-status="expired">1</td>' in closed_row
    assert '<td class="num" data-status="submitted">0</td>' in closed_row
    assert "Sắp mở" in page


@contextmanager
def statements_of(web_app):
    """SQL statements the web app's engine runs inside the block."""
    with web_app.app_context():
        engine = db.engine
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_contests_page_counts_attempts_in_one_query_whatever_the_number_of_rounds(
    client, admin, web_app, contest, bank, make_user, make_unit
):
    person = make_user(make_unit())
    add_attempt(add_round(contest, bank, "Tuần 1"), person, AttemptStatus.SUBMITTED)
    client.get("/admin/contests")  # warm up: nothing first-request-only in the count

    with statements_of(web_app) as one_round:
        assert client.get("/admin/contests").status_code == 200

    other = contest_services.create_contest("hoi-thi-2", "Hội thi 2", actor=None, now=now())
    for title in ("Tuần 2", "Tuần 3"):
        add_attempt(add_round(other, bank, title), person, AttemptStatus.EXPIRED)
    with statements_of(web_app) as three_rounds:
        page = client.get("/admin/contests")
    assert page.status_code == 200 and "Tuần 3" in page.text

    assert len(three_rounds) == len(one_round)
    attempt_queries = [s for s in three_rounds if "FROM attempt" in s]
    assert len(attempt_queries) == 1 and "GROUP BY" in attempt_queries[0]


# ---- who may use these pages ----

ROUTES = [
    ("GET", "/admin/contests"),
    ("POST", "/admin/contests"),
    ("GET", "/admin/contests/{contest}/edit"),
    ("POST", "/admin/contests/{contest}/edit"),
    ("GET", "/admin/contests/{contest}/rounds/new"),
    ("POST", "/admin/contests/{contest}/rounds/new"),
    ("GET", "/admin/rounds/{round}/edit"),
    ("POST", "/admin/rounds/{round}/edit"),
]


@pytest.mark.parametrize("role", [None, "contestant", "unit_manager"])
def test_contest_pages_are_for_admins_only(
    client, make_unit, make_user, login, contest, bank, role
):
    round_ = add_round(contest, bank)
    if role:
        login(make_user(make_unit(), role=role))
    for method, template in ROUTES:
        url = template.format(contest=contest.id, round=round_.id)
        response = client.open(url, method=method, data={"title": "Bị chặn", "slug": "bi-chan"})
        if role is None:
            assert response.status_code == 302, url
            assert "/auth/login" in response.headers["Location"], url
        else:
            assert response.status_code == 403, (method, url)
    assert db.session.get(Contest, contest.id).title == "Hội thi tìm hiểu CĐS 2026"
    assert len(db.session.execute(db.select(Contest)).all()) == 1
    assert db.session.get(Round, round_.id).title == "Tuần"
