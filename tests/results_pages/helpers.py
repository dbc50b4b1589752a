"""Reading the pages' tables as a person sees them, and taking a round in tests."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from quiz.attempts import services as attempts
from quiz.extensions import db
from quiz.models import Attempt, AttemptQuestion, Question
from tests.factories import now


@dataclass
class Table:
    caption: str = ""
    head: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    links: list[list[str]] = field(default_factory=list)  # hrefs per body row
    row_classes: list[str] = field(default_factory=list)

    def column(self, name: str) -> list[str]:
        i = self.head.index(name)
        return [r[i] for r in self.rows]


class _Tables(HTMLParser):
    """Tables with their caption, header and body cells, as a wide screen shows them:
    visually hidden text and the phone-only repeats (narrow-only) skipped."""

    def __init__(self):
        super().__init__()
        self.tables: list[Table] = []
        self.cell: list[str] | None = None
        self.in_caption = False
        self.in_head = False
        self.hidden_depth = 0
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("br", "meter", "input", "img"):
            return
        self.stack.append(tag)
        classes = (a.get("class") or "").split()
        if self.hidden_depth or "visually-hidden" in classes or "narrow-only" in classes:
            self.hidden_depth += 1
        if tag == "table":
            self.tables.append(Table())
        elif tag == "caption":
            self.in_caption = True
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr" and not self.in_head and self.tables:
            t = self.tables[-1]
            t.rows.append([])
            t.links.append([])
            t.row_classes.append(a.get("class") or "")
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "a" and self.cell is not None and not self.in_head:
            self.tables[-1].links[-1].append(a.get("href", ""))

    def handle_endtag(self, tag):
        if tag in ("br", "meter", "input", "img") or not self.stack:
            return
        self.stack.pop()
        if self.hidden_depth:
            self.hidden_depth -= 1
        if tag == "caption":
            self.in_caption = False
        elif tag == "thead":
            self.in_head = False
        elif tag in ("td", "th") and self.cell is not None:
            text = " ".join("".join(self.cell).split())
            t = self.tables[-1]
            (t.head if self.in_head else t.rows[-1]).append(text)
            self.cell = None

    def handle_data(self, data):
        if self.hidden_depth:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.in_caption:
            t = self.tables[-1]
            t.caption = " ".join((t.caption + " " + data).split())


def tables(html: str) -> list[Table]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def take(user, round_, correct: int, *, submit: bool = True) -> Attempt:
    """Start the round as `user`, answer the first `correct` questions right, the rest wrong."""
    attempt, _created = attempts.start(user, round_.id, now())
    rows = db.session.execute(
        db.select(AttemptQuestion)
        .where(AttemptQuestion.attempt_id == attempt.id)
        .order_by(AttemptQuestion.position)
    ).scalars()
    for aq in rows:
        question = db.session.get(Question, aq.question_id)
        right = aq.position <= correct
        choice = next(
            c for c in question.choices if (c.position == question.correct_position) == right
        )
        token = attempts.choice_token(attempt.id, choice.id)
        attempts.save_answer(user, attempt.id, aq.position, token, now())
    if submit:
        attempt = attempts.submit(user, attempt.id, now())
    return attempt
