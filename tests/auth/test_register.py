"""Registration: who can sign up, with what, and what happens on duplicates."""

import threading

import pytest
import requests

from quiz.extensions import db
from quiz.models import User

PASSWORD = "mat-khau-moi-1"


def form(unit, **overrides):
    data = {
        "full_name": "Trần Thị Mai",
        "email": "mai.tt@example.vn",
        "phone": "",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "group": "staff",
        "unit_id": str(unit.id),
        "consent": "y",
    }
    data.update(overrides)
    return data


def users():
    return list(db.session.execute(db.select(User)).scalars())


def test_register_with_email_logs_in_and_lands_on_home(client, make_unit):
    unit = make_unit(name="Xã Bình Sơn")
    response = client.post("/auth/register", data=form(unit), follow_redirects=True)
    assert response.status_code == 200
    assert "Trần Thị Mai" in response.text
    [user] = users()
    assert (user.email, user.phone, user.unit_id, user.role) == (
        "mai.tt@example.vn",
        None,
        unit.id,
        "contestant",
    )
    assert user.password_hash != PASSWORD and user.check_password(PASSWORD)


def test_register_with_phone_only_stores_it_in_international_form(client, make_unit):
    unit = make_unit()
    response = client.post(
        "/auth/register",
        data=form(unit, email="", phone="0912 345 678", group="citizen"),
    )
    assert response.status_code == 302
    [user] = users()
    assert user.phone == "+84912345678" and user.email is None
    assert user.participant_group == "citizen"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "", "phone": ""}, "Cần nhập email hoặc số điện thoại"),
        ({"email": "khong-phai-email"}, "Địa chỉ email không hợp lệ"),
        ({"phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"password": "ngan", "confirm": "ngan"}, "ít nhất 8 ký tự"),
        ({"confirm": "khac-mat-khau"}, "không khớp"),
        ({"unit_id": "0"}, "Vui lòng chọn đơn vị"),
        ({"unit_id": "999999"}, "Vui lòng chọn đơn vị"),
        ({"unit_id": "abc"}, "Vui lòng chọn đơn vị"),
        ({"full_name": "   "}, "Vui lòng nhập họ và tên"),
        ({"group": "vip"}, "Đối tượng dự thi"),
    ],
)
def test_bad_registration_explains_and_creates_nothing(client, make_unit, overrides, message):
    unit = make_unit()
    response = client.post("/auth/register", data=form(unit, **overrides))
    assert response.status_code == 422
    assert message in response.text
    assert users() == []


def test_duplicate_email_or_phone_is_refused_without_saying_which_or_that_it_exists(
    client, make_unit, make_user
):
    unit = make_unit()
    make_user(unit, email="mai.tt@example.vn", phone="+84912345678")
    by_email = client.post("/auth/register", data=form(unit, email="MAI.TT@example.vn"))
    by_phone = client.post(
        "/auth/register", data=form(unit, email="khac@example.vn", phone="+84 912 345 678")
    )
    for response in (by_email, by_phone):
        assert response.status_code == 422
        assert "Không thể tạo tài khoản với thông tin này" in response.text
        assert "đã được dùng" not in response.text
    assert len(users()) == 1


def test_two_registrations_racing_make_one_account_and_no_error(live_server, make_unit):
    data = form(make_unit())
    n = 8
    barrier = threading.Barrier(n)
    statuses: list[int] = []

    def register():
        session = requests.Session()
        barrier.wait()
        response = session.post(
            f"{live_server}/auth/register", data=data, allow_redirects=False, timeout=30
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=register) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.remove()
    assert sorted(statuses) == [302] + [422] * (n - 1)
    assert len(users()) == 1


def test_unit_search_without_javascript_is_accent_insensitive(client, make_unit):
    root = make_unit(name="Tỉnh Quảng Ngãi", kind="province")
    make_unit(root, name="Xã Bình Sơn")
    make_unit(root, name="Phường Cẩm Thành")
    response = client.post(
        "/auth/register",
        data=form(root, unit_query="binh son", search_unit="Tìm đơn vị", password=""),
    )
    assert response.status_code == 200
    assert "Xã Bình Sơn" in response.text
    assert "Phường Cẩm Thành" not in response.text
    # What was typed so far is kept; nothing is saved.
    assert "Trần Thị Mai" in response.text
    assert users() == []


def test_logged_in_visitor_is_sent_home_from_register(client, make_unit, make_user, login):
    login(make_user(make_unit()))
    assert client.get("/auth/register").status_code == 302


def test_every_registration_mistake_is_shown_at_once_and_the_rest_is_kept(client, make_unit):
    unit = make_unit(name="Xã Bình Sơn")
    response = client.post(
        "/auth/register",
        data=form(
            unit,
            full_name="",
            email="khong-phai-email",
            phone="0912 345 678",
            password="ngan",
            confirm="khac",
            unit_id="0",
            consent="",
        ),
    )
    assert response.status_code == 422
    page = response.text
    summary = page[
        page.index('id="form-errors"') : page.index("</div>", page.index('id="form-errors"'))
    ]
    for field, message in [
        ("full_name", "Vui lòng nhập họ và tên"),
        ("email", "Địa chỉ email không hợp lệ"),
        ("password", "ít nhất 8 ký tự"),
        ("unit_id", "Vui lòng chọn đơn vị"),
        ("consent", "đánh dấu đồng ý"),
    ]:
        assert f'href="#{field}"' in summary and message in summary, field
    assert summary.count("Vui lòng nhập họ và tên") == 1
    # What was typed stays, except the passwords (never sent back in a page).
    assert 'value="khong-phai-email"' in page and 'value="0912 345 678"' in page
    assert 'value="ngan"' not in page and 'value="khac"' not in page
    assert "vui lòng nhập lại cả hai ô mật khẩu" in page
    assert users() == []


def test_mismatched_confirmation_is_reported_with_the_other_mistakes(client, make_unit):
    unit = make_unit()
    page = client.post(
        "/auth/register", data=form(unit, confirm="khac-mat-khau", phone="12345", group="vip")
    ).text
    assert "không khớp" in page and "Số điện thoại không hợp lệ" in page
    assert "Đối tượng dự thi" in page[page.index('id="form-errors"') :]
    assert users() == []
