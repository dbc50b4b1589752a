"""Draw pools: a bank's drawable questions, (question id, number of choices) per topic, cached
per worker and bank revision. Rounds draw attempts from them and practice draws sets."""

from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from .extensions import db
from .models import Bank, Choice, Question, Topic


@dataclass(frozen=True)
class Pool:
    by_topic: dict[str, list[tuple[int, int]]]


_POOL_CACHE_SIZE = 32


def _pools() -> OrderedDict[tuple[int, int], Pool]:
    # Kept on the app: one cache per worker process, and a new app (a test's fresh
    # database) never sees another app's pools.
    return current_app.extensions.setdefault("draw_pools", OrderedDict())


def pool(bank_id: int) -> Pool:
    """The bank's drawable questions; read once per worker and bank revision."""
    revision = db.session.scalar(select(Bank.revision).where(Bank.id == bank_id))
    key = (bank_id, revision)
    pools = _pools()
    if key in pools:
        pools.move_to_end(key)
        return pools[key]
    rows = db.session.execute(
        select(Question.id, Topic.name, func.count(Choice.id))
        .join(Topic, Topic.id == Question.topic_id)
        .join(Choice, Choice.question_id == Question.id)
        .where(Question.bank_id == bank_id, Question.is_current, Question.retired_at.is_(None))
        .group_by(Question.id, Topic.name)
        .order_by(Question.id)
    ).all()
    by_topic: dict[str, list[tuple[int, int]]] = {}
    for qid, topic, n in rows:
        by_topic.setdefault(topic, []).append((qid, n))
    pools[key] = found = Pool(by_topic)
    while len(pools) > _POOL_CACHE_SIZE:
        pools.popitem(last=False)
    return found
