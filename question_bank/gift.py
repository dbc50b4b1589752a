"""Moodle's GIFT format, for single-answer multiple-choice questions only.

A question looks like `::Q1:: text {=right ~wrong ~wrong ####feedback}`. The
general feedback carries the explanation, and the source on a last line
"Nguồn: …". `$CATEGORY: $course$/top/<topic>` sets the topic of the
questions after it. GIFT has no difficulty.
"""

import html
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from . import messages
from .questions import QuestionChecker, QuestionRecord, one_line
from .tabular import Problem, ReadResult

_SPECIAL = "~=#{}:"
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
# Every control character but the line break; \x00 marks escapes in _mask.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_TITLE = re.compile(r"\s*::(.*?)::", re.DOTALL)
_FORMAT = re.compile(r"\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TRUE_FALSE = re.compile(r"\s*(T|F|TRUE|FALSE)\s*(#.*)?", re.IGNORECASE | re.DOTALL)
_WEIGHT = re.compile(r"\s*%(-?[0-9]+(?:\.[0-9]+)?)%")
_SOURCE = re.compile(r"\s*Nguồn\s*:(.*)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>|</p>|</div>|</li>", re.IGNORECASE)
# Category path segments that are Moodle's contexts, not topic names.
_CONTEXTS = {"$course$", "$cat1$", "$module$", "$system$", "top"}

CATEGORY = "$CATEGORY:"
SOURCE_PREFIX = "Nguồn: "


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _unescape(raw: str) -> str:
    def one(match: re.Match[str]) -> str:
        char = match[1]
        if char == "n":
            return "\n"
        return char if char in _SPECIAL or char == "\\" else match[0]

    return _ESCAPE.sub(one, raw)


def _mask(raw: str) -> str:
    """raw with each escape sequence blanked out, positions unchanged."""
    return _ESCAPE.sub("\x00\x00", raw)


def _category_line(topic: str) -> str:
    # Moodle writes a "/" inside a category name as "//".
    return f"{CATEGORY} $course$/top/{topic.replace('/', '//')}"


def _topic_of(line: str, default: str) -> str:
    path = line.removeprefix(CATEGORY).strip()
    segments = [s.replace("\x00", "/") for s in path.replace("//", "\x00").split("/")]
    last = segments[-1].strip() if segments else ""
    return default if not last or last.lower() in _CONTEXTS else last


def write_gift(records: Iterable[QuestionRecord]) -> str:
    """The questions in GIFT, with a $CATEGORY line before each run of one topic."""
    out: list[str] = []
    topic = None
    for number, record in enumerate(records, start=1):
        if record.topic != topic:
            topic = record.topic
            out.append(_category_line(topic) + "\n")
        lines = [f"::Q{number}:: {_escape(record.text)} {{"]
        for index, choice in enumerate(record.choices):
            mark = "=" if index == record.answer else "~"
            lines.append(mark + _escape(one_line(choice)))
        feedback = [_escape(record.explanation)] if record.explanation else []
        if record.source:
            feedback.append(SOURCE_PREFIX + _escape(record.source))
        if feedback:
            lines.append("####" + "\n".join(feedback))
        lines.append("}")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


@dataclass
class _Parsed:
    text: str
    choices: list[str]
    answer: int
    explanation: str
    source: str


class _Refused(Exception):
    """The question cannot be read; carries the problem's message and params."""

    def __init__(self, message: str, params: dict[str, object] | None = None):
        super().__init__(message)
        self.message = message
        self.params = params or {}


def read_gift(
    text: str, default_topic: str = "Chung", existing: Collection[str] = ()
) -> ReadResult[QuestionRecord]:
    """Read GIFT text; each question's row is the line number where it starts.

    Questions of another kind than single-answer multiple choice are reported,
    never dropped. `existing` holds the normalize_text() keys of the bank.
    """
    checker = QuestionChecker(existing)
    records: list[QuestionRecord] = []
    problems: list[Problem] = []
    topic = default_topic
    block: list[tuple[int, str]] = []

    def finish() -> None:
        if not block:
            return
        row = block[0][0]
        raw = "\n".join(line for _, line in block)
        block.clear()
        try:
            parsed = _parse(raw)
        except _Refused as refused:
            column = "answer" if refused.message != messages.GIFT_UNSUPPORTED else None
            problems.append(Problem(row, column, refused.message, refused.params))
            return
        record, found = checker.check(
            row,
            topic=topic,
            question=parsed.text,
            choices=parsed.choices,
            answer=chr(ord("A") + parsed.answer),
            explanation=parsed.explanation,
            source=parsed.source,
        )
        problems.extend(found)
        if record is not None:
            records.append(record)

    text = _CONTROL.sub("", unicodedata.normalize("NFC", text.removeprefix("\ufeff")))
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            finish()
        elif stripped.startswith("//"):
            continue
        elif stripped.startswith(CATEGORY):
            finish()
            topic = _topic_of(stripped, default_topic)
        else:
            block.append((number, line))
    finish()
    return ReadResult(records, problems)


def _parse(raw: str) -> _Parsed:
    """One question's text; _Refused when it is not single-answer multiple choice."""
    masked = _mask(raw)
    title = _TITLE.match(masked)
    start = title.end() if title else 0
    is_html = False
    form = _FORMAT.match(masked, start)
    if form is not None:
        is_html = form[1].lower() == "html"
        start = form.end()
    opening = masked.find("{", start)
    if opening < 0:
        raise _Refused(messages.GIFT_UNSUPPORTED, {"kind": "description"})
    closing = masked.find("}", opening)
    if closing < 0:
        raise _Refused(messages.GIFT_UNCLOSED)
    if masked[closing + 1 :].strip():
        raise _Refused(messages.GIFT_UNSUPPORTED, {"kind": "missing_word"})

    def plain(part: str) -> str:
        text = _unescape(part)
        if is_html:
            text = html.unescape(_TAG.sub("", _BREAK.sub("\n", text)))
        return text.strip()

    body_mask, body = masked[opening + 1 : closing], raw[opening + 1 : closing]
    feedback = ""
    general = body_mask.find("####")
    if general >= 0:
        feedback = body[general + 4 :]
        body_mask, body = body_mask[:general], body[:general]
    choices, answers = _answers(body_mask, body, plain)
    explanation, source = _feedback(feedback, plain)
    return _Parsed(plain(raw[start:opening]), choices, answers, explanation, source)


def _answers(body_mask: str, body: str, plain: Callable[[str], str]) -> tuple[list[str], int]:
    """The choices and the index of the one marked "="; _Refused otherwise."""
    content = body_mask.strip()
    if not content:
        raise _Refused(messages.GIFT_UNSUPPORTED, {"kind": "essay"})
    if _TRUE_FALSE.fullmatch(content):
        raise _Refused(messages.GIFT_UNSUPPORTED, {"kind": "true_false"})
    if content.startswith("#"):
        raise _Refused(messages.GIFT_UNSUPPORTED, {"kind": "numerical"})
    if content[0] not in "=~":
        raise _Refused(messages.GIFT_UNSUPPORTED, {"kind": "unknown"})
    marks = [i for i, char in enumerate(body_mask) if char in "=~"]
    choices: list[str] = []
    correct: list[int] = []
    for mark, end in zip(marks, [*marks[1:], len(body)], strict=True):
        part_mask, part = body_mask[mark + 1 : end], body[mark + 1 : end]
        if "->" in part_mask:
            raise _Refused(messages.GIFT_UNSUPPORTED, {"kind": "matching"})
        weight = _WEIGHT.match(part_mask)
        if weight is not None:
            # Only full marks on "=" and none on "~" are single-answer multiple choice.
            if float(weight[1]) != (100 if body_mask[mark] == "=" else 0):
                raise _Refused(messages.GIFT_UNSUPPORTED, {"kind": "weighted"})
            part_mask, part = part_mask[weight.end() :], part[weight.end() :]
        # Feedback on one answer has no place in our questions: it is left out.
        answer_feedback = part_mask.find("#")
        if answer_feedback >= 0:
            part = part[:answer_feedback]
        if body_mask[mark] == "=":
            correct.append(len(choices))
        choices.append(plain(part))
    if len(correct) == len(choices):
        raise _Refused(messages.GIFT_UNSUPPORTED, {"kind": "short_answer"})
    if not correct:
        raise _Refused(messages.GIFT_NO_CORRECT_CHOICE)
    if len(correct) > 1:
        raise _Refused(messages.GIFT_SEVERAL_CORRECT_CHOICES, {"count": len(correct)})
    return choices, correct[0]


def _feedback(raw: str, plain: Callable[[str], str]) -> tuple[str, str]:
    """The explanation and the source held in a general feedback."""
    lines = raw.strip().split("\n")
    source = _SOURCE.fullmatch(lines[-1])
    if source is None:
        return plain(raw), ""
    return plain("\n".join(lines[:-1])), plain(source[1])
