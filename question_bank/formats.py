"""Pick the question reader by file name: XLSX/CSV, GIFT (.gift) or Aiken (.txt)."""

from collections.abc import Collection
from pathlib import PurePath
from typing import BinaryIO

from . import messages
from .aiken import read_aiken
from .gift import read_gift
from .questions import QuestionRecord, read_questions
from .tabular import Problem, ReadResult

DEFAULT_TOPIC = "Chung"
ACCEPTED = ".xlsx, .csv, .gift, .txt"


def read_any(
    stream: BinaryIO,
    filename: str,
    existing: Collection[str] = (),
    *,
    topic: str | None = None,
) -> ReadResult[QuestionRecord]:
    """Questions from any supported file; `topic` names the topic of an Aiken file."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".xlsx", ".csv"):
        return read_questions(stream, filename, existing)
    if suffix not in (".gift", ".txt"):
        params = {"filename": filename, "accepted": ACCEPTED}
        return ReadResult([], [Problem(None, None, messages.UNSUPPORTED_FORMAT, params)])
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        return ReadResult([], [Problem(None, None, messages.NOT_UTF8_TEXT)])
    if suffix == ".gift":
        return read_gift(text, topic or DEFAULT_TOPIC, existing)
    return read_aiken(text, topic or DEFAULT_TOPIC, existing)
