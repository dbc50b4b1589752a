"""The home page: its counters come from kept aggregates, never from counting rows."""

import re

from sqlalchemy import event

from quiz.extensions import db
from quiz.models import User


def counters(html: str) -> tuple[int, int]:
    """(units, registered people) as the page shows them."""
    units = re.search(r"<strong>([\d.,]+)</strong> đơn vị", html)
    people = re.search(r"<strong>([\d.,]+)</strong> người đã đăng ký", html)
    return int(re.sub(r"\D", "", units[1])), int(re.sub(r"\D", "", people[1]))


def test_counters_follow_new_units_people_and_deletions(client, make_unit, make_user):
    province = make_unit(kind="province")
    commune = make_unit(province, kind="commune")
    make_user(commune)
    assert counters(client.get("/").text) == (2, 1)
    make_unit(province)
    leaving = make_user(province)
    make_user(commune)
    assert counters(client.get("/").text) == (3, 3)
    db.session.delete(db.session.get(User, leaving.id))
    db.session.commit()
    assert counters(client.get("/").text) == (3, 2)


def test_home_queries_do_not_grow_with_units_or_people(client, web_app, make_unit, make_user):
    province = make_unit(kind="province")
    make_user(make_unit(province, kind="commune"))
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement.split("\n")[0][:100])

    with web_app.app_context():
        engine = db.engine
    client.get("/")  # warm the per-worker cache
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get("/")
        few = len(statements)
        for i in range(30):
            commune = make_unit(province, kind="commune", name=f"Xã Thêm {i}")
            make_user(commune)
            make_user(commune)
        client.get("/")  # recount once: the versions moved
        statements.clear()
        page = client.get("/").text
        many = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert counters(page) == (32, 61)
    assert many == few, statements
    # (BEGIN on SQLite,) the figure versions, the contests, their rounds, participants:
    # no COUNT over units or accounts.
    assert not any("count(" in s.lower() for s in statements), statements
    assert few <= 5, "\n".join(statements)
