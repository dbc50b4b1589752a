"""Moodle's Aiken format: question text, lettered choices, then "ANSWER: B".

Aiken carries no topic, explanation, source or difficulty: the reader gives
every question the topic it is told, and the writer leaves the rest out.
"""

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from . import messages
from .questions import QuestionChecker, QuestionRecord, one_line
from .tabular import Problem, ReadResult

_CHOICE = re.compile(r"([A-Z])[.)](?:\s+(.*))?")
_ANSWER = re.compile(r"ANSWER\s*:\s*(.*)", re.IGNORECASE)


@dataclass
class _Draft:
    row: int  # line number of the question's first line
    lines: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_aiken(text: str, topic: str, existing: Collection[str] = ()) -> ReadResult[QuestionRecord]:
    """Read Aiken text; each question's row is the line number where it starts.

    `existing` holds the normalize_text() keys of the questions already in the bank.
    """
    checker = QuestionChecker(existing)
    records: list[QuestionRecord] = []
    problems: list[Problem] = []

    def finish(draft: _Draft, answer: str | None) -> None:
        if answer is None:
            draft.problems.append(Problem(draft.row, "answer", messages.AIKEN_MISSING_ANSWER))
        record, found = checker.check(
            draft.row,
            topic=topic,
            question="\n".join(draft.lines),
            choices=draft.choices,
            answer=answer or "",
        )
        # A missing ANSWER line is reported once, not also as an empty answer.
        found = [p for p in found if answer is not None or p.message != messages.MISSING_ANSWER]
        problems.extend(draft.problems + found)
        if record is not None and not draft.problems:
            records.append(record)

    draft: _Draft | None = None
    lines = unicodedata.normalize("NFC", text.removeprefix("\ufeff")).splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.fullmatch(line)
        choice = _CHOICE.fullmatch(line)
        if answer is not None:
            finish(draft or _Draft(number), answer[1])
            draft = None
        elif draft is None:
            # The first line is the question's text, even when it reads "A. …".
            draft = _Draft(number, [line])
        elif choice is not None:
            expected = chr(ord("A") + len(draft.choices))
            if choice[1] != expected:
                params = {"letter": choice[1], "expected": expected}
                draft.problems.append(
                    Problem(number, choice[1], messages.AIKEN_CHOICE_ORDER, params)
                )
            draft.choices.append(choice[2] or "")
        elif draft.choices:
            # Text after the choices starts the next question: this one had no ANSWER.
            finish(draft, None)
            draft = _Draft(number, [line])
        else:
            draft.lines.append(line)
    if draft is not None:
        finish(draft, None)
    problems.sort(key=lambda problem: problem.row or 0)
    return ReadResult(records, problems)


def write_aiken(records: Iterable[QuestionRecord]) -> str:
    """The questions in Aiken format; texts are put on one line each."""
    blocks = []
    for record in records:
        lines = [one_line(record.text)]
        lines += [f"{chr(ord('A') + i)}. {one_line(c)}" for i, c in enumerate(record.choices)]
        lines.append(f"ANSWER: {chr(ord('A') + record.answer)}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
