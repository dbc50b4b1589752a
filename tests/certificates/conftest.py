"""A published round with a prize winner, a ranked person without a prize, an organizer's
staff member and a bystander; the contest issues certificates."""

from datetime import timedelta

import pytest

from quiz.certificates import services
from quiz.extensions import db
from quiz.models import Contest, Round
from quiz.results import publication
from tests.factories import make_round, now
from tests.results import conftest as results

T0, add_attempt = results.T0, results.add_attempt
# The results tests' fixtures: a bank, an admin, a logged-in client per person.
bank, admin, client_for = results.bank, results.admin, results.client_for

CONTEST = "Hội thi tìm hiểu Chuyển đổi số tỉnh Quảng Ngãi"
ROUND = "Tuần thi thứ nhất"


@pytest.fixture
def unit(make_unit):
    province = make_unit(code="QNG", name="Tỉnh Quảng Ngãi", kind="province", headcount=None)
    return make_unit(province, code="SO-KHCN", name="Sở Khoa học và Công nghệ", kind="department")


@pytest.fixture
def people(unit, make_user):
    return {
        "winner": make_user(unit, full_name="Nguyễn Thị Ánh Dương"),
        "ranked": make_user(unit, full_name="Trần Văn Bình"),
        "staff": make_user(unit, full_name="Lê Thị Hồng", is_organizer_staff=True),
        "bystander": make_user(unit, full_name="Phạm Đức Thắng"),
    }


@pytest.fixture
def closed_round(bank, people):
    contest = Contest(slug="hoi-thi-cds", title=CONTEST, rules="Thể lệ")
    db.session.add(contest)
    round_ = make_round(
        bank,
        contest,
        title=ROUND,
        question_count=10,
        opens_at=T0 - timedelta(days=7),
        closes_at=T0 + timedelta(days=1),
        prize_counts={"staff": {"first": 1}},
    )
    # The organizer's staff member ranks first and wins nothing; the winner is second.
    add_attempt(round_, people["staff"], correct=10, duration_ms=30_000, submitted=0)
    add_attempt(round_, people["winner"], correct=10, duration_ms=40_000, submitted=1)
    add_attempt(round_, people["ranked"], correct=7, submitted=2)
    return round_


def enable(round_: Round, enabled: bool = True, **signer) -> None:
    services.save_setting(
        round_.contest,
        enabled=enabled,
        signer_title=signer.get("signer_title"),
        signer_name=signer.get("signer_name"),
        actor=None,
        now=now(),
    )


@pytest.fixture
def published(closed_round):
    enable(closed_round, signer_title="TRƯỞNG BAN TỔ CHỨC", signer_name="Võ Minh Quân")
    publication.publish(closed_round, actor=None, now=T0 + timedelta(days=3))
    db.session.expire_all()
    return db.session.get(Round, closed_round.id)
