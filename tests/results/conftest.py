"""Fixtures for results: a bank, an admin, and attempts crafted row by row."""

from datetime import UTC, datetime, timedelta

import pytest

from quiz.attempts.aggregates import record_finalized
from quiz.extensions import db
from quiz.models import Attempt, AttemptStatus, Round, User
from tests.conftest import FreshClient
from tests.factories import PASSWORD, make_bank, make_round

PRIZES = ("first", "second", "third", "consolation")
# A fixed instant: submission offsets in the cases are seconds after it.
T0 = datetime(2026, 10, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def bank(app):
    return make_bank(topics={"Chuyển đổi số": 6, "Cải cách hành chính": 6})


@pytest.fixture
def round_(bank):
    return make_round(bank, question_count=10, prediction="perfect")


@pytest.fixture
def unit(make_unit):
    province = make_unit(code="TINH", name="Tỉnh Thử", kind="province", headcount=None)
    return make_unit(province, code="SO-TT", name="Sở Thông tin", kind="department")


@pytest.fixture
def admin(make_unit, make_user):
    return make_user(make_unit(code="BTC", name="Ban Tổ chức"), role="admin", full_name="Quản trị")


def add_attempt(
    round_: Round,
    user: User,
    *,
    correct: int | None,
    prediction: int | None = None,
    duration_ms: int = 60_000,
    submitted: float = 0,
    status: str = AttemptStatus.SUBMITTED.value,
    group: str | None = None,
) -> Attempt:
    """A finalized (or open) attempt written directly, folded into the aggregates."""
    submitted_at = T0 + timedelta(seconds=submitted)
    started_at = submitted_at - timedelta(milliseconds=duration_ms)
    number = 1 + db.session.scalar(
        db.select(db.func.count(Attempt.id)).where(
            Attempt.user_id == user.id, Attempt.round_id == round_.id
        )
    )
    final = status != AttemptStatus.IN_PROGRESS.value
    attempt = Attempt(
        user_id=user.id,
        round_id=round_.id,
        number=number,
        unit_id=user.unit_id,
        participant_group=group or user.participant_group,
        status=status,
        started_at=started_at,
        # An expired attempt is finalized at its deadline; a submitted one before it.
        deadline_at=submitted_at if status == "expired" else started_at + timedelta(hours=1),
        submitted_at=submitted_at if final else None,
        question_count=round_.question_count,
        correct_count=correct if final else None,
        duration_ms=duration_ms if final else None,
        prediction=prediction,
    )
    db.session.add(attempt)
    db.session.flush()
    if final:
        record_finalized(attempt, round_)
    db.session.commit()
    return attempt


@pytest.fixture
def client_for(web_app):
    """A logged-in test client of its own for a user (several people at once)."""

    def make(user: User | None):
        web_app.test_client_class = FreshClient
        c = web_app.test_client()
        if user is not None:
            response = c.post("/auth/login", data={"login": user.login, "password": PASSWORD})
            assert response.status_code == 302, response.text
        return c

    return make


def prize_data(**overrides) -> dict:
    """The prize settings form as the page posts it: every field, zero unless given."""
    data = {f"{g}_{p}": "0" for g in ("staff", "citizen") for p in PRIZES}
    data.update(unit_prize_count="0", unit_min_rate="0")
    data.update(overrides)
    return data
