"""Helpers of the practice tests: build banks, read the quiz page, post it back."""

import re

from question_bank.questions import QuestionRecord
from quiz.bank.services import create_bank, import_records
from quiz.extensions import db
from tests.factories import now

TOPICS = ("Chuyển đổi số", "Cải cách hành chính")


def build_bank(name: str, count: int = 25, *, public: bool = True, topics=TOPICS):
    """A bank of `count` questions spread over `topics`; answer i % 4, i.e. A, B, C, D…"""
    bank = create_bank(name, None, actor=None, now=now())
    bank.is_public = public
    records = [
        QuestionRecord(
            i + 1,
            topics[i % len(topics)],
            f"{name}: câu hỏi số {i + 1}?",
            tuple(f"Phương án {letter} của câu {i + 1}" for letter in "ABCD"),
            i % 4,
            f"Giải thích của câu {i + 1}.",
            f"Quyết định số {i + 1}/QĐ-TTg",
            "easy",
        )
        for i in range(count)
    ]
    import_records(bank, records, actor=None, now=now())
    db.session.commit()
    return bank


def drawn_ids(html: str) -> list[int]:
    return [int(v) for v in re.findall(r'name="q" value="(\d+)"', html)]


def shown_orders(html: str) -> dict[int, list[int]]:
    return {
        int(qid): [int(c) for c in order.split(",")]
        for qid, order in re.findall(r'name="order-(\d+)" value="([\d,]+)"', html)
    }


def start(client, bank_id, size=10, topic="", timed="0"):
    return client.post(
        "/practice",
        data={"bank_id": str(bank_id), "size": str(size), "topic": topic, "timed": timed},
    )


def submission(html: str, answers: dict[int, int] | None = None) -> dict:
    """The form the quiz page posts back, with `answers` (question id → choice id)."""
    ids = drawn_ids(html)
    data = {"q": [str(i) for i in ids]}
    for qid, order in shown_orders(html).items():
        data[f"order-{qid}"] = ",".join(map(str, order))
    for qid, choice_id in (answers or {}).items():
        data[f"answer-{qid}"] = str(choice_id)
    return data
