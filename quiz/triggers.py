"""Database triggers that keep two small read models exact, whatever writes the rows.

- unit_registered: people registered directly in each unit, and how many of them are
  approved (a subtree's count is the sum over its units), so no page counts a million
  accounts to show a participation rate;
- stat_version: a counter per kind of figure ("registered", "units", "round:<id>",
  "contest:<id>"), bumped in the same transaction as the change: caches of public figures
  compare it and never serve a figure older than the last committed change.

Triggers, not application code, because accounts and aggregates are written from many places
(registration, imports, admin edits, the benchmark's bulk loader): the database sees them all.
"""

import re

from sqlalchemy import DDL, event

from .extensions import db

# table → (version name, the UPDATE that changes it: "UPDATE" or "UPDATE OF columns")
_VERSIONED = {
    "user_account": ("'registered'", "UPDATE OF unit_id, approved_at"),
    "unit": ("'units'", "UPDATE"),
    "unit_round_stat": ("'round:' || {row}.round_id", "UPDATE"),
    "unit_contest_stat": ("'contest:' || {row}.contest_id", "UPDATE"),
    # A round's settings, prize counts and publication change what its results pages show.
    "round": ("'round:' || {row}.id", "UPDATE"),
}


def _sqlite() -> list[str]:
    def bump(name: str) -> str:
        return (
            f"INSERT INTO stat_version (name, version) VALUES ({name}, 1) "  # noqa: S608 - constants
            "ON CONFLICT (name) DO UPDATE SET version = version + 1;"
        )

    def add(row: str, sign: int) -> str:
        # The row's person counts in its unit, and among the approved if approved.
        approved = f"(CASE WHEN {row}.approved_at IS NULL THEN 0 ELSE {sign} END)"
        return (
            "INSERT INTO unit_registered (unit_id, people, approved) "  # noqa: S608
            f"VALUES ({row}.unit_id, {sign}, {approved}) ON CONFLICT (unit_id) DO UPDATE "
            f"SET people = people + ({sign}), approved = approved + {approved};"
        )

    statements = [
        "CREATE TRIGGER trg_user_account_registered_insert AFTER INSERT ON user_account "
        f"BEGIN {add('NEW', 1)} END",
        "CREATE TRIGGER trg_user_account_registered_delete AFTER DELETE ON user_account "
        f"BEGIN {add('OLD', -1)} END",
        "CREATE TRIGGER trg_user_account_registered_move "
        "AFTER UPDATE OF unit_id, approved_at ON user_account "
        "WHEN NEW.unit_id <> OLD.unit_id "
        "OR (NEW.approved_at IS NULL) <> (OLD.approved_at IS NULL) "
        f"BEGIN {add('OLD', -1)} {add('NEW', 1)} END",
    ]
    for table, (name, update) in _VERSIONED.items():
        for op, row in (("INSERT", "NEW"), (update, "NEW"), ("DELETE", "OLD")):
            statements.append(
                f"CREATE TRIGGER trg_{table}_version_{op.split()[0].lower()} AFTER {op} "
                f"ON {table} BEGIN {bump(name.format(row=row))} END"
            )
    return statements


