"""Load benchmark: the contest's hot paths against a real gunicorn, beside the bare stack.

    .venv/bin/python -m bench.load                      # SQLite and PostgreSQL, short default
    .venv/bin/python -m bench.load --db sqlite --app-dir ../old-checkout --app-dir .

For each database and each --app-dir (a checkout of this project; started with it as cwd and
PYTHONPATH, so before and after come from one run), on loopback only:
1. builds a fresh database with that checkout's models (bench/fixture.py): 131 units, a bank,
   two open rounds, and the contestants (bulk inserted, one real password hash shared);
2. serves it with gunicorn (--workers, sync workers by default) and runs phases one after the
   other: log in, start, fetch the attempt, save every answer (X-CSRFToken), submit, submit
   again, with --readers clients reading the units endpoint all along; then the units endpoint
   alone; then the synchronized start (--sync-start contestants, already logged in, all press
   start of the second round at the same instant);
3. reads the workers' RSS from /proc, stops gunicorn, and checks in the database that every
   acknowledged answer is stored with that choice, that nobody has more attempts than the round
   allows, and that the units aggregate counts every finalized person.
Once per database it also serves bench/bare_app.py (`return "ok"`, and one SELECT through
Flask-SQLAlchemy) with the same gunicorn settings, and prints our figures as ratios of it.
Rate limits are off (RATELIMIT_ENABLED=0): every client comes from 127.0.0.1.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import sqlalchemy as sa

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
BIN = Path(sys.executable).parent  # gunicorn from the same virtualenv
SECRET = "bench-secret-key-not-for-production"  # noqa: S105 - a throwaway server on loopback
DEFAULT_PG = "postgresql://quiz:quiz@127.0.0.1:5432/quiz_bench"
PHASE_LIMIT_S = 600  # no phase runs longer than this, whatever the sizes


# ---- measurements ----


@dataclass
class Endpoint:
    latencies: list[float] = field(default_factory=list)
    ok: int = 0
    errors: Counter = field(default_factory=Counter)
    wall: float = 0.0  # seconds of the phase it ran in


class Stats:
    def __init__(self) -> None:
        self.endpoints: dict[str, Endpoint] = {}
        self.notes: dict[str, object] = {}

    def record(self, name: str, seconds: float, error: str | None) -> None:
        e = self.endpoints.setdefault(name, Endpoint())
        e.latencies.append(seconds)
        if error is None:
            e.ok += 1
        else:
            e.errors[error] += 1

    def set_wall(self, wall: float, *names: str) -> None:
        for name in names:
            self.endpoints.setdefault(name, Endpoint()).wall = wall

    def rate(self, name: str) -> float:
        e = self.endpoints.get(name)
        return e.ok / e.wall if e and e.wall else 0.0


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


@dataclass
class Contestant:
    login: str
    cookie: str = ""
    csrf: str = ""
    attempt_id: int | None = None
    questions: list = field(default_factory=list)  # [(position, [(choice id, text)])]
    result: dict | None = None


class Client:
    """One aiohttp session; each contestant carries its own cookie and CSRF token."""

    def __init__(self, base: str, stats: Stats, connections: int) -> None:
        self.base, self.stats = base, stats
        self.http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=connections),
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=120),
        )

    async def close(self) -> None:
        await self.http.close()

    async def call(self, name, c, method, path, body=None, expect=(200,), started=None):
        headers = {}
        if c is not None and c.cookie:
            headers["Cookie"] = c.cookie
        if c is not None and c.csrf and method != "GET":
            headers["X-CSRFToken"] = c.csrf
        t = time.perf_counter() if started is None else started
        try:
            async with self.http.request(method, self.base + path, json=body, headers=headers) as r:
                raw = await r.read()
                status = r.status
                if c is not None and "session" in r.cookies:
                    c.cookie = "session=" + r.cookies["session"].value
        except (TimeoutError, aiohttp.ClientError) as err:
            self.stats.record(name, time.perf_counter() - t, type(err).__name__)
            return None
        ok = status in expect
        self.stats.record(name, time.perf_counter() - t, None if ok else f"HTTP {status}")
        return json.loads(raw) if ok and raw[:1] in (b"{", b"[") else (raw if ok else None)


async def each(items, worker, concurrency: int) -> float:
    """Run worker(item) for every item, `concurrency` at a time; the wall time it took."""
    sem = asyncio.Semaphore(concurrency)

    async def one(item):
        async with sem:
            await worker(item)

    t = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(one(i) for i in items)), PHASE_LIMIT_S)
    return time.perf_counter() - t


async def for_seconds(seconds: float, concurrency: int, step) -> float:
    """Call step() in `concurrency` loops for `seconds`; the wall time it took."""
    end = time.perf_counter() + seconds

    async def loop():
        while time.perf_counter() < end:
            await step()

    t = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(concurrency)))
    return time.perf_counter() - t


# ---- gunicorn ----


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn master we started, its workers, and its log."""

    def __init__(self, module: str, cwd: Path, env: dict, args, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [
            str(BIN / "gunicorn"),
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--bind",
            f"127.0.0.1:{self.port}",
            *args.gunicorn_arg,
            module,
        ]
        self.log = log.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603 - our own command line
            cmd, cwd=cwd, env=env, stdout=self.log, stderr=self.log, start_new_session=True
        )

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.proc.returncode}); see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=5):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer {path} within 60 s; see {self.log.name}")

    def worker_rss_mib(self) -> list[float]:
        pid = self.proc.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            children = []
        rss = []
        for child in children:
            try:
                for line in Path(f"/proc/{child}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        rss.append(int(line.split()[1]) / 1024)
            except OSError:
                pass
        return rss

    def stop(self) -> None:
        # Only the master we started: it stops its own workers.
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


def server_env(app_dir: Path, url: str, args) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        APP_ENV="production",
        SECRET_KEY=SECRET,
        DATABASE_URL=url,
        RATELIMIT_ENABLED="0",
        SESSION_COOKIE_SECURE="0",
        PYTHONPATH=str(app_dir),
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


# ---- databases ----


def sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def ensure_pg_database(url: str) -> None:
    """Create our own benchmark database if it is missing; never drop any database."""
    target = sa.make_url(sqlalchemy_url(url))
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        )
        if not exists:
            conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()


