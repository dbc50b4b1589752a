"""Who may open the manager's pages and the public leaderboard pages."""

import pytest

from tests.factories import PASSWORD, make_bank, make_round

MANAGER_GETS = ["/manager/", "/manager/export.xlsx"]
PUBLIC_GETS = ["/rounds/{round}/units", "/contests/{slug}/units", "/rounds/{round}/results"]


@pytest.fixture
def people(make_unit, make_user):
    root = make_unit(code="P", kind="province", name="Tỉnh Thử")
    mine = make_unit(root, code="MINE", name="Xã Của Tôi")
    return {
        "round": make_round(make_bank()),
        "admin": make_user(root, role="admin"),
        "manager": make_user(mine, role="unit_manager"),
        "contestant": make_user(mine),
    }


def as_(client, user):
    if user is not None:
        client.post("/auth/login", data={"login": user.email, "password": PASSWORD})


def fill(path, people):
    return path.format(round=people["round"].id, slug=people["round"].contest.slug)


@pytest.mark.parametrize("path", MANAGER_GETS)
@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("contestant", 403), ("manager", 200), ("admin", 200)]
)
def test_manager_pages_are_for_managers_and_admins(client, people, path, who, status):
    as_(client, people.get(who))
    response = client.get(path)
    assert response.status_code == status
    if who is None:
        assert response.headers["Location"].startswith("/auth/login")
    if status == 403:
        assert "không có quyền" in response.text


@pytest.mark.parametrize("path", PUBLIC_GETS)
@pytest.mark.parametrize("who", [None, "contestant", "manager", "admin"])
def test_leaderboard_pages_are_public(client, people, path, who):
    as_(client, people.get(who))
    assert client.get(fill(path, people)).status_code == 200
