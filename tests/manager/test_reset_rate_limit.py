"""The manager's password resets are rate-limited per manager."""

import pytest


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True}


def test_resets_are_limited_per_manager(client, login, make_unit, make_user):
    mine = make_unit(code="MINE", kind="district")
    manager = make_user(mine, role="unit_manager")
    person = make_user(mine)
    login(manager)
    url = f"/manager/people/{person.id}/reset-password"
    codes = [client.post(url).status_code for _ in range(21)]
    assert codes[:20] == [200] * 20
    assert codes[20] == 429
