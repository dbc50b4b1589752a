"""Password hashes: argon2id by default, older and one-time hashes upgraded at login."""

import pytest
from werkzeug.security import generate_password_hash

from quiz import passwords
from quiz.admin import services as admin_services
from quiz.auth import services as auth_services
from quiz.extensions import db
from quiz.models import User
from tests.factories import PASSWORD, now


@pytest.fixture
def app_config():
    return {"PASSWORD_HASH_METHOD": passwords.ARGON2ID}


def test_own_password_is_stored_as_argon2id_at_owasp_minimum(make_unit, make_user):
    user = make_user(make_unit())
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(PASSWORD) and not user.check_password("sai-mat-khau")


def test_an_old_scrypt_hash_is_upgraded_at_the_next_successful_login(client, make_unit, make_user):
    user = make_user(make_unit())
    user.password_hash = generate_password_hash(PASSWORD, method="scrypt")
    db.session.commit()
    wrong = client.post("/auth/login", data={"login": user.email, "password": "sai-mat-khau"})
    assert wrong.status_code == 401
    assert db.session.get(User, user.id).password_hash.startswith("scrypt:")
    ok = client.post("/auth/login", data={"login": user.email, "password": PASSWORD})
    assert ok.status_code == 302
    upgraded = db.session.get(User, user.id)
    assert upgraded.password_hash.startswith("$argon2id$")
    assert upgraded.check_password(PASSWORD)
    # Same password: the session that just logged in stays valid.
    assert client.get("/auth/profile").status_code == 200


def test_generated_passwords_take_a_cheap_one_time_hash_upgraded_when_used(
    client, make_unit, make_user
):
    admin = make_user(make_unit(), role="admin")
    person = make_user(make_unit())
    password = admin_services.reset_password(person, actor=admin, now=now())
    assert len(password) == 12
    stored = db.session.get(User, person.id).password_hash
    assert stored.startswith("pbkdf2:sha256:1000$")
    response = client.post("/auth/login", data={"login": person.email, "password": password})
    assert response.status_code == 302
    assert db.session.get(User, person.id).password_hash.startswith("$argon2id$")


def test_a_damaged_hash_never_logs_anyone_in(app, make_unit, make_user):
    user = make_user(make_unit())
    user.password_hash = "not-a-hash"
    db.session.commit()
    with pytest.raises(auth_services.DomainError):
        auth_services.authenticate(user.email, PASSWORD)
