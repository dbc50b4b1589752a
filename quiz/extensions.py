"""Flask extensions, created unbound and initialised in create_app."""

import sqlite3
from datetime import UTC, datetime

from flask import current_app, g, has_app_context, has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

# Named constraints, so migrations can refer to them and errors can be mapped.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC in and out, also on SQLite, which stores naive values."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


def _render_item(type_, obj, _autogen_context):
    # Migrations spell the column type plainly; UTC handling is the model's business.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# Objects keep their loaded state after commit: a request reads back what it just wrote
# without a second round trip (each request has its own session).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


def add_counts(model, rows: list[dict], deltas: list[str]) -> None:
    """Insert rows, or add their delta columns to the existing ones (one statement).

    The one way counters are kept (participation aggregates, figure versions): no
    read-modify-write, so concurrent writers never lose an increment.
    """
    if not rows:
        return
    table = model.__table__
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(table)
    keys = [c.name for c in table.primary_key.columns]
    stmt = stmt.on_conflict_do_update(
        index_elements=keys,
        set_={name: table.c[name] + stmt.excluded[name] for name in deltas},
    )
    # Same key order in every transaction: concurrent writers never deadlock.
    rows = sorted(rows, key=lambda r: tuple(r[k] for k in keys))
    db.session.execute(stmt, rows)


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def write_lock() -> None:
    """Declare that this request writes: on SQLite, hold the write lock from the next BEGIN.

    Requests that only read (GET) run in deferred SQLite transactions, so WAL's readers never
    queue behind writers; other methods take the lock at BEGIN. A reading request that turns
    out to write (finalizing an expired attempt on view, upgrading a password hash at login)
    calls this first: the read-only transaction ends and the next one starts IMMEDIATE, so a
    read-then-write never fails on a stale snapshot. PostgreSQL needs nothing here.
    """
    if not has_app_context():
        return
    g.sqlite_write = True
    session = db.session()
    if session.in_transaction():
        conn = session.connection()
        if conn.dialect.name == "sqlite" and conn.info.get("sqlite_immediate") is False:
            session.commit()


def reads_first() -> None:
    """This write request reads (and hashes) before it knows whether it writes: no lock yet."""
    g.sqlite_write = False


def lock_row(model, *where):
    """The row matching `where`, locked until the transaction ends (None if absent).

    PostgreSQL takes a row lock (SELECT … FOR UPDATE); on SQLite the transaction holds the
    database's write lock (write_lock), which serialises writers. The object in the session
    is refreshed from the locked row.
    """
    write_lock()
    return db.session.execute(
        db.select(model).where(*where).with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()


def init_migrate(app) -> None:
    """Flask-Migrate for the `flask db` commands; imported here because alembic weighs 10 MiB
    and a web worker never migrates (create_app skips it under gunicorn)."""
    from flask_migrate import Migrate

    Migrate(render_as_batch=True, compare_type=True, render_item=_render_item).init_app(
        app, db, directory=str(app.root_path + "/../migrations")
    )


login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()
# Sends the password reset links; on only where MAIL_SERVER is set (config.mail_configured).
mail = Mail()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_immediate() -> bool:
    if not has_app_context():
        return True
    if g.get("sqlite_write") is not None:
        return g.sqlite_write
    if has_request_context():
        return request.method not in READ_METHODS
    return current_app.config.get("SQLITE_BEGIN_IMMEDIATE", True)


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    # A deferred SQLite transaction that reads and then writes fails at once with
    # "database is locked" when another writer got there first; BEGIN IMMEDIATE
    # takes the write lock up front and waits for it (busy_timeout) instead. Reads keep
    # deferred transactions: under WAL they never wait for a writer.
    if conn.dialect.name != "sqlite":
        return
    immediate = _sqlite_immediate()
    conn.info["sqlite_immediate"] = immediate
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@event.listens_for(Engine, "before_cursor_execute")
def _sqlite_write_guard(conn, _cursor, statement, *_args):
    # A write inside a deferred transaction can fail under load (stale snapshot): in tests,
    # make such a path fail every time, so a missing write_lock() is found before production.
    if (
        conn.dialect.name == "sqlite"
        and conn.info.get("sqlite_immediate") is False
        and has_request_context()
        and current_app.config.get("TESTING")
        and statement.lstrip()[:7].upper().startswith(_WRITES)
    ):
        raise RuntimeError("write in a read-only SQLite transaction: call write_lock() first")
