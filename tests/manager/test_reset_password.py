"""A unit manager resets the password of someone in its subtree: shown once, changed at next
login, the person's sessions end, audit-logged; anyone else answers 404."""

import re

import pytest

from quiz.extensions import db
from quiz.models import AuditLog, User, UserSession
from tests.factories import PASSWORD


@pytest.fixture
def site(make_unit, make_user):
    root = make_unit(code="P", kind="province", name="Tỉnh Thử")
    mine = make_unit(root, code="MINE", name="Huyện Của Tôi", kind="district")
    child = make_unit(mine, code="MINE-1", name="Xã Con", kind="commune")
    other = make_unit(root, code="OTHER", name="Huyện Bên Cạnh", kind="district")
    return {
        "manager": make_user(mine, role="unit_manager", full_name="Quản Lý Huyện"),
        "person": make_user(child, full_name="Người Trong Xã"),
        "here": make_user(mine, full_name="Người Ở Huyện"),
        "sub_manager": make_user(child, role="unit_manager", full_name="Quản Lý Xã"),
        "peer": make_user(mine, role="unit_manager", full_name="Quản Lý Cùng Cấp"),
        "boss": make_user(root, role="unit_manager", full_name="Quản Lý Tỉnh"),
        "admin": make_user(child, role="admin", full_name="Quản Trị Ở Xã"),
        "outsider": make_user(other, full_name="Người Huyện Khác"),
    }


def reset(client, user):
    return client.post(f"/manager/people/{user.id}/reset-password")


def shown_password(html: str) -> str:
    return re.search(r'class="password-once">([^<]+)<', html).group(1).strip()


def test_reset_shows_a_one_time_password_that_replaces_the_old_one(client, login, site, web_app):
    # The person is logged in elsewhere: that session ends with the reset.
    other_device = web_app.test_client()
    other_device.post("/auth/login", data={"login": site["person"].login, "password": PASSWORD})
    assert other_device.get("/auth/profile").status_code == 200
    login(site["manager"])
    page = client.get(f"/manager/people/{site['person'].id}/reset-password")
    assert page.status_code == 200 and "Người Trong Xã" in page.text
    response = reset(client, site["person"])
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    password = shown_password(response.text)

    person = db.session.get(User, site["person"].id)
    assert person.must_change_password
    assert db.session.scalar(db.select(UserSession).filter_by(user_id=person.id)) is None
    assert other_device.get("/auth/profile").status_code == 302

    entry = db.session.execute(
        db.select(AuditLog).filter_by(action="user.reset_password")
    ).scalar_one()
    assert (entry.actor_id, entry.target_id) == (site["manager"].id, str(person.id))
    assert password not in str(entry.details)

    client.post("/auth/logout")
    old = client.post("/auth/login", data={"login": person.login, "password": PASSWORD})
    assert old.status_code == 401
    new = client.post("/auth/login", data={"login": person.login, "password": password})
    assert new.status_code == 302 and new.headers["Location"].endswith("/auth/password")


@pytest.mark.parametrize("who", ["here", "sub_manager"])
def test_manager_may_reset_contestants_and_managers_below(client, login, site, who):
    login(site["manager"])
    assert reset(client, site[who]).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "peer", "boss", "admin", "manager"])
def test_anyone_else_is_404_and_nothing_changes(client, login, site, who):
    target = site[who]
    before = db.session.get(User, target.id).password_hash
    login(site["manager"])
    assert client.get(f"/manager/people/{target.id}/reset-password").status_code == 404
    assert reset(client, target).status_code == 404
    db.session.expire_all()
    assert db.session.get(User, target.id).password_hash == before
    assert db.session.scalar(db.select(AuditLog).filter_by(action="user.reset_password")) is None


def test_unknown_person_is_404(client, login, site):
    login(site["manager"])
    assert client.post("/manager/people/99999/reset-password").status_code == 404


def test_contestant_cannot_reset(client, login, site):
    login(site["here"])
    assert reset(client, site["person"]).status_code == 403


def test_dashboard_offers_reset_only_where_allowed(client, login, site):
    login(site["manager"])
    html = client.get("/manager/").text
    assert f"/manager/people/{site['person'].id}/reset-password" in html
    assert f"/manager/people/{site['sub_manager'].id}/reset-password" in html
    assert f"/manager/people/{site['peer'].id}/reset-password" not in html
    assert f"/manager/people/{site['admin'].id}/reset-password" not in html
