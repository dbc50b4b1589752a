"""Reading and maintaining the unit tree (materialised paths)."""

from collections import defaultdict
from dataclasses import dataclass

from .extensions import db
from .models import Unit, UnitRegistered


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