def build_fixture(app_dir: Path, url: str, args) -> dict:
    spec = {
        "url": sqlalchemy_url(url),
        "contestants": max(args.contestants, args.sync_start),
        "questions": args.questions,
        "secret": SECRET,
    }
    env = server_env(app_dir, url, args)
    out = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(BENCH_DIR / "fixture.py"), json.dumps(spec)],
        cwd=app_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"fixture failed in {app_dir}:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def check_database(url: str, acked: dict, round_id: int) -> dict:
    """What the database holds after the run, against what the server acknowledged."""
    engine = sa.create_engine(sqlalchemy_url(url))
    with engine.connect() as conn:
        stored = {
            (a, p): t
            for a, p, t in conn.execute(
                sa.text(
                    "SELECT aq.attempt_id, aq.position, c.text FROM attempt_question aq "
                    "LEFT JOIN choice c ON c.id = aq.selected_choice_id"
                )
            )
        }
        over = conn.execute(
            sa.text(
                "SELECT a.user_id, a.round_id, count(*) FROM attempt a "
                "JOIN round r ON r.id = a.round_id "
                "GROUP BY a.user_id, a.round_id, r.attempts_allowed "
                "HAVING count(*) > r.attempts_allowed"
            )
        ).all()
        finalized = conn.scalar(
            sa.text(
                "SELECT count(DISTINCT user_id) FROM attempt "
                "WHERE round_id = :r AND status <> 'in_progress'"
            ),
            {"r": round_id},
        )
        counted = conn.scalar(
            sa.text(
                "SELECT s.participants FROM unit_round_stat s JOIN unit u ON u.id = s.unit_id "
                "WHERE u.parent_id IS NULL AND s.round_id = :r"
            ),
            {"r": round_id},
        )
    engine.dispose()
    lost = sum(1 for key, text in acked.items() if stored.get(key) != text)
    return {
        "acknowledged answers": len(acked),
        "lost or wrong answers": lost,
        "people over their attempts": len(over),
        "finalized people": finalized,
        "counted in the province aggregate": counted or 0,
    }


