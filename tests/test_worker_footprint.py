"""A web worker carries no migration machinery; the command line has it."""

import subprocess
import sys

CHECK = """
import sys
{prelude}
from quiz import create_app
app = create_app({{"ENVIRON": {{"APP_ENV": "test"}}, "SECRET_KEY": "x"}})
print("alembic" in sys.modules, "migrate" in app.extensions)
"""


def run(prelude: str) -> str:
    code = CHECK.format(prelude=prelude)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_gunicorn_workers_load_no_alembic():
    assert run("import gunicorn") == "False False"


def test_the_command_line_can_migrate():
    assert run("") == "True True"
