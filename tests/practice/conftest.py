"""Practice fixtures: banks built through the bank services, a logged-in contestant."""

import pytest

from quiz.attempts import services as attempt_services
from tests.practice.helpers import build_bank


@pytest.fixture(autouse=True)
def _fresh_pools():
    # Draw pools are cached per worker by (bank id, revision); every test has a fresh
    # database where ids and revisions start again, so a pool of the last test would match.
    attempt_services._POOLS.clear()
    yield
    attempt_services._POOLS.clear()


@pytest.fixture
def make_bank(app):
    return build_bank


@pytest.fixture
def bank(make_bank):
    return make_bank("Ngân hàng thi thử")


@pytest.fixture
def person(make_unit, make_user, login):
    user = make_user(make_unit())
    login(user)
    return user