# ---- the scenarios ----


async def run_bare(base: str, args) -> Stats:
    stats = Stats()
    client = Client(base, stats, args.concurrency)
    try:
        for name, path in (("bare: return ok", "/ok"), ("bare: one SELECT", "/one")):
            wall = await for_seconds(
                args.seconds,
                args.concurrency,
                lambda p=path, n=name: client.call(n, None, "GET", p),
            )
            stats.set_wall(wall, name)
    finally:
        await client.close()
    return stats


async def run_app(base: str, fixture: dict, args) -> tuple[Stats, dict]:
    stats = Stats()
    r1, r2 = fixture["rounds"]
    people = [Contestant(login) for login in fixture["logins"]]
    flow = people[: args.contestants]
    acked: dict[tuple[int, int], str] = {}
    rng = random.Random(1)
    client = Client(base, stats, args.concurrency)
    readers = Client(base, stats, max(1, args.readers))
    try:

        async def login(c: Contestant):
            got = await client.call("csrf (opens the session)", c, "GET", "/api/v1/auth/csrf")
            if got is None:
                return
            c.csrf = got["csrf_token"]
            body = {"login": c.login, "password": fixture["password"]}
            got = await client.call("login", c, "POST", "/api/v1/auth/login", body)
            if got is not None:
                c.csrf = got["csrf_token"]

        wall = await each(people, login, args.concurrency)
        stats.set_wall(wall, "csrf (opens the session)", "login")
        stats.notes["logins"] = f"{stats.endpoints['login'].ok} in {wall:.1f} s"
        people = [c for c in people if c.csrf]
        flow = [c for c in flow if c.csrf]

        stop = asyncio.Event()

        async def read_units():
            deadline = time.perf_counter() + PHASE_LIMIT_S
            while not stop.is_set() and time.perf_counter() < deadline:
                await readers.call("units beside writes", None, "GET", f"/api/v1/rounds/{r1}/units")

        reader_tasks = [asyncio.create_task(read_units()) for _ in range(args.readers)]
        beside_started = time.perf_counter()

        async def start(c):
            got = await client.call("start", c, "POST", f"/api/v1/rounds/{r1}/attempts", {}, (201,))
            if got is not None:
                c.attempt_id = got["id"]

        async def fetch(c):
            if c.attempt_id is None:
                return
            got = await client.call(
                "fetch the attempt", c, "GET", f"/api/v1/attempts/{c.attempt_id}"
            )
            if got is not None:
                c.questions = [
                    (q["position"], [(ch["id"], ch["text"]) for ch in q["choices"]])
                    for q in got["questions"]
                ]

        async def save(c):
            for position, choices in c.questions:
                choice_id, text = rng.choice(choices)
                got = await client.call(
                    "save an answer",
                    c,
                    "PUT",
                    f"/api/v1/attempts/{c.attempt_id}/answers/{position}",
                    {"choice_id": choice_id},
                )
                if got is not None:
                    acked[(c.attempt_id, position)] = text

        async def submit(c):
            if c.attempt_id is not None:
                path = f"/api/v1/attempts/{c.attempt_id}/submit"
                c.result = await client.call("first submit", c, "POST", path, {})

        repeat_differs = 0

        async def submit_again(c):
            nonlocal repeat_differs
            if c.result is not None:
                path = f"/api/v1/attempts/{c.attempt_id}/submit"
                got = await client.call("repeat submit", c, "POST", path, {})
                repeat_differs += got is not None and got != c.result

        flow_wall = 0.0
        for name, worker in (
            ("start", start),
            ("fetch the attempt", fetch),
            ("save an answer", save),
            ("first submit", submit),
            ("repeat submit", submit_again),
        ):
            wall = await each(flow, worker, args.concurrency)
            stats.set_wall(wall, name)
            if name != "repeat submit":
                flow_wall += wall
        stop.set()
        await asyncio.gather(*reader_tasks)
        stats.set_wall(time.perf_counter() - beside_started, "units beside writes")
        complete = sum(1 for c in flow if c.result is not None)
        stats.notes["complete attempts"] = (
            f"{complete} in {flow_wall:.1f} s: {complete / flow_wall if flow_wall else 0:.1f}/s"
        )
        stats.notes["repeat submits that differ from the first"] = repeat_differs

        units_client = Client(base, stats, args.concurrency)
        try:
            wall = await for_seconds(
                args.seconds,
                args.concurrency,
                lambda: units_client.call("units alone", None, "GET", f"/api/v1/rounds/{r1}/units"),
            )
            stats.set_wall(wall, "units alone")
        finally:
            await units_client.close()

        # Everyone presses start at the same instant: as many connections as people, and each
        # latency counted from that instant, so the client's own queue is part of it.
        sync = people[: args.sync_start]
        sync_client = Client(base, stats, len(sync) or 1)
        gate = asyncio.Event()
        press = {}

        async def press_start(c):
            await gate.wait()
            await sync_client.call(
                "synchronized start",
                c,
                "POST",
                f"/api/v1/rounds/{r2}/attempts",
                {},
                (201,),
                started=press["at"],
            )

        try:
            tasks = [asyncio.create_task(press_start(c)) for c in sync]
            await asyncio.sleep(0.2)  # every task is waiting at the gate
            press["at"] = time.perf_counter()
            gate.set()
            await asyncio.wait_for(asyncio.gather(*tasks), PHASE_LIMIT_S)
            stats.set_wall(time.perf_counter() - press["at"], "synchronized start")
        finally:
            await sync_client.close()
    finally:
        await client.close()
        await readers.close()
    return stats, acked


