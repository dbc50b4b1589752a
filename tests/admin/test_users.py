"""Admin: account search, roles, password resets, bulk import; the CLI for accounts."""

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from quiz.extensions import db
from quiz.models import AuditLog, User
from tests.admin.helpers import USER_HEADER, csv_bytes, xlsx
from tests.factories import PASSWORD
from tests.sheets import table


@pytest.fixture
def tree(make_unit):
    root = make_unit(code="QNG", name="Tỉnh Quảng Ngãi", kind="province")
    return {
        "root": root,
        "binhson": make_unit(root, code="QNG-BS", name="Xã Bình Sơn"),
        "stp": make_unit(root, code="QNG-STP", name="Sở Tư pháp", kind="department"),
    }


@pytest.fixture
def admin(tree, make_user, login):
    user = make_user(tree["root"], role="admin", full_name="Ban Tổ chức")
    login(user)
    return user


def user_by(**kw) -> User:
    return db.session.execute(db.select(User).filter_by(**kw)).scalar_one()


def names_listed(page: str, candidates) -> set[str]:
    return {n for n in candidates if n in page}


def test_search_by_name_without_accents_email_phone_and_unit(client, admin, tree, make_user):
    make_user(tree["binhson"], full_name="Đỗ Thị Hằng", email="hang@example.vn")
    make_user(tree["stp"], full_name="Võ Văn Kiệt", email=None, phone="+84905111222")
    people = {"Đỗ Thị Hằng", "Võ Văn Kiệt"}
    assert names_listed(client.get("/admin/users?q=do thi hang").text, people) == {"Đỗ Thị Hằng"}
    assert names_listed(client.get("/admin/users?q=HANG@example").text, people) == {"Đỗ Thị Hằng"}
    assert names_listed(client.get("/admin/users?q=0905111222").text, people) == {"Võ Văn Kiệt"}
    by_unit = client.get(f"/admin/users?unit={tree['stp'].id}").text
    assert names_listed(by_unit, people) == {"Võ Văn Kiệt"}
    whole = client.get(f"/admin/users?unit={tree['root'].id}").text
    assert names_listed(whole, people) == people


def test_change_role_is_audited(client, admin, tree, make_user):
    person = make_user(tree["binhson"])
    response = client.post(f"/admin/users/{person.id}/role", data={"role": "unit_manager"})
    assert response.status_code == 302
    assert user_by(id=person.id).role == "unit_manager"
    entry = db.session.execute(db.select(AuditLog).filter_by(action="user.role")).scalar_one()
    assert (entry.actor_id, entry.details) == (
        admin.id,
        {"changes": {"role": ["contestant", "unit_manager"]}},
    )


def test_admin_cannot_remove_own_admin_role(client, admin):
    client.post(f"/admin/users/{admin.id}/role", data={"role": "contestant"})
    assert user_by(id=admin.id).role == "admin"


def test_invalid_role_changes_nothing(client, admin, tree, make_user):
    person = make_user(tree["binhson"])
    client.post(f"/admin/users/{person.id}/role", data={"role": "vua"})
    assert user_by(id=person.id).role == "contestant"


def test_reset_password_shows_a_new_one_once_and_forces_a_change(
    client, web_app, admin, tree, make_user
):
    person = make_user(tree["binhson"])
    response = client.post(f"/admin/users/{person.id}/reset-password")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    new_password = response.text.split('class="password-once">')[1].split("<")[0]
    other = web_app.test_client()
    assert (
        other.post("/auth/login", data={"login": person.email, "password": PASSWORD}).status_code
        == 401
    )
    login = other.post("/auth/login", data={"login": person.email, "password": new_password})
    assert login.headers["Location"] == "/auth/password"


