"""Issue 8, finding 14: notice and consent, my data, deletion requests (Law 91/2025/QH15)."""

import json

import pytest

from quiz.attempts import services as attempts
from quiz.extensions import db
from quiz.models import AuditLog, DeletionRequest, UnitRoundStat, User
from tests.factories import PASSWORD, make_bank, make_round, now


@pytest.fixture
def site(make_unit, make_user):
    root = make_unit(code="P", kind="province", name="Tỉnh Thử")
    unit = make_unit(root, code="X", name="Xã Thử")
    return {
        "unit": unit,
        "admin": make_user(root, role="admin"),
        "person": make_user(
            unit, full_name="Lê Thị Riêng Tư", phone="+84912000111", position="Chuyên viên"
        ),
    }


def log_in(client, user):
    client.post("/auth/login", data={"login": user.email, "password": PASSWORD})


def registration(unit, **overrides):
    data = {
        "full_name": "Trần Thị Mai",
        "email": "mai.tt@example.vn",
        "password": "mat-khau-moi-1",
        "confirm": "mat-khau-moi-1",
        "group": "staff",
        "unit_id": str(unit.id),
    }
    data.update(overrides)
    return data


def test_registration_shows_the_notice_and_requires_consent(client, site):
    page = client.get("/auth/register").text
    assert "Thông báo xử lý dữ liệu cá nhân" in page
    assert 'name="consent"' in page
    response = client.post("/auth/register", data=registration(site["unit"]))
    assert response.status_code == 422
    assert "đánh dấu đồng ý" in response.text
    assert db.session.execute(db.select(User).filter_by(email="mai.tt@example.vn")).first() is None
    response = client.post("/auth/register", data=registration(site["unit"], consent="y"))
    assert response.status_code == 302
    user = db.session.execute(db.select(User).filter_by(email="mai.tt@example.vn")).scalar_one()
    assert user.consent_at is not None and user.consent_version == "2026-01"


def test_full_notice_is_public_and_linked_from_every_footer(client):
    home = client.get("/").text
    assert "/privacy/notice" in home
    notice = client.get("/privacy/notice")
    assert notice.status_code == 200
    for words in ("Mục đích", "Ai được xem", "Thời hạn lưu trữ", "Quyền của bạn", "ẩn danh"):
        assert words in notice.text


def test_my_data_download_holds_profile_attempts_and_audit_entries(client, site):
    person = site["person"]
    round_ = make_round(make_bank())
    attempt, _ = attempts.start(person, round_.id, now())
    attempts.submit(person, attempt.id, now())
    log_in(client, person)
    assert client.get("/privacy/me").status_code == 200
    response = client.get("/privacy/me/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.data)
    assert data["profile"]["full_name"] == "Lê Thị Riêng Tư"
    assert data["profile"]["phone"] == "+84912000111"
    assert [a["id"] for a in data["attempts"]] == [attempt.id]
    assert data["attempts"][0]["correct_count"] == 0
    client.post("/privacy/me/delete", data={"reason": "Không dùng nữa"})
    data = json.loads(client.get("/privacy/me/data.json").data)
    assert [e["action"] for e in data["audit"]] == ["privacy.deletion_request"]
    assert data["deletion_requests"][0]["status"] == "pending"


def test_my_data_needs_a_login_and_shows_only_mine(client, site, make_user):
    assert client.get("/privacy/me/data.json").status_code == 302
    log_in(client, make_user(site["unit"], full_name="Người Khác"))
    data = json.loads(client.get("/privacy/me/data.json").data)
    assert "Lê Thị Riêng Tư" not in json.dumps(data, ensure_ascii=False)


def test_deletion_request_then_approval_anonymizes_but_keeps_attempts_and_statistics(
    client, web_app, site
):
    person = site["person"]
    round_ = make_round(make_bank())
    attempt, _ = attempts.start(person, round_.id, now())
    attempts.submit(person, attempt.id, now())
    log_in(client, person)
    client.post("/privacy/me/delete", data={"reason": "Xin xóa"})
    # A second request while the first is open is refused by the database's index.
    client.post("/privacy/me/delete", data={})
    requests_ = db.session.execute(db.select(DeletionRequest)).scalars().all()
    assert len(requests_) == 1
    client.post("/auth/logout", data={})

    admin_client = web_app.test_client()
    log_in(admin_client, site["admin"])
    page = admin_client.get("/admin/deletion-requests").text
    assert "Lê Thị Riêng Tư" in page
    response = admin_client.post(f"/admin/deletion-requests/{requests_[0].id}/approve", data={})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert "Riêng Tư" not in person.full_name
    assert person.phone is None and person.position is None and person.birth_year is None
    assert not person.email.startswith("user")
    assert person.active is False and person.anonymized_at is not None
    assert db.session.get(DeletionRequest, requests_[0].id).status == "done"
    assert db.session.execute(
        db.select(AuditLog).filter_by(action="privacy.anonymize", target_id=str(person.id))
    ).scalar_one()
    # Attempts and the unit's figures stay.
    stat = db.session.get(UnitRoundStat, (site["unit"].id, round_.id))
    assert stat.participants == 1
    assert db.session.get(type(attempt), attempt.id).user_id == person.id
    # The old login no longer works.
    response = client.post("/auth/login", data={"login": "+84912000111", "password": PASSWORD})
    assert response.status_code == 401


def test_deletion_requests_can_be_refused_and_are_for_admins_only(client, site, make_user):
    person = site["person"]
    log_in(client, person)
    client.post("/privacy/me/delete", data={})
    request_id = db.session.execute(db.select(DeletionRequest.id)).scalar_one()
    assert client.get("/admin/deletion-requests").status_code == 403
    assert client.post(f"/admin/deletion-requests/{request_id}/approve").status_code == 403
    client.post("/auth/logout", data={})
    log_in(client, site["admin"])
    client.post(f"/admin/deletion-requests/{request_id}/reject", data={})
    db.session.expire_all()
    assert db.session.get(DeletionRequest, request_id).status == "rejected"
    assert db.session.get(User, person.id).full_name == "Lê Thị Riêng Tư"
