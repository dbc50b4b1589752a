"""A site bigger than one page on every paged list, shared by the bad-input tests."""

from dataclasses import dataclass

from quiz.bank.views import PAGE_SIZE as QUESTIONS_PAGE_SIZE
from quiz.extensions import db
from quiz.models import AuditLog, DeletionRequest, Round, Unit, User
from quiz.query_args import PAGE_SIZE as PEOPLE_PAGE_SIZE
from tests.factories import make_bank, make_round, make_unit, make_user, now
from tests.results_pages.helpers import take


@dataclass
class Site:
    root: Unit
    district: Unit
    commune: Unit
    admin: User
    manager: User
    contestant: User
    round: Round
    bank_id: int
    attempt_id: int


def big_site() -> Site:
    """Every paged list (accounts, audit log, a bank's questions, a manager's people, the
    people waiting for approval, deletion requests) has more than one page."""
    root = make_unit(code="TINH", kind="province", name="Tỉnh Thử")
    district = make_unit(root, code="HUYEN", kind="district", name="Huyện Thử")
    commune = make_unit(district, code="XA", kind="commune", name="Xã Thử")
    admin = make_user(root, role="admin", full_name="Quản Trị")
    manager = make_user(district, role="unit_manager", full_name="Quản Lý Huyện")
    contestant = make_user(commune, full_name="Thí Sinh")
    db.session.add_all(
        User(
            unit_id=commune.id,
            full_name=f"Người Tự Đăng Ký {i}",
            name_search=f"nguoi tu dang ky {i}",
            email=f"dangky{i}@example.vn",
            password_hash="!",  # never logs in
            role="contestant",
            participant_group="staff",
        )
        for i in range(PEOPLE_PAGE_SIZE + 5)
    )
    db.session.add_all(
        AuditLog(at=now(), actor_id=admin.id, action="test.row", target_type="unit")
        for _ in range(PEOPLE_PAGE_SIZE + 5)
    )
    db.session.flush()
    # The self-registered people above wait for approval, and each asks for deletion.
    registered = db.session.execute(db.select(User.id).where(User.email.like("dangky%"))).scalars()
    db.session.add_all(DeletionRequest(user_id=uid, requested_at=now()) for uid in registered)
    db.session.commit()
    bank = make_bank(topics={"Chuyển đổi số": QUESTIONS_PAGE_SIZE + 5})
    round_ = make_round(bank, question_count=3)
    attempt = take(contestant, round_, 2, submit=False)
    return Site(root, district, commune, admin, manager, contestant, round_, bank.id, attempt.id)