def upload_people(client, rows):
    """Upload an account file and follow to its preview."""
    return client.post(
        "/admin/users/import",
        data={"file": (xlsx(USER_HEADER, rows), "tai-khoan.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_bulk_import_hands_back_credentials_that_work(client, web_app, admin, tree, run_jobs):
    rows = [
        ("Phan Thị Lan", "lan@example.vn", "", "QNG-BS", "", "Công chức", ""),
        ("Hồ Văn Nam", "", "0935 123 456", "QNG-STP", "unit_manager", "Chuyên viên", "staff"),
        ("Bùi Thị Hoa", "", "0935123457", "QNG-BS", "thí sinh", "", "nhân dân"),
    ]
    preview = upload_people(client, rows)
    assert preview.status_code == 200, preview.text
    # Row 3 asks for unit_manager: the admin ticks it on the preview.
    job_page = client.post(f"{preview.request.path}/confirm", data={"elevate": ["3"]})
    assert run_jobs() == (1, 0)
    assert "Đã tạo 3 tài khoản" in client.get(job_page.headers["Location"]).text
    response = client.get(job_page.headers["Location"] + "/download")
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = table(sheet)
    assert values[0][:4] == ["Họ và tên", "Mã đơn vị", "Tên đăng nhập", "Mật khẩu ban đầu"]
    # People know their number as they dial it, not in the stored +84 form.
    assert [v[2] for v in values[1:]] == ["lan@example.vn", "0935 123 456", "0935 123 457"]
    assert user_by(phone="+84935123457").participant_group == "citizen"
    assert user_by(phone="+84935123456").role == "unit_manager"
    person = web_app.test_client()
    response = person.post("/auth/login", data={"login": "0935123456", "password": values[2][3]})
    assert response.headers["Location"] == "/auth/password"
    assert db.session.execute(db.select(AuditLog).filter_by(action="users.import")).scalar_one()


def test_bulk_import_with_a_bad_row_creates_nobody(client, admin, tree, make_user):
    make_user(tree["binhson"], email="taken@example.vn")
    rows = [
        ("Phan Thị Lan", "lan@example.vn", "", "QNG-BS", "", "", ""),
        ("Người Trùng", "taken@example.vn", "", "QNG-BS", "", "", ""),
        ("Không Đơn Vị", "x@example.vn", "", "KHONG-CO", "", "", ""),
    ]
    response = upload_people(client, rows)
    assert response.status_code == 422
    assert "taken@example.vn" in response.text and "KHONG-CO" in response.text
    assert db.session.execute(db.select(User).filter_by(email="lan@example.vn")).first() is None


def test_cli_users_import_writes_credentials_file(runner, tree, tmp_path):
    source = tmp_path / "users.xlsx"
    source.write_bytes(
        xlsx(USER_HEADER, [("Phan Thị Lan", "lan@example.vn", "", "QNG-BS", "", "", "")]).getvalue()
    )
    out = tmp_path / "credentials.xlsx"
    result = runner.invoke(args=["users", "import", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = table(load_workbook(out).active)
    assert rows[1][2] == "lan@example.vn" and len(rows[1][3]) >= 8
    assert user_by(email="lan@example.vn").must_change_password is True
    again = runner.invoke(args=["users", "import", str(source), "--out", str(out)])
    assert again.exit_code == 1 and "lan@example.vn" in again.output


def test_cli_users_create_and_its_refusals(runner, tree):
    ok = runner.invoke(
        args=[
            "users",
            "create",
            "--login",
            "0912 000 111",
            "--name",
            "Lý Thị Mơ",
            "--unit",
            "QNG-BS",
            "--role",
            "unit_manager",
            "--password",
            "mat-khau-dai",
        ]
    )
    assert ok.exit_code == 0, ok.output
    user = user_by(phone="+84912000111")
    assert (user.role, user.unit.code, user.check_password("mat-khau-dai")) == (
        "unit_manager",
        "QNG-BS",
        True,
    )
    for args, message in [
        (
            ["--login", "0912000111", "--unit", "QNG-BS", "--password", "mat-khau-dai"],
            "đã được dùng",
        ),
        (["--login", "a@example.vn", "--unit", "NOPE", "--password", "mat-khau-dai"], "NOPE"),
        (
            ["--login", "not-a-login", "--unit", "QNG-BS", "--password", "mat-khau-dai"],
            "không phải",
        ),
        (["--login", "b@example.vn", "--unit", "QNG-BS", "--password", "ngan"], "8 ký tự"),
    ]:
        result = runner.invoke(args=["users", "create", "--name", "Ai Đó", *args])
        assert result.exit_code != 0 and message in result.output, (args, result.output)


def test_seed_demo_loads_once_and_prints_logins(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.example.vn" in first.output
    kinds = {
        u.kind
        for u in db.session.execute(db.select(__import__("quiz.models").models.Unit)).scalars()
    }
    assert kinds == {"province", "department", "commune"}
    from quiz.models import Bank, Question, Round

    banks = {b.is_public: b for b in db.session.execute(db.select(Bank)).scalars()}
    assert set(banks) == {True, False}
    assert db.session.scalar(db.select(db.func.count(Question.id))) >= 150
    # The open round, beside the closed and published one of the certificates demo.
    [round_] = db.session.execute(db.select(Round).filter_by(title="Đợt 1")).scalars()
    assert round_.state(datetime.now(UTC)) == "open" and round_.prediction == "perfect"
    # The open round draws from the private bank; practice keeps the public one.
    assert round_.bank_id == banks[False].id
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "bỏ qua" in second.output
    # + the 3 judges of the demo entries contest and the 2 of the teams contest, demo
    # participants, imported staff of Xã Bình Sơn who never logged in
    assert db.session.scalar(db.select(db.func.count(User.id))) == 6 + 3 + 2 + 36 + 8


def staff_box(page: str) -> str:
    start = page.index('name="organizer_staff"')
    return page[page.rindex("<input", 0, start) : page.index(">", start)]


def test_admin_flags_organizer_staff_on_the_account_page_and_it_is_audited(
    client, admin, tree, make_user
):
    person = make_user(tree["binhson"], full_name="Võ Thị Hạnh")
    page = client.get(f"/admin/users/{person.id}/edit")
    assert page.status_code == 200
    assert "checked" not in staff_box(page.text)
    response = client.post(
        f"/admin/users/{person.id}/organizer-staff", data={"organizer_staff": "y"}
    )
    assert response.status_code == 302
    assert user_by(id=person.id).is_organizer_staff is True
    page = client.get(response.headers["Location"]).text
    assert "Võ Thị Hạnh là thành viên Ban Tổ chức" in page
    assert "checked" in staff_box(page)
    client.post(f"/admin/users/{person.id}/organizer-staff", data={})
    assert user_by(id=person.id).is_organizer_staff is False
    entries = db.session.execute(
        db.select(AuditLog).filter_by(action="user.organizer_staff").order_by(AuditLog.id)
    ).scalars()
    assert [(e.actor_id, e.target_id, e.details) for e in entries] == [
        (admin.id, str(person.id), {"changes": {"is_organizer_staff": [False, True]}}),
        (admin.id, str(person.id), {"changes": {"is_organizer_staff": [True, False]}}),
    ]


def test_bulk_import_reads_the_organizer_staff_column(client, admin, tree, run_jobs):
    header = [*USER_HEADER, "organizer_staff"]
    rows = [
        ("Phan Thị Lan", "lan@example.vn", "", "QNG-BS", "", "", "", "có"),
        ("Hồ Văn Nam", "nam@example.vn", "", "QNG-BS", "", "", "", ""),
    ]
    preview = client.post(
        "/admin/users/import",
        data={"file": (xlsx(header, rows), "tai-khoan.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert preview.status_code == 200, preview.text
    assert "Có (không xét giải)" in preview.text
    client.post(f"{preview.request.path}/confirm", data={})
    assert run_jobs() == (1, 0)
    assert user_by(email="lan@example.vn").is_organizer_staff is True
    assert user_by(email="nam@example.vn").is_organizer_staff is False
    entry = db.session.execute(db.select(AuditLog).filter_by(action="users.import")).scalar_one()
    assert entry.details["organizer_staff"] == ["lan@example.vn"]


def test_cli_users_create_takes_organizer_staff(runner, tree):
    base = ["users", "create", "--unit", "QNG-BS", "--password", "mat-khau-dai"]
    flagged = runner.invoke(
        args=[*base, "--login", "btc@example.vn", "--name", "Thư Ký", "--organizer-staff"]
    )
    plain = runner.invoke(args=[*base, "--login", "ts@example.vn", "--name", "Thí Sinh"])
    assert flagged.exit_code == 0 and plain.exit_code == 0, flagged.output + plain.output
    assert user_by(email="btc@example.vn").is_organizer_staff is True
    assert user_by(email="ts@example.vn").is_organizer_staff is False
    created = db.session.execute(
        db.select(AuditLog).filter_by(
            action="user.create", target_id=str(user_by(email="btc@example.vn").id)
        )
    ).scalar_one()
    assert created.details["organizer_staff"] is True


# ---- Vietnamese headers, problems named by the file's own columns, phones as dialled ----

VIETNAMESE_HEADER = ["Họ và tên", "Email", "Số điện thoại", "Mã đơn vị", "Vai trò", "Chức vụ"]


def post_people(client, data: io.BytesIO, filename: str):
    return client.post(
        "/admin/users/import",
        data={"file": (data, filename)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_a_vietnamese_header_file_imports_like_an_english_one(client, admin, tree, run_jobs):
    rows = [
        ("Phan Thị Lan", "lan@example.vn", "", "QNG-BS", "thí sinh", "Công chức"),
        ("Hồ Văn Nam", "", "0935 123 456", "QNG-STP", "", "Chuyên viên"),
    ]
    preview = post_people(client, xlsx(VIETNAMESE_HEADER, rows), "tai-khoan.xlsx")
    assert preview.status_code == 200, preview.text
    assert "0935 123 456" in preview.text and "+84935123456" not in preview.text
    client.post(f"{preview.request.path}/confirm", data={})
    assert run_jobs() == (1, 0)
    assert user_by(phone="+84935123456").position == "Chuyên viên"
    assert user_by(email="lan@example.vn").unit.code == "QNG-BS"


def test_the_template_reimports_as_it_is(client, admin, tree, make_unit):
    for code in ("QNG.SKHCN", "QNG.BINHSON"):
        make_unit(tree["root"], code=code, name=code)
    template = client.get("/admin/users/template.xlsx").data
    workbook = load_workbook(io.BytesIO(template))
    assert [c.value for c in workbook.worksheets[0][1]][:6] == VIETNAMESE_HEADER
    preview = post_people(client, io.BytesIO(template), "mau-tai-khoan.xlsx")
    assert preview.status_code == 200 and "Xem trước: 3 tài khoản hợp lệ" in preview.text


def test_an_error_names_the_files_header_and_excel_column(client, admin, tree):
    header = ["STT", *VIETNAMESE_HEADER]
    rows = [(1, "Phan Thị Lan", "", "0935", "QNG-BS", "", "")]
    page = post_people(client, xlsx(header, rows), "tai-khoan.xlsx").text
    assert "<td>D «Số điện thoại»</td>" in page
    page = post_people(client, csv_bytes(header, rows), "tai-khoan.csv").text
    assert "<td>D «Số điện thoại» (cột thứ 4)</td>" in page
    assert db.session.execute(db.select(User).filter_by(full_name="Phan Thị Lan")).first() is None


def test_the_import_page_lists_the_vietnamese_column_names_and_the_english_ones(client, admin):
    page = client.get("/admin/users/import").text
    for vietnamese, english in zip(VIETNAMESE_HEADER, USER_HEADER, strict=False):
        assert f"<strong>{vietnamese}</strong> (<code>{english}</code>)" in page


def test_pages_show_phones_the_way_people_dial_them(client, admin, tree, make_user):
    person = make_user(tree["stp"], full_name="Võ Văn Kiệt", email=None, phone="+84905111222")
    listed = client.get("/admin/users?q=0905111222").text
    assert "0905 111 222" in listed and "+84905111222" not in listed
    reset = client.post(f"/admin/users/{person.id}/reset-password").text
    assert "<strong>0905 111 222</strong>" in reset


def test_cli_users_create_prints_the_phone_as_people_dial_it(runner, tree):
    args = ["users", "create", "--login", "+84912000111", "--name", "Lý Thị Mơ"]
    result = runner.invoke(args=[*args, "--unit", "QNG-BS", "--password", "mat-khau-dai"])
    assert result.exit_code == 0, result.output
    assert "Đã tạo tài khoản 0912 000 111" in result.output
