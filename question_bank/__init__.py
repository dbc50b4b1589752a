"""Read the organizers' XLSX and CSV files into checked records; no Flask, no database.

This package is the one place the project reads spreadsheets. Readers never
raise for a bad file: they return a `ReadResult` whose `problems` name every
bad row and reason (untranslated, see `messages`), and a file is imported only
when the result is `ok`.
"""

from .people import (
    GROUPS,
    ROLES,
    PersonRecord,
    normalize_email,
    normalize_phone,
    people_template_xlsx,
    read_people,
)
from .tabular import FileRejected, Problem, ReadResult, fold, read_rows
from .units import UNIT_KINDS, UnitRecord, read_units, units_template_xlsx

__all__ = [
    "GROUPS",
    "ROLES",
    "UNIT_KINDS",
    "FileRejected",
    "PersonRecord",
    "Problem",
    "ReadResult",
    "UnitRecord",
    "fold",
    "normalize_email",
    "normalize_phone",
    "people_template_xlsx",
    "read_people",
    "read_rows",
    "read_units",
    "units_template_xlsx",
]
