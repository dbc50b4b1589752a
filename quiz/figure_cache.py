"""Per-worker caches of public figures, invalidated by the versions triggers keep.

A cached value is stamped with the versions of the figures it was built from (see
triggers.py). A request reads the current versions (one indexed query) and serves the cached
value when they match, so a warm page costs one query however many units or attempts stand
behind it. When they moved, the value is rebuilt, but at most once per REBUILD_SECONDS per
key and worker: during a round's rush every submit moves the round's version, and a public
page that shows when its figures were computed may lag a few seconds rather than rebuild for
every reader. Nothing here ever holds one person's data.
"""

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app
from sqlalchemy import select

from .extensions import add_counts, db
from .models import StatVersion

REBUILD_SECONDS = 2.0
_SIZE = 512


def versions(*names: str) -> tuple[int, ...]:
    found = dict(
        db.session.execute(
            select(StatVersion.name, StatVersion.version).where(StatVersion.name.in_(names))
        ).all()
    )
    return tuple(found.get(name, 0) for name in names)


def bump(name: str) -> None:
    """Move a version by hand, in the caller's transaction, for a change no trigger sees."""
    add_counts(StatVersion, [{"name": name, "version": 1}], ["version"])


def cached(key: Hashable, names: tuple[str, ...], build: Callable[[], Any]) -> Any:
    """build()'s value, reused while the named versions stay the same (see the module doc)."""
    cache: OrderedDict = current_app.extensions.setdefault("figure_cache", OrderedDict())
    stamp = versions(*names)
    hit = cache.get(key)
    now = time.monotonic()
    lag = current_app.config.get("FIGURE_REBUILD_SECONDS", REBUILD_SECONDS)
    if hit is not None and (hit[0] == stamp or now - hit[1] < lag):
        cache.move_to_end(key)
        return hit[2]
    value = build()
    cache[key] = (stamp, now, value)
    cache.move_to_end(key)
    while len(cache) > _SIZE:
        cache.popitem(last=False)
    return value
