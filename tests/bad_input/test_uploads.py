"""Finding 11 of issue 8: a zip-bomb workbook is a 4xx with a readable message, and
changes nothing."""

import io

import pytest

from quiz.bank import services as bank_services
from quiz.extensions import db
from quiz.models import AuditLog, Question, Unit
from tests.bad_input.bombs import shared_strings_bomb
from tests.factories import now

UNITS = ["code", "name", "kind", "parent_code", "headcount"]
QUESTIONS = ["topic", "question", "A", "B", "answer"]


@pytest.fixture
def admin(make_unit, make_user, login):
    user = make_user(make_unit(code="ROOT"), role="admin")
    login(user)
    return user


def test_units_upload_refuses_a_zip_bomb_and_changes_nothing(client, admin):
    data = shared_strings_bomb(UNITS, [("NEW", "Tỉnh Mới", "province", "", 1)], 3_000_000)
    response = client.post(
        "/admin/units/upload",
        data={"file": (io.BytesIO(data), "don-vi.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "giải nén ra quá lớn" in response.text
    assert db.session.execute(db.select(Unit.code)).scalars().all() == ["ROOT"]
    assert db.session.execute(db.select(AuditLog)).first() is None


def test_english_speakers_read_the_refusal_in_english(client, admin):
    client.set_cookie("lang", "en")
    data = shared_strings_bomb(UNITS, [("NEW", "Tỉnh Mới", "province", "", 1)], 3_000_000)
    response = client.post(
        "/admin/units/upload",
        data={"file": (io.BytesIO(data), "units.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "unzips too large" in response.text


def test_bank_upload_refuses_a_zip_bomb_and_loads_nothing(client, admin):
    bank = bank_services.create_bank("Ngân hàng thử", None, actor=None, now=now())
    data = shared_strings_bomb(QUESTIONS, [("CĐS", "Câu?", "Đúng", "Sai", "A")], 3_000_000)
    response = client.post(
        f"/admin/banks/{bank.id}/upload",
        data={"file": (io.BytesIO(data), "cau-hoi.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 422
    assert "giải nén ra quá lớn" in response.text
    assert db.session.execute(db.select(Question)).first() is None