def _postgresql() -> list[str]:
    statements = [
        # Inserts and deletes count per statement over the transition table: a bulk import
        # of 50,000 accounts updates each unit's row once, not once per account.
        """CREATE FUNCTION unit_registered_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO unit_registered (unit_id, people, approved)
  SELECT unit_id, count(*), count(approved_at) FROM new_rows GROUP BY unit_id
  ON CONFLICT (unit_id) DO UPDATE SET people = unit_registered.people + EXCLUDED.people,
    approved = unit_registered.approved + EXCLUDED.approved;
  RETURN NULL;
END $$""",
        "CREATE TRIGGER trg_user_account_registered_insert AFTER INSERT ON user_account "
        "REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION unit_registered_insert()",
        """CREATE FUNCTION unit_registered_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE unit_registered SET people = unit_registered.people - gone.people,
    approved = unit_registered.approved - gone.approved
  FROM (SELECT unit_id, count(*) AS people, count(approved_at) AS approved
        FROM old_rows GROUP BY unit_id) AS gone
  WHERE unit_registered.unit_id = gone.unit_id;
  RETURN NULL;
END $$""",
        "CREATE TRIGGER trg_user_account_registered_delete AFTER DELETE ON user_account "
        "REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION unit_registered_delete()",
        # PostgreSQL allows no transition table on a column-specific UPDATE trigger: moves
        # and approvals are counted per row (they come one at a time).
        """CREATE FUNCTION unit_registered_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.unit_id = OLD.unit_id AND (NEW.approved_at IS NULL) = (OLD.approved_at IS NULL) THEN
    RETURN NULL;
  END IF;
  UPDATE unit_registered SET people = people - 1,
    approved = approved - (CASE WHEN OLD.approved_at IS NULL THEN 0 ELSE 1 END)
  WHERE unit_id = OLD.unit_id;
  INSERT INTO unit_registered (unit_id, people, approved)
  VALUES (NEW.unit_id, 1, CASE WHEN NEW.approved_at IS NULL THEN 0 ELSE 1 END)
  ON CONFLICT (unit_id) DO UPDATE SET people = unit_registered.people + 1,
    approved = unit_registered.approved + EXCLUDED.approved;
  RETURN NULL;
END $$""",
        "CREATE TRIGGER trg_user_account_registered_move "
        "AFTER UPDATE OF unit_id, approved_at ON user_account "
        "FOR EACH ROW EXECUTE FUNCTION unit_registered_move()",
        """CREATE FUNCTION stat_version_bump(version_name text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO stat_version (name, version) VALUES (version_name, 1)
  ON CONFLICT (name) DO UPDATE SET version = stat_version.version + 1
$$""",
    ]
    for table, (name, update) in _VERSIONED.items():
        per_row = "{row}" in name
        if per_row:
            body = (
                f"IF TG_OP = 'DELETE' THEN PERFORM stat_version_bump({name.format(row='OLD')});\n"
                f"  ELSE PERFORM stat_version_bump({name.format(row='NEW')}); END IF;"
            )
        else:
            body = f"PERFORM stat_version_bump({name});"
        statements.append(
            f"""CREATE FUNCTION {table}_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {body}
  RETURN NULL;
END $$"""
        )
        # Bulk writes of accounts or units bump once per statement, not once per row.
        level = "ROW" if per_row else "STATEMENT"
        statements.append(
            f"CREATE TRIGGER trg_{table}_version AFTER INSERT OR {update} OR DELETE ON {table} "
            f"FOR EACH {level} EXECUTE FUNCTION {table}_version_bump()"
        )
    return statements


def _trigger_matches(dialect: str) -> list[re.Match]:
    found = [re.search(r"CREATE TRIGGER (\w+).* ON (\w+)", s, re.S) for s in statements(dialect)]
    return [m for m in found if m]


def trigger_names(dialect: str) -> set[str]:
    """The triggers install creates: a migration that rebuilds a table must keep them all."""
    return {m[1] for m in _trigger_matches(dialect)}


def drop_statements(dialect: str) -> list[str]:
    """Undo install (migration downgrade)."""
    names = _trigger_matches(dialect)
    drops = [
        f"DROP TRIGGER IF EXISTS {m[1]}" + (f" ON {m[2]}" if dialect == "postgresql" else "")
        for m in names
    ]
    if dialect == "postgresql":
        functions = [
            "unit_registered_insert()",
            "unit_registered_delete()",
            "unit_registered_move()",
            "stat_version_bump(text)",
        ]
        functions += [f"{table}_version_bump()" for table in _VERSIONED]
        drops += [f"DROP FUNCTION IF EXISTS {f}" for f in functions]
    return drops


def statements(dialect: str) -> list[str]:
    return _postgresql() if dialect == "postgresql" else _sqlite()


def install(connection) -> None:
    """Create the triggers on this connection's database (tables must exist)."""
    for statement in statements(connection.dialect.name):
        connection.execute(DDL(statement))


@event.listens_for(db.Model.metadata, "after_create")
def _after_create_all(_target, connection, **_kw):
    # db.create_all() (tests, a fresh development database) gets the same triggers as the
    # migrations create.
    install(connection)
