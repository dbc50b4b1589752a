"""Hypothesis profiles for the fuzz tests: quick by default, FUZZ=long for a deep run.

make test                                   # quick: a few dozen examples each
FUZZ=long .venv/bin/pytest -q tests/bad_input tests/question_bank/test_fuzz_readers.py
"""

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,  # a request on PostgreSQL may take a while; no timed asserts
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
    "database": None,  # no .hypothesis folder in the worktree
}
settings.register_profile("quick", max_examples=25, **_COMMON)
settings.register_profile("long", max_examples=1000, **_COMMON)
settings.load_profile("long" if os.environ.get("FUZZ") == "long" else "quick")
