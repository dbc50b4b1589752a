"""Who may open which page: every admin and manager route × every kind of visitor."""

import pytest

from question_bank.questions import QuestionRecord
from quiz.bank import services as bank_services
from quiz.extensions import db
from quiz.models import DeletionRequest, Question, User
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
    "/admin/users/{user}/edit",
    "/admin/deletion-requests",
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
    "/admin/users/{user}/edit",
    "/admin/deletion-requests/{request}/approve",
    "/admin/deletion-requests/{request}/reject",
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
        **deletion_fixtures(),
    }


def deletion_fixtures():
    contestant = db.session.execute(
        db.select(User).filter_by(full_name="Người Ở Thôn")
    ).scalar_one()
    request = DeletionRequest(user_id=contestant.id, status="pending", requested_at=now())
    db.session.add(request)
    db.session.commit()
    return {"request": request}


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
        request=people["request"].id,
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
    db.session.refresh(people["request"])
    assert people["request"].status == "pending"
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


@pytest.mark.parametrize(
    ("who", "pending", "placement"),
    [
        (None, 302, 302),
        ("contestant", 403, 403),
        ("manager", 200, 200),
        ("other_manager", 200, 404),
        ("admin", 200, 200),
    ],
)
def test_manager_correction_and_approval_pages(client, people, who, pending, placement):
    as_(client, people.get(who))
    person = people["contestant"]
    assert client.get("/manager/pending").status_code == pending
    url = f"/manager/people/{person.id}/placement"
    assert client.get(url).status_code == placement
    target = people["child"] if who == "manager" else people["root"]
    response = client.post(url, data={"unit_id": str(target.id), "group": "citizen"})
    db.session.refresh(person)
    if placement == 200:
        assert response.status_code == 302
        assert person.unit_id == target.id
    else:
        assert response.status_code == placement
        assert (person.unit_id, person.participant_group) == (people["mine"].id, "staff")


@pytest.mark.parametrize("who", [None, "contestant", "other_manager"])
def test_approval_outside_ones_reach_changes_nothing(client, people, make_user, who):
    pending = make_user(people["child"], approved_at=None)
    as_(client, people.get(who))
    client.post("/manager/pending/approve", data={"user_id": pending.id})
    db.session.refresh(pending)
    assert pending.approved_at is None