# ---- the report ----


def print_table(stats: Stats, bare: Stats | None) -> None:
    ok_rate = bare.rate("bare: return ok") if bare else 0
    one_rate = bare.rate("bare: one SELECT") if bare else 0
    header = (
        f"{'endpoint':<26} {'ok':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'max ms':>8} {'errors':>6} {'×SELECT':>8} {'×ok':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, e in stats.endpoints.items():
        rate = e.ok / e.wall if e.wall else 0
        ms = [v * 1000 for v in e.latencies]
        ratios = (
            f" {rate / one_rate:>8.3f} {rate / ok_rate:>6.3f}"
            if one_rate and ok_rate and not name.startswith("bare")
            else ""
        )
        print(
            f"{name:<26} {e.ok:>6} {rate:>8.1f} {pct(ms, 50):>8.1f} {pct(ms, 95):>8.1f}"
            f" {pct(ms, 99):>8.1f} {max(ms, default=float('nan')):>8.1f}"
            f" {sum(e.errors.values()):>6}{ratios}"
        )
        if e.errors:
            print(f"{'':<26} errors: {dict(e.errors)}")


def summary(stats: Stats) -> dict:
    return {
        name: {
            "ok": e.ok,
            "errors": dict(e.errors),
            "wall_s": round(e.wall, 3),
            "req_per_s": round(e.ok / e.wall, 1) if e.wall else None,
            "p50_ms": round(pct(e.latencies, 50) * 1000, 1),
            "p95_ms": round(pct(e.latencies, 95) * 1000, 1),
            "p99_ms": round(pct(e.latencies, 99) * 1000, 1),
        }
        for name, e in stats.endpoints.items()
    }


def git_describe(path: Path) -> str:
    out = subprocess.run(  # noqa: S603
        ["git", "-C", str(path), "log", "-1", "--format=%h %s"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip()[:70] or "(not a git checkout)"


def measure_database(db: str, url: str, args, tmp: Path) -> list[dict]:
    results = []
    bare = None
    for index, app_dir in enumerate(args.app_dir):
        app_dir = app_dir.resolve()
        label = f"{db} · {app_dir} · {git_describe(app_dir)}"
        print(f"\n=== {label}", flush=True)
        if url.startswith("sqlite:///"):  # our temporary file: each checkout starts afresh
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        t = time.perf_counter()
        fixture = build_fixture(app_dir, url, args)
        print(f"fixture: {len(fixture['logins'])} accounts in {time.perf_counter() - t:.1f} s")
        if index == 0:
            # The bare stack on the same database (it reads the round the fixture made).
            server = Server(
                "bench.bare_app:app", REPO, server_env(REPO, url, args), args, tmp / "bare.log"
            )
            try:
                server.wait_ready("/ok")
                bare = asyncio.run(run_bare(server.base, args))
                bare.notes["worker RSS MiB"] = [round(v) for v in server.worker_rss_mib()]
            finally:
                server.stop()
            print_table(bare, None)
            print(f"bare worker RSS after its run: {bare.notes['worker RSS MiB']} MiB")
        server = Server("wsgi:app", app_dir, server_env(app_dir, url, args), args, tmp / "app.log")
        try:
            server.wait_ready("/api/v1/auth/csrf")
            stats, acked = asyncio.run(run_app(server.base, fixture, args))
            stats.notes["worker RSS MiB"] = [round(v) for v in server.worker_rss_mib()]
        finally:
            server.stop()
        checks = check_database(url, acked, fixture["rounds"][0])
        print_table(stats, bare)
        for key, value in stats.notes.items():
            print(f"{key}: {value}")
        print("after the run, in the database: " + "; ".join(f"{k} {v}" for k, v in checks.items()))
        failed = (
            checks["lost or wrong answers"]
            or checks["people over their attempts"]
            or checks["finalized people"] != checks["counted in the province aggregate"]
        )
        print("INTEGRITY: " + ("FAILED" if failed else "ok"))
        results.append(
            {
                "database": db,
                "app_dir": str(app_dir),
                "commit": git_describe(app_dir),
                "endpoints": summary(stats),
                "bare": summary(bare) if bare else None,
                "notes": {k: v for k, v in stats.notes.items()},
                "bare_notes": bare.notes if bare else None,
                "checks": checks,
                "integrity_ok": not failed,
            }
        )
    return results


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    p.add_argument("--app-dir", type=Path, action="append", help="a checkout to measure (repeat)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--worker-class", default="sync")
    p.add_argument("--gunicorn-arg", action="append", default=[], help="passed to gunicorn")
    p.add_argument("--contestants", type=int, default=150, help="people who take the round")
    p.add_argument("--questions", type=int, default=10, help="questions per attempt")
    p.add_argument("--concurrency", type=int, default=32, help="connections of the main client")
    p.add_argument("--readers", type=int, default=2, help="units readers beside the writes")
    p.add_argument("--sync-start", type=int, default=150, help="people who press start at once")
    p.add_argument("--seconds", type=float, default=5, help="length of each fixed-time phase")
    p.add_argument("--redis-url", help="REDIS_URL for the app (not set by default)")
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    args.app_dir = args.app_dir or [REPO]
    for name in ("contestants", "questions", "concurrency", "sync_start"):
        if not 0 <= getattr(args, name) <= 100_000:
            p.error(f"--{name.replace('_', '-')} out of range")
    # The synchronized start holds one connection per person.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))

    started = time.perf_counter()
    results = []
    with tempfile.TemporaryDirectory(prefix="quiz-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if args.db in ("sqlite", "both"):
            results += measure_database("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", args, tmp)
        if args.db in ("postgresql", "both"):
            ensure_pg_database(args.pg_url)
            results += measure_database("postgresql", args.pg_url, args, tmp)
        if any(not r["integrity_ok"] for r in results):
            for log in tmp.glob("*.log"):
                print(f"--- tail of {log.name}\n{log.read_text(errors='replace')[-2000:]}")
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0 if all(r["integrity_ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
