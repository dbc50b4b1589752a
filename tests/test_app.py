"""Configuration, database wiring, migrations and error handling."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from quiz import config, create_app, triggers
from quiz.extensions import db
from quiz.models import UnitRegistered
from tests.conftest import make_test_app
from tests.factories import make_unit, make_user


def test_refuses_to_start_without_secret_key_in_production(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.load(str(tmp_path), {"APP_ENV": "production"})


def test_development_key_is_generated_once_and_kept(tmp_path):
    first = config.load(str(tmp_path), {"APP_ENV": "development"})["SECRET_KEY"]
    second = config.load(str(tmp_path), {"APP_ENV": "development"})["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").read_text() == first


def test_database_url_defaults_to_sqlite_under_instance_and_accepts_postgres_scheme(tmp_path):
    assert config.database_url(None, "/srv/instance") == "sqlite:////srv/instance/quiz.sqlite3"
    assert config.database_url("postgres://u:p@h/d", "x") == "postgresql+psycopg://u:p@h/d"
    settings = config.load(str(tmp_path), {"SECRET_KEY": "k" * 32, "REDIS_URL": "redis://r:6379/0"})
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://r:6379/0"
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        db.engine.dispose()


def test_migrations_build_the_same_schema_as_the_models(database_url, backend, pg_engine_or_none):
    app = make_test_app(database_url)
    with app.app_context():
        if backend == "postgresql":
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
            )
            tables = set(sa.inspect(conn).get_table_names())
            installed = set(
                conn.exec_driver_sql(
                    "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
                    if backend == "postgresql"
                    else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                ).scalars()
            )
        db.engine.dispose()
    assert diff == []
    assert {"unit", "user_account", "audit_log", "alembic_version"} <= tables
    # SQLite rebuilds a table to alter it, and the table's triggers go with it: every
    # trigger the figures depend on must still be there after the last migration.
    assert installed == triggers.trigger_names(backend)


def test_registered_people_are_counted_after_the_migrations(database_url, backend):
    app = make_test_app(database_url)
    with app.app_context():
        if backend == "postgresql":
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade()
        unit = make_unit()
        make_user(unit)
        make_user(unit, role="judge")
        assert db.session.get(UnitRegistered, unit.id).people == 2
        db.session.remove()
        db.engine.dispose()


def test_unknown_page_is_a_vietnamese_404(client):
    response = client.get("/khong-co")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text


def test_api_errors_are_json_with_code_and_message(client):
    response = client.get("/api/v1/khong-co")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    response = client.post("/api/v1/auth/login", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_json"
    response = client.post("/api/v1/auth/login", json={"login": 5, "password": []})
    assert response.status_code == 400


def test_english_is_chosen_from_the_footer_link(client):
    response = client.get("/lang/en", headers={"Referer": "http://localhost/auth/login"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login").text
    assert 'lang="en"' in page
    assert "Log in" in page


def test_language_switch_never_redirects_off_site(client):
    response = client.get("/lang/vi", headers={"Referer": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_security_headers_are_set(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_factory_does_not_touch_the_database(tmp_path):
    path = tmp_path / "never.sqlite3"
    create_app({"ENVIRON": {"APP_ENV": "test"}, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    assert not path.exists()
