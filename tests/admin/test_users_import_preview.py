"""Account import: upload → preview → confirm; elevated roles only by the admin's tick."""

import pytest

from quiz.extensions import db
from quiz.models import AuditLog, Upload, User
from tests.admin.test_users import upload_people, user_by
from tests.factories import PASSWORD


@pytest.fixture
def tree(make_unit):
    root = make_unit(code="QNG", name="Tỉnh Quảng Ngãi", kind="province")
    make_unit(root, code="QNG-BS", name="Xã Bình Sơn")
    make_unit(root, code="QNG-STP", name="Sở Tư pháp", kind="department")
    return {"root": root}


@pytest.fixture
def admin(tree, make_user, login):
    user = make_user(tree["root"], role="admin", full_name="Ban Tổ chức")
    login(user)
    return user


ROWS = [
    ("Phan Thị Lan", "lan@example.vn", "", "QNG-BS", "", "", ""),
    ("Kẻ Mạo Danh", "boss@example.vn", "", "QNG-BS", "admin", "", ""),
    ("Hồ Văn Nam", "nam@example.vn", "", "QNG-STP", "unit_manager", "", ""),
]


def _count_users() -> int:
    return db.session.scalar(db.select(db.func.count(User.id)))


def test_upload_creates_nobody_and_previews_counts_rows_and_elevated_roles(client, admin):
    before = _count_users()
    preview = upload_people(client, ROWS)
    assert preview.status_code == 200
    assert _count_users() == before
    assert preview.headers["Cache-Control"] == "no-store"
    page = preview.text
    assert "3 tài khoản hợp lệ" in page
    for name in ("Phan Thị Lan", "Kẻ Mạo Danh", "Hồ Văn Nam"):
        assert name in page
    assert page.count('name="elevate"') == 2
    assert 'value="3"' in page and 'value="4"' in page


def test_roles_from_the_file_alone_give_no_power(client, admin, run_jobs):
    preview = upload_people(client, ROWS)
    response = client.post(f"{preview.request.path}/confirm")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/jobs/")
    assert run_jobs() == (1, 0)
    assert user_by(email="boss@example.vn").role == "contestant"
    assert user_by(email="nam@example.vn").role == "contestant"
    entry = db.session.execute(db.select(AuditLog).filter_by(action="users.import")).scalar_one()
    assert entry.actor_id == admin.id
    assert entry.details["created"] == 3 and entry.details["elevated"] == []
    assert entry.details["demoted"] == 2
    assert db.session.scalar(db.select(db.func.count(Upload.id))) == 0


def test_only_the_ticked_row_gets_its_role_and_the_audit_log_names_it(client, admin, run_jobs):
    preview = upload_people(client, ROWS)
    client.post(f"{preview.request.path}/confirm", data={"elevate": ["4", "99", "x"]})
    run_jobs()
    assert user_by(email="nam@example.vn").role == "unit_manager"
    assert user_by(email="boss@example.vn").role == "contestant"
    entry = db.session.execute(db.select(AuditLog).filter_by(action="users.import")).scalar_one()
    assert entry.details["elevated"] == [
        {"row": 4, "role": "unit_manager", "login": "nam@example.vn"}
    ]


def test_every_bad_row_is_reported_by_number_and_nothing_is_created(client, admin, run_jobs):
    rows = [
        *ROWS,
        ("", "bad-email", "", "QNG-BS", "", "", ""),
        ("X", "x@example.vn", "", "NOPE", "", "", ""),
    ]
    preview = upload_people(client, rows)
    assert preview.status_code == 422
    assert "NOPE" in preview.text and ">5<" in preview.text and ">6<" in preview.text
    assert 'name="elevate"' not in preview.text
    confirm = client.post(f"{preview.request.path}/confirm", data={"elevate": ["3"]})
    assert run_jobs() == (0, 1)
    page = client.get(confirm.headers["Location"])
    assert "không có dữ liệu nào bị thay đổi" in page.text and "NOPE" in page.text
    assert db.session.execute(db.select(User).filter_by(email="lan@example.vn")).first() is None


def test_a_preview_is_its_uploaders_alone(client, web_app, admin, tree, make_user):
    preview = upload_people(client, ROWS)
    other = make_user(tree["root"], role="admin")
    second = web_app.test_client()
    second.post("/auth/login", data={"login": other.email, "password": PASSWORD})
    assert second.get(preview.request.path).status_code == 404
    assert second.post(f"{preview.request.path}/confirm").status_code == 404
    assert db.session.execute(db.select(User).filter_by(email="lan@example.vn")).first() is None


@pytest.mark.parametrize("role", ["admin", "unit_manager"])
def test_confirming_twice_creates_the_accounts_once(client, admin, role, run_jobs):
    preview = upload_people(client, [("Lê Văn Một", "mot@example.vn", "", "QNG-BS", role, "", "")])
    first = client.post(f"{preview.request.path}/confirm", data={"elevate": ["2"]})
    again = client.post(f"{preview.request.path}/confirm", data={"elevate": ["2"]})
    assert again.headers["Location"] == first.headers["Location"]  # the same job
    assert run_jobs() == (1, 0)
    assert client.post(f"{preview.request.path}/confirm").status_code == 404
    assert user_by(email="mot@example.vn").role == role


def test_judge_role_from_the_file_is_granted_only_on_the_admins_tick(client, admin, run_jobs):
    rows = [
        ("Lê Văn Khảo", "khao@example.vn", "", "QNG-BS", "giám khảo", "", ""),
        ("Ngô Thị Thẩm", "tham@example.vn", "", "QNG-STP", "judge", "", ""),
    ]
    preview = upload_people(client, rows)
    assert preview.text.count('name="elevate"') == 2
    client.post(f"{preview.request.path}/confirm", data={"elevate": ["2"]})
    run_jobs()
    assert user_by(email="khao@example.vn").role == "judge"
    assert user_by(email="tham@example.vn").role == "contestant"
