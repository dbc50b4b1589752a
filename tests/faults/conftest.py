"""A throwaway PostgreSQL cluster of the fault tests' own, which they may restart at will.

The shared server (port 5432) is never touched: initdb into a temporary folder, start it on a
free port as the `postgres` OS user (the server refuses root), stop and delete it at the end.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import missing_service
from tests.live import free_port


def _bin_dir() -> Path | None:
    root = Path("/usr/lib/postgresql")
    versions = sorted(root.glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    return versions[-1].parent if versions else None


class Cluster:
    def __init__(self, bin_dir: Path, folder: Path):
        self.bin = bin_dir
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.port = free_port()
        self.folder = folder

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "quiz", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c max_connections=200 -c shared_buffers=16MB"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def crash_restart(self) -> None:
        """Stop as a crash would (immediate: no checkpoint, recovery at start), then start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        self.start()

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://quiz@127.0.0.1:{self.port}/quiz"


@pytest.fixture(scope="session")
def own_pg():
    """A PostgreSQL cluster for this test session alone (skipped if the binaries are absent)."""
    bin_dir = _bin_dir()
    if bin_dir is None or (os.getuid() == 0 and shutil.which("runuser") is None):
        missing_service("PostgreSQL server binaries (initdb, pg_ctl)")
    folder = Path(tempfile.mkdtemp(prefix="quiz-faults-pg-"))
    if os.getuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    cluster = Cluster(bin_dir, folder)
    try:
        cluster.init()
        cluster.start()
        admin = sa.create_engine(
            sa.make_url(cluster.url).set(database="postgres"), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.exec_driver_sql("CREATE DATABASE quiz")
        admin.dispose()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def database_url(backend, request, tmp_path):
    """SQLite as usual; PostgreSQL is the throwaway cluster, never the shared server."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return request.getfixturevalue("own_pg").url
