"""Who may open which page: every admin and manager route × every kind of visitor."""

import pytest

from question_bank.questions import QuestionRecord
from quiz.bank import services as bank_services
from quiz.extensions import db
from quiz.models import Question, User
from tests.factories import PASSWORD, now

ADMIN_GETS = [
    "/admin/",
    "/admin/units",
    "/admin/units/template.xlsx",
    "/admin/units/{unit}/edit",
    "/admin/users",
    "/admin/users/template.xlsx",
    "/admin/users/import",
    "/admin/audit",
    "/admin/banks",
    "/admin/banks/template.xlsx",
    "/admin/banks/{bank}",
    "/admin/banks/{bank}/questions",
    "/admin/banks/{bank}/export/xlsx",
    "/admin/banks/{bank}/export/gift",
    "/admin/banks/questions/{question}",
    "/admin/banks/questions/{question}/edit",
]
ADMIN_POSTS = [
    "/admin/units/upload",
    "/admin/units/{unit}/edit",
    "/admin/users/{user}/role",
    "/admin/users/{user}/reset-password",
    "/admin/users/import",
    "/admin/banks",
    "/admin/banks/{bank}/upload",
    "/admin/banks/{bank}/uploads/{upload}/confirm",
    "/admin/banks/questions/{question}/edit",
    "/admin/banks/questions/{question}/retire",
    "/admin/banks/questions/{question}/restore",
]
MANAGER_GETS = ["/manager/"]


@pytest.fixture
def people(make_unit, make_user):
    root = make_unit(code="P", kind="province", name="Tỉnh Thử")
    mine = make_unit(root, code="MINE", name="Xã Của Tôi")
    child = make_unit(mine, code="MINE-1", name="Thôn Con", kind="other")
    other = make_unit(root, code="OTHER", name="Xã Bên Cạnh")
    return {
        "root": root,
        "mine": mine,
        "child": child,
        "other": other,
        "admin": make_user(root, role="admin"),
        "manager": make_user(mine, role="unit_manager", full_name="Quản Lý Xã Của Tôi"),
        "other_manager": make_user(other, role="unit_manager"),
        "contestant": make_user(mine, full_name="Người Ở Thôn", role="contestant"),
        "child_person": make_user(child, full_name="Người Ở Thôn Con"),
        "outsider": make_user(other, full_name="Người Xã Khác"),
        **bank_fixtures(),
    }


def bank_fixtures():
    bank = bank_services.create_bank("Ngân hàng", None, actor=None, now=now())
    record = QuestionRecord(2, "Chủ đề", "Câu hỏi thử?", ("Đúng", "Sai"), 0, None, None, None)
    bank_services.import_records(bank, [record], actor=None, now=now())
    db.session.commit()
    question = db.session.execute(db.select(Question)).scalar_one()
    admin = db.session.execute(db.select(User).filter_by(role="admin")).scalar_one()
    upload = bank_services.stash_upload(admin, bank, "a.csv", b"x", now=now())
    return {"bank": bank, "question": question, "upload": upload}


def as_(client, user):
    if user is not None:
        client.post("/auth/login", data={"login": user.email, "password": PASSWORD})


def fill(path, people):
    return path.format(
        unit=people["mine"].id,
        user=people["contestant"].id,
        bank=people["bank"].id,
        question=people["question"].id,
        upload=people["upload"].id,
    )


@pytest.mark.parametrize("who", [None, "contestant", "manager", "other_manager"])
@pytest.mark.parametrize(
    "method_path", [("GET", p) for p in ADMIN_GETS] + [("POST", p) for p in ADMIN_POSTS]
)
def test_admin_routes_are_for_admins_only(client, people, who, method_path):
    method, path = method_path
    as_(client, people.get(who))
    before = (
        people["contestant"].role,
        people["contestant"].password_hash,
        people["question"].retired_at,
    )
    response = client.open(fill(path, people), method=method, data={"role": "admin"})
    if who is None:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")
    else:
        assert response.status_code == 403
        assert "không có quyền" in response.text
    db.session.refresh(people["contestant"])
    db.session.refresh(people["question"])
    after = (
        people["contestant"].role,
        people["contestant"].password_hash,
        people["question"].retired_at,
    )
    assert after == before
    assert db.session.scalar(db.select(db.func.count(Question.id))) == 1


@pytest.mark.parametrize("method_path", [("GET", p) for p in ADMIN_GETS])
def test_admin_sees_every_admin_page(client, people, method_path):
    as_(client, people["admin"])
    assert client.get(fill(method_path[1], people)).status_code == 200


@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("contestant", 403), ("manager", 200), ("admin", 200)]
)
def test_manager_page_access(client, people, who, status):
    as_(client, people.get(who))
    assert client.get("/manager/").status_code == status


def test_manager_sees_only_its_own_subtree(client, people):
    as_(client, people["manager"])
    page = client.get("/manager/").text
    assert "Người Ở Thôn" in page and "Người Ở Thôn Con" in page
    assert "Người Xã Khác" not in page
    assert "Xã Bên Cạnh" not in page
    # Another unit's id in the filter answers 404, not its people.
    assert client.get(f"/manager/?unit={people['other'].id}").status_code == 404
    narrowed = client.get(f"/manager/?unit={people['child'].id}").text
    assert "Người Ở Thôn Con" in narrowed and "Quản Lý Xã Của Tôi" not in narrowed


def test_manager_of_another_unit_sees_none_of_mine(client, people):
    as_(client, people["other_manager"])
    page = client.get("/manager/?q=nguoi").text
    assert "Người Xã Khác" in page
    assert "Người Ở Thôn" not in page
