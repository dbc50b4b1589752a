"""Configuration that a live site must not get wrong: key length, key file, demo data."""

import stat

import pytest

from quiz import config
from quiz.extensions import db
from quiz.models import User
from tests.conftest import make_test_app


@pytest.mark.parametrize("key", ["x", "k" * 31, "đ" * 15])
def test_production_refuses_a_secret_key_shorter_than_32_bytes(tmp_path, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY is too short"):
        config.load(str(tmp_path), {"APP_ENV": "production", "SECRET_KEY": key})


def test_production_accepts_a_32_byte_key_and_development_any(tmp_path):
    assert config.load(str(tmp_path), {"APP_ENV": "production", "SECRET_KEY": "k" * 32})
    assert config.load(str(tmp_path), {"APP_ENV": "development", "SECRET_KEY": "x"})


def test_generated_development_key_file_is_readable_by_its_owner_only(tmp_path):
    config.load(str(tmp_path), {"APP_ENV": "development"})
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_a_key_file_left_world_readable_is_tightened(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("a" * 64)
    path.chmod(0o644)
    assert config.load(str(tmp_path), {"APP_ENV": "development"})["SECRET_KEY"] == "a" * 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_seed_demo_refuses_to_run_in_production(app, database_url):
    live = make_test_app(database_url, APP_ENV="production")
    # The CLI runs in the current app context: make it the production app's.
    with live.app_context():
        result = live.test_cli_runner().invoke(args=["seed-demo"])
        db.session.remove()
    assert result.exit_code != 0
    assert "production" in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_users_create_asks_for_the_password_hidden_and_twice(runner, make_unit):
    make_unit(code="QNG-BS")
    args = ["users", "create", "--login", "an@example.vn", "--name", "An", "--unit", "QNG-BS"]
    result = runner.invoke(args=args, input="mat-khau-dai\nmat-khau-dai\n")
    assert result.exit_code == 0, result.output
    assert "mat-khau-dai" not in result.output  # hidden input is not echoed
    assert "Nhập lại mật khẩu" in result.output
    user = db.session.execute(db.select(User).filter_by(email="an@example.vn")).scalar_one()
    assert user.check_password("mat-khau-dai")


def test_users_create_refuses_two_different_typed_passwords(runner, make_unit):
    make_unit(code="QNG-BS")
    args = ["users", "create", "--login", "an@example.vn", "--name", "An", "--unit", "QNG-BS"]
    result = runner.invoke(args=args, input="mat-khau-dai\nkhac-han-roi\n")
    assert result.exit_code != 0
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
