"""The audit log in words: sentences, changed fields, one label per action code, filters."""

import ast
import html
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz import audit
from quiz.admin import services as admin_services
from quiz.admin.audit_log import ACTIONS
from quiz.contest import services as contest_services
from quiz.extensions import db
from quiz.models import AuditLog, Contest, User
from tests.factories import make_bank, make_round, now

QUIZ = Path(__file__).resolve().parents[2] / "quiz"


@pytest.fixture
def admin(make_unit, make_user, login):
    user = make_user(make_unit(code="ROOT"), role="admin", full_name="Trần Thị Quản Trị")
    login(user)
    return user


def _codes(node: ast.AST, assigned: dict[str, list[ast.AST]]) -> set[str]:
    """The action codes an argument can take; raises when it is not written out."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _codes(node.body, assigned) | _codes(node.orelse, assigned)
    if isinstance(node, ast.Name) and assigned.get(node.id):
        return set().union(*(_codes(v, assigned) for v in assigned[node.id]))
    raise AssertionError(f"line {node.lineno}: write the audit action code as a literal")


def action_codes_in_code_base() -> dict[str, str]:
    found = {}
    for path in QUIZ.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned: dict[str, list[ast.AST]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                for code in _codes(node.args[1], assigned):
                    found[code] = f"{path.relative_to(QUIZ.parent)}:{node.lineno}"
    return found


def test_every_action_code_in_the_code_base_has_a_label():
    found = action_codes_in_code_base()
    # The scan itself works: it sees codes written in every style the code base uses.
    assert {"round.update", "question.restore", "attempt.flag_cleared", "legal.edit"} <= set(found)
    missing = {code: where for code, where in found.items() if code not in ACTIONS}
    assert missing == {}, "add these codes to quiz/admin/audit_log.py ACTIONS"


def test_snapshot_and_diff_never_carry_a_secret(app, make_unit, make_user):
    person = make_user(make_unit())
    values = audit.snapshot(person)
    assert "full_name" in values
    assert not [key for key in values if "password" in key or "token" in key]
    assert audit.diff({"password_hash": "a", "name": "x"}, {"password_hash": "b", "name": "y"}) == {
        "name": ["x", "y"]
    }
    entry = audit.record(None, "user.create", "user", person.id, now=now(), password="s3cret")
    assert entry.details == {}


def round_settings(round_) -> contest_services.RoundSettings:
    return contest_services.RoundSettings(
        title=round_.title,
        opens_at=round_.opens_at,
        closes_at=round_.closes_at,
        bank_id=round_.bank_id,
        question_count=round_.question_count,
        time_limit_seconds=round_.time_limit_seconds,
        draws={d.topic: d.count for d in round_.draws},
        prediction=round_.prediction,
        review_policy=round_.review_policy,
    )


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_round_update_is_shown_in_words_with_what_changed(client, admin):
    bank = make_bank()
    contest = Contest(slug="hoi-thi-cds", title="Hội thi CĐS 2026", rules="")
    round_ = make_round(
        bank,
        contest,
        title="Tuần 1",
        opens_at=datetime(2026, 12, 1, 1, 0, tzinfo=UTC),
        closes_at=datetime(2026, 12, 7, 10, 30, tzinfo=UTC),
    )
    settings = replace(
        round_settings(round_),
        title="Tuần 1 (sửa)",
        closes_at=datetime(2026, 12, 8, 10, 30, tzinfo=UTC),
        shuffle_choices=False,
        review_policy="never",
    )
    user = db.session.get(User, admin.id)
    contest_services.update_round(round_, settings, actor=user, now=now())

    entry = db.session.execute(db.select(AuditLog).filter_by(action="round.update")).scalar_one()
    assert entry.details["changes"] == {
        "title": ["Tuần 1", "Tuần 1 (sửa)"],
        "closes_at": ["2026-12-07T10:30:00+00:00", "2026-12-08T10:30:00+00:00"],
        "shuffle_choices": [True, False],
        "review_policy": ["after_close", "never"],
    }
    page = client.get("/admin/audit")
    assert page.status_code == 200
    words = text_of(page.text)
    assert "Trần Thị Quản Trị đã sửa đợt thi «Tuần 1 (sửa)» của hội thi «Hội thi CĐS 2026»" in words
    assert "Tên: Tuần 1 → thành Tuần 1 (sửa)" in words
    # Vietnam time, day first; Có/Không; an enum by its label.
    assert "Đóng lúc: 07/12/2026 17:30 → thành 08/12/2026 17:30" in words
    assert "Đảo thứ tự phương án: Có → thành Không" in words
    assert "Xem lại đáp án: Sau khi đợt thi đóng → thành Không cho xem" in words
    rows = page.text.split("<tbody>")[1]
    assert "round.update" not in rows and "{&#34;" not in rows
    client.set_cookie("lang", "en")
    english = text_of(client.get("/admin/audit").text)
    assert "Trần Thị Quản Trị edited round «Tuần 1 (sửa)» of contest «Hội thi CĐS 2026»" in english
    assert "Shuffle choices: Yes → to No" in english


def test_contest_unit_and_role_edits_record_old_and_new(client, admin, make_unit, make_user):
    contest = contest_services.create_contest("hoi-thi", "Hội thi cũ", "", actor=None, now=now())
    actor = db.session.get(User, admin.id)
    contest_services.update_contest(contest, "Hội thi mới", "", actor=actor, now=now())
    unit = make_unit(code="BS", name="Xã Bình Sơn", kind="commune")
    admin_services.update_unit(
        unit,
        name="Phường Bình Sơn",
        kind="department",
        parent_id=None,
        headcount=50,
        target_rate=None,
        actor=actor,
        now=now(),
    )
    person = make_user(unit, full_name="Lê Văn Bình")
    admin_services.set_role(person, "unit_manager", actor=actor, now=now())
    details = {e.action: e.details for e in db.session.execute(db.select(AuditLog)).scalars()}
    assert details["contest.update"] == {"changes": {"title": ["Hội thi cũ", "Hội thi mới"]}}
    assert details["unit.update"] == {
        "changes": {"name": ["Xã Bình Sơn", "Phường Bình Sơn"], "kind": ["commune", "department"]}
    }
    words = text_of(client.get("/admin/audit").text)
    assert "Loại: Xã, phường, đặc khu → thành Sở, ban, ngành" in words
    assert "đã đổi vai trò của «Lê Văn Bình» Vai trò: Thí sinh → thành Cán bộ đầu mối" in words
    assert "đã sửa đơn vị «Phường Bình Sơn» (BS)" in words


def test_audit_log_pages_and_filters(client, admin, make_unit, make_user):
    other = make_user(make_unit(), full_name="Phạm Thị Khác")
    start = datetime(2026, 11, 30, 16, 59, tzinfo=UTC)  # 23:59 on 30/11 in Vietnam
    for i in range(60):
        audit.record(admin, "user.approve", "user", other.id, now=start + timedelta(minutes=i))
    audit.record(other, "privacy.deletion_request", "user", other.id, now=start)
    db.session.commit()

    first = client.get("/admin/audit")
    assert "Tìm thấy 61 mục." in first.text
    assert first.text.count("đã duyệt tài khoản") + first.text.count("đã yêu cầu") == 50
    second = client.get("/admin/audit?page=2")
    assert second.status_code == 200
    assert second.text.count("<tr>") - 1 == 11

    only = client.get("/admin/audit?action=privacy.deletion_request")
    assert "Tìm thấy 1 mục." in only.text and "đã yêu cầu xóa dữ liệu cá nhân" in only.text
    by_name = client.get("/admin/audit?actor=pham thi")
    assert "Tìm thấy 1 mục." in by_name.text
    # Days are Vietnam days: 30/11 holds only the first minute (23:59).
    day = client.get("/admin/audit?from=2026-11-30&to=2026-11-30")
    assert "Tìm thấy 2 mục." in day.text
    later = client.get("/admin/audit?from=01/12/2026&action=user.approve")
    assert "Tìm thấy 59 mục." in later.text
    paged = client.get("/admin/audit?action=user.approve")
    assert "action=user.approve" in paged.text.split('class="pager"')[1]


def test_a_bad_date_filter_is_a_readable_400(client, admin):
    response = client.get("/admin/audit?from=31/02/2026")
    assert response.status_code == 400
    assert "Ngày “31/02/2026” không hợp lệ" in response.text
    backwards = client.get("/admin/audit?from=2026-12-02&to=2026-12-01")
    assert backwards.status_code == 400
    for edge in ("from=0001-01-01", "to=9999-12-31", "from=abc", "to=2026-12-01T00:00"):
        assert client.get(f"/admin/audit?{edge}").status_code == 400, edge
