"""Reading and maintaining the unit tree (materialised paths)."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import case, func

from question_bank.tabular import fold

from .extensions import db
from .models import Unit, UnitRegistered

PATH_SEPARATOR = " › "


@dataclass(frozen=True)
class TreeRow:
    unit: Unit
    depth: int
    label: str  # "Tỉnh Demo › Xã Bình Sơn", for search results and selects


def in_tree_order(units: list[Unit]) -> list[TreeRow]:
    """Depth-first order, siblings by name; orphans of a filtered list start new roots."""
    by_id = {u.id: u for u in units}
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for u in units:
        children[u.parent_id if u.parent_id in by_id else None].append(u)
    for siblings in children.values():
        siblings.sort(key=lambda u: (u.name_search, u.code))
    rows: list[TreeRow] = []
    stack = [(u, 0) for u in reversed(children[None])]
    while stack:
        unit, depth = stack.pop()
        rows.append(TreeRow(unit, depth, unit.name))
        stack.extend((c, depth + 1) for c in reversed(children[unit.id]))
    return rows


def search(query: str, limit: int) -> tuple[list[TreeRow], bool]:
    """At most `limit` units whose accent-folded name or code holds every word typed, best
    first, each labelled with its path; and whether more units matched.

    Best first: the exact code or name, then names that start with what was typed, then
    names with a word that does, then the rest; shallower units before deeper ones, then
    by name. A full scan of the units' names (10,000 units nationally), never of people.
    """
    folded = fold(query or "")[:100]
    words = folded.split()
    if not words:
        return [], False
    code = func.lower(Unit.code)
    rank = case(
        (code == folded, 0),
        (Unit.name_search == folded, 0),
        (Unit.name_search.startswith(folded, autoescape=True), 1),
        (Unit.name_search.contains(" " + folded, autoescape=True), 2),
        (code.startswith(folded, autoescape=True), 2),
        else_=3,
    )
    stmt = (
        db.select(Unit)
        .where(
            *(
                db.or_(
                    Unit.name_search.contains(word, autoescape=True),
                    code.contains(word, autoescape=True),
                )
                for word in words
            )
        )
        .order_by(rank, Unit.depth, Unit.name_search, Unit.code)
        .limit(limit + 1)
    )
    units = list(db.session.execute(stmt).scalars())
    return labelled(units[:limit]), len(units) > limit


def labelled(units: list[Unit]) -> list[TreeRow]:
    """The units, in the order given, with their path labels ("Tỉnh X › Xã Y"): one query
    for the ancestors' names."""
    names = {u.id: u.name for u in units}
    missing = {a for u in units for a in ancestors_ids(u)} - names.keys()
    if missing:
        names.update(
            db.session.execute(db.select(Unit.id, Unit.name).where(Unit.id.in_(missing))).all()
        )
    return [
        TreeRow(u, u.depth, PATH_SEPARATOR.join(names.get(a, "?") for a in ancestors_ids(u)))
        for u in units
    ]


def labelled_unit(unit_id: int) -> TreeRow | None:
    unit = db.session.get(Unit, unit_id)
    return labelled([unit])[0] if unit is not None else None


def all_units() -> list[Unit]:
    return list(db.session.execute(db.select(Unit)).scalars())


def subtree_filter(unit: Unit):
    """A WHERE clause on Unit selecting this unit and all of its descendants."""
    return Unit.path.startswith(unit.path, autoescape=True)


def registered_counts(approved_only: bool = False) -> dict[int, int]:
    """Registered users per unit, each unit's count including its whole subtree (only
    approved accounts, for a contest that does not count the others).

    Read from unit_registered (direct members, kept by triggers): one row per unit, never
    one per person.
    """
    column = UnitRegistered.approved if approved_only else UnitRegistered.people
    rows = db.session.execute(
        db.select(Unit.path, column)
        .join(UnitRegistered, UnitRegistered.unit_id == Unit.id)
        .where(column != 0)
    ).all()
    totals: dict[int, int] = defaultdict(int)
    for path, count in rows:
        for ancestor in path.rstrip("/").split("/"):
            totals[int(ancestor)] += count
    return totals


def recompute_paths() -> None:
    """Rebuild path and depth of every unit from parent_id (flush only)."""
    units = all_units()
    by_id = {u.id: u for u in units}
    done: dict[int, tuple[str, int]] = {}

    def resolve(u: Unit) -> tuple[str, int]:
        chain = []
        node: Unit | None = u
        while node is not None and node.id not in done:
            chain.append(node)
            node = by_id.get(node.parent_id) if node.parent_id else None
        prefix, depth = done[node.id] if node is not None else ("", -1)
        for n in reversed(chain):
            depth += 1
            prefix = f"{prefix}{n.id}/"
            done[n.id] = (prefix, depth)
        return done[u.id]

    for u in units:
        path, depth = resolve(u)
        if u.path != path or u.depth != depth:
            u.path, u.depth = path, depth
    db.session.flush()


def ancestors_ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.rstrip("/").split("/") if part]


def known_headcounts() -> tuple[dict[int, int], set[int]]:
    """Each unit's known headcount for its whole subtree (0: none known), and the units
    that have sub-units. The one rule behind every participation rate against headcount:
    collective prizes and the public unit figures (page, API, exports) alike.

    A unit's own headcount, when the organizers gave one, is its whole official number (the
    demo province's 1,850 covers its departments and communes); a unit without one counts
    the headcounts of its sub-units, recursively (a district known only by its communes).
    One read of the unit tree (10,000 units nationally), never of people.
    """
    units = (
        db.session.execute(db.select(Unit.id, Unit.parent_id, Unit.depth, Unit.headcount))
        .tuples()
        .all()
    )
    below: dict[int, int] = {}
    parents: set[int] = set()
    totals: dict[int, int] = {}
    for unit_id, parent_id, _depth, headcount in sorted(units, key=lambda u: -u[2]):
        totals[unit_id] = headcount or below.get(unit_id, 0)
        if parent_id is not None:
            parents.add(parent_id)
            below[parent_id] = below.get(parent_id, 0) + totals[unit_id]
    return totals, parents
