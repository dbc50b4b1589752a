"""Read the organizers' XLSX, CSV, Aiken and GIFT files into checked records.

No Flask, no database: this package is the one place the project reads files.
Readers never raise for a bad file: they return a `ReadResult` whose `problems`
name every bad row and reason (untranslated, see `messages`), and a file is
imported only when the result is `ok`.
"""

from .aiken import read_aiken, write_aiken
from .gift import read_gift, write_gift
from .people import (
    GROUPS,
    ROLES,
    PersonRecord,
    display_phone,
    normalize_email,
    normalize_phone,
    people_template_xlsx,
    read_people,
)
from .questions import (
    DIFFICULTIES,
    QuestionRecord,
    normalize_text,
    questions_template_xlsx,
    read_questions,
    write_csv,
    write_xlsx,
)
from .tabular import FileRejected, Problem, ReadResult, fold, read_rows
from .units import UNIT_KINDS, UnitRecord, read_units, units_template_xlsx

__all__ = [
    "DIFFICULTIES",
    "GROUPS",
    "ROLES",
    "UNIT_KINDS",
    "FileRejected",
    "PersonRecord",
    "Problem",
    "QuestionRecord",
    "ReadResult",
    "UnitRecord",
    "display_phone",
    "fold",
    "normalize_email",
    "normalize_phone",
    "normalize_text",
    "people_template_xlsx",
    "questions_template_xlsx",
    "read_aiken",
    "read_gift",
    "read_people",
    "read_questions",
    "read_rows",
    "read_units",
    "units_template_xlsx",
    "write_aiken",
    "write_csv",
    "write_gift",
    "write_xlsx",
]
