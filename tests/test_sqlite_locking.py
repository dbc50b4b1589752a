"""SQLite: reading requests never queue behind a writer; writing requests hold the lock."""

import sqlite3
import threading

import pytest
from sqlalchemy import event

from quiz.extensions import db
from tests import factories
from tests.conftest import make_test_app


@pytest.fixture
def sqlite_app(tmp_path):
    url = f"sqlite:///{tmp_path / 'lock.sqlite3'}"
    # As in production, each request gets an app context of its own (conftest's web_app).
    web = make_test_app(url)
    app = make_test_app(url, SQLITE_BEGIN_IMMEDIATE=False)
    with app.app_context():
        db.create_all()
        yield web, tmp_path / "lock.sqlite3"
        db.session.remove()
        db.engine.dispose()
    with web.app_context():
        db.engine.dispose()


def begins_of(app, call):
    seen = []

    def hit(_conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", hit)
    try:
        response = call()
    finally:
        event.remove(engine, "before_cursor_execute", hit)
    return response, seen


def test_reads_use_deferred_transactions_and_writes_take_the_lock(sqlite_app):
    app, _path = sqlite_app
    unit = factories.make_unit()
    user = factories.make_user(unit)
    round_ = factories.make_round(factories.make_bank())
    client = app.test_client()
    login, begins = begins_of(
        app,
        lambda: client.post(
            "/api/v1/auth/login", json={"login": user.email, "password": "mat-khau-1"}
        ),
    )
    # The password is checked in a deferred transaction; only the session row is written.
    assert login.status_code == 200 and begins[0] == "BEGIN"
    start, begins = begins_of(app, lambda: client.post(f"/api/v1/rounds/{round_.id}/attempts"))
    assert start.status_code == 201 and "BEGIN IMMEDIATE" in begins
    units, begins = begins_of(app, lambda: client.get(f"/api/v1/rounds/{round_.id}/units"))
    assert units.status_code == 200 and begins == ["BEGIN"]
    fetch, begins = begins_of(app, lambda: client.get(f"/api/v1/attempts/{start.json['id']}"))
    assert fetch.status_code == 200 and "BEGIN IMMEDIATE" not in begins


def test_a_reader_is_served_while_another_process_holds_the_write_lock(sqlite_app):
    app, path = sqlite_app
    round_ = factories.make_round(factories.make_bank())
    client = app.test_client()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release_later():
        released.wait(10)
        holder.execute("ROLLBACK")

    thread = threading.Thread(target=release_later)
    thread.start()
    try:
        response = client.get(f"/api/v1/rounds/{round_.id}/units")
        served_under_lock = not released.is_set()
    finally:
        released.set()
        thread.join()
        holder.close()
    assert response.status_code == 200 and served_under_lock
