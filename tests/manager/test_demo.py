"""The demo (flask seed-demo) shows the unit manager's tools with figures."""

from quiz.extensions import db
from quiz.models import Round, User
from quiz.seed import IMPORTED_STAFF
from tests.results_pages.helpers import tables


def test_demo_manager_sees_who_never_logged_in_the_trend_and_can_reset(client, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    password = next(
        line.split()[-1] for line in result.output.splitlines() if "daumoi.binhson" in line
    )
    client.post(
        "/auth/login", data={"login": "daumoi.binhson@demo.example.vn", "password": password}
    )
    client.post(
        "/auth/password",
        data={"current": password, "new": "mat-khau-moi-1", "confirm": "mat-khau-moi-1"},
    )
    html = client.get("/manager/never-logged-in").text
    names = next(t for t in tables(html) if "Tên đăng nhập" in t.head).column("Họ và tên")
    assert {name for name, *_rest in IMPORTED_STAFF} <= set(names)

    round_id = db.session.scalar(db.select(Round.id))
    trend = client.get(f"/manager/trend?round={round_id}").text
    days = next(t for t in tables(trend) if "Người tham gia mới" in t.head)
    assert len([r for r in days.rows if r[1] != "0"]) >= 3

    person = db.session.execute(
        db.select(User).filter_by(full_name=IMPORTED_STAFF[0][0])
    ).scalar_one()
    assert client.post(f"/manager/people/{person.id}/reset-password").status_code == 200
