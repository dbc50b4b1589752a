"""Practice fixtures: banks built through the bank services, a logged-in contestant."""

import pytest

from tests.practice.helpers import build_bank


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
