"""A real gunicorn for race and fault tests: start, find its workers, kill, restart."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (gunicorn's workers), read from /proc."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces: the fields after its closing ")" are fixed.
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[1]) == pid:
            out.append(int(entry))
    return sorted(out)


class Gunicorn:
    """gunicorn --workers N on a fixed port; `start` again after a kill, as a supervisor."""

    def __init__(self, database_url: str, log: Path, workers: int = 4, timeout: int = 30):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.timeout = timeout
        self.log_path = log
        self.env = {
            **os.environ,
            "APP_ENV": "test",
            "SECRET_KEY": "live-server-test-secret-of-enough-length",
            "DATABASE_URL": database_url,
            "RATELIMIT_ENABLED": "0",
            "SESSION_COOKIE_SECURE": "0",
        }
        self.proc: subprocess.Popen | None = None
        self._log = log.open("ab")

    def start(self, wait: float = 60) -> None:
        gunicorn_bin = Path(sys.executable).parent / "gunicorn"
        self.proc = subprocess.Popen(
            [
                str(gunicorn_bin),
                "--workers",
                str(self.workers),
                "--timeout",
                str(self.timeout),
                "--graceful-timeout",
                "5",
                "--bind",
                f"127.0.0.1:{self.port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self._log,  # a file, not a pipe: a full pipe would stall the server
        )
        self.wait_healthy(wait)

    def wait_healthy(self, wait: float = 60) -> float:
        """Seconds until /healthz answers 200 (raises with the log's tail after `wait`)."""
        began = time.monotonic()
        while True:
            try:
                if requests.get(f"{self.base}/healthz", timeout=5).status_code == 200:
                    return time.monotonic() - began
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() - began > wait:
                self.proc.kill()
                raise RuntimeError(self.log_path.read_text()[-3000:])
            time.sleep(0.1)

    def worker_pids(self) -> list[int]:
        return children(self.proc.pid)

    def kill_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_all(self) -> None:
        """kill -9 the master and every worker, as a crash of the whole server would."""
        workers = self.worker_pids()
        self.proc.kill()
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def close(self) -> str:
        self.stop()
        self._log.close()
        return self.log_path.read_text()


def logged_in(base: str, login: str, timeout: float = 30) -> requests.Session:
    session = requests.Session()
    token = session.get(f"{base}/api/v1/auth/csrf", timeout=timeout).json()["csrf_token"]
    response = session.post(
        f"{base}/api/v1/auth/login",
        json={"login": login, "password": PASSWORD},
        headers={"X-CSRFToken": token},
        timeout=timeout,
    )
    response.raise_for_status()
    session.headers["X-CSRFToken"] = response.json()["csrf_token"]
    return session


def tab(session: requests.Session) -> requests.Session:
    """Another browser tab of the same person: same cookies, its own connection."""
    other = requests.Session()
    other.cookies.update(session.cookies)
    other.headers.update(session.headers)
    return other


def fire_together(calls: list) -> list:
    """Run every zero-argument call at the same moment (a Barrier); their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    return results
