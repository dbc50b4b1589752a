"""Team device codes: guessing is rate-limited per address."""

import pytest


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True}


def test_device_code_guesses_are_limited(client):
    tries = [client.post("/teams/device", data={"code": f"SAIMA{i:05d}"}) for i in range(10)]
    assert [r.status_code for r in tries] == [401] * 10
    assert client.post("/teams/device", data={"code": "SAIMA99999"}).status_code == 429
    # Looking at the form is not a try.
    assert client.get("/teams/device").status_code == 200
