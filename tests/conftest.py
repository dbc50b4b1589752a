"""Fixtures: every test runs on SQLite and on PostgreSQL, each with a fresh database."""

import os
import threading

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from quiz import create_app
from quiz.extensions import db
from quiz.jobs import worker as job_worker
from tests import factories

DEFAULT_PG_URL = "postgresql://quiz:quiz@127.0.0.1:5432/quiz_test"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def missing_service(what: str):
    """A missing service fails the run under REQUIRE_SERVICES=1, else skips."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")


def base_pg_url() -> sa.URL:
    raw = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG_URL)
    return sa.make_url(raw.replace("postgresql://", "postgresql+psycopg://", 1))


@pytest.fixture(scope="session")
def pg_url():
    """A database of this test run's own (runs side by side never share one)."""
    base = base_pg_url()
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"{base.database}_{os.getpid()}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError:
        admin.dispose()
        missing_service(f"PostgreSQL at {base.render_as_string(hide_password=True)}")
    url = base.set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def pg_engine_or_none(backend, request):
    return request.getfixturevalue("pg_url") if backend == "postgresql" else None


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request):
    return request.param


def make_test_app(url: str, **extra):
    config = {
        "ENVIRON": {"APP_ENV": "test"},
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        # Tests submit within milliseconds: the too-fast flag is off unless a round sets it.
        "MIN_SECONDS_PER_QUESTION": 0,
        # Tests read figures right after changing them: no lag allowed (figure_cache).
        "FIGURE_REBUILD_SECONDS": 0,
    }
    config.update(extra)
    return create_app(config)


@pytest.fixture
def database_url(backend, request, tmp_path):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def app_config():
    """Overrides for one test module (e.g. CSRF or rate limits on)."""
    return {}


@pytest.fixture
def web_app(database_url, app_config):
    """The app that serves requests: its own instance, so each request gets its own
    app context (g, session), as in production."""
    web = make_test_app(database_url, **app_config)
    yield web
    with web.app_context():
        db.engine.dispose()


class FreshClient(FlaskClient):
    """A test client that ends the test code's transaction around each request, so the
    test sees what the request wrote and never holds a lock the request waits on."""

    def open(self, *args, **kwargs):
        db.session.rollback()
        response = super().open(*args, **kwargs)
        db.session.expire_all()  # the request may have changed what the test holds
        return response


@pytest.fixture
def app(database_url, backend, app_config, web_app):
    """The app whose context the test code runs in (factories, assertions)."""
    # Test code only reads between requests: no write lock on SQLite.
    app = make_test_app(database_url, SQLITE_BEGIN_IMMEDIATE=False, **app_config)
    with app.app_context():
        if backend == "postgresql":
            # A fresh schema for every test: drop what the last test left.
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app, web_app):
    web_app.test_client_class = FreshClient
    return web_app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def run_jobs(app):
    """Work off the job queue as `flask jobs work --once` does: (done, failed)."""

    def run() -> tuple[int, int]:
        db.session.rollback()
        outcome = job_worker.work(once=True)
        db.session.expire_all()
        return outcome

    return run


@pytest.fixture
def make_unit(app):
    return factories.make_unit


@pytest.fixture
def make_user(app):
    return factories.make_user


@pytest.fixture
def login(client):
    def do(user, password=factories.PASSWORD):
        response = client.post("/auth/login", data={"login": user.login, "password": password})
        assert response.status_code == 302, response.text
        return response

    return do


@pytest.fixture
def live_server(app, web_app):
    """The app served over HTTP in a thread, for browsers and concurrency tests."""
    server = make_server("127.0.0.1", 0, web_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
