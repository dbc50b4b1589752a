"""Scale-out check: two gunicorn app servers behind nginx, one PostgreSQL, one Redis.

    make scaleout-check            (or: .venv/bin/python scripts/scaleout_check.py)

Starts both gunicorns and nginx on loopback with the repository's own deploy/gunicorn.conf.py
and deploy/nginx.conf (only the lines marked "check:" are rewritten: addresses, a throwaway
certificate, log and cache paths), then shows:
  1. load reaching both servers (nginx's access log names the upstream of every request);
  2. one login through nginx, its session cookie accepted by each server directly;
  3. the login rate limit counted in Redis: 11 wrong logins spread over both servers and
     nginx, the 11th refused with 429;
  4. an invariant under a race: 20 simultaneous starts of the same attempt spread over both
     servers make one attempt;
  5. gzip from nginx for a static file and for HTML, a static file cached a year (immutable)
     and served from nginx's cache the second time;
  6. the cron sweep (`flask --app wsgi attempts close-expired`) against the same database;
  7. a backup: pg_dump of the database and a pg_restore into a fresh one, rows compared.
Then it stops everything it started. Loopback only; every wait is bounded.

Uses its own PostgreSQL database (quiz_scaleout, rebuilt each run; no other database is
touched) and its own Redis db number (/3, never flushed: its keys expire within a minute).
Exit status 0 when every check passed.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import redis
import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_DB = "postgresql://quiz:quiz@127.0.0.1:5432/quiz_scaleout"
DEFAULT_REDIS = "redis://127.0.0.1:6379/3"
TIMEOUT = 20  # seconds for any one HTTP request
RESULTS: list[tuple[bool, str]] = []


def check(ok: bool, what: str) -> bool:
    RESULTS.append((ok, what))
    print(f"  [{'ok' if ok else 'FAIL'}] {what}", flush=True)
    return ok


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"{name} is not installed (make services installs PostgreSQL's tools)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, log: Path, verify=True) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(
                f"{proc.args[0]} exited ({proc.returncode}):\n{log.read_text()[-2000:]}"
            )
        try:
            if requests.get(url, timeout=2, verify=verify).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within 60 s; see {log}")


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    # Only the process we started (a gunicorn master or the nginx master): it stops its own.
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


# ---- setup ----


def ensure_nginx() -> str:
    found = shutil.which("nginx") or (Path("/usr/sbin/nginx").exists() and "/usr/sbin/nginx")
    if found:
        return found
    print("nginx is missing: apt-get install -y nginx", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    apt = [*sudo, "apt-get", "-o", "DPkg::Lock::Timeout=600"]
    subprocess.run([*apt, "update", "-qq"], check=True, env=env, timeout=900)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*apt, "install", "-y", "-qq", "--no-install-recommends", "nginx"],
        check=True,
        env=env,
        timeout=900,
    )
    return shutil.which("nginx") or "/usr/sbin/nginx"


def pg_admin_engine(url: sa.URL) -> sa.Engine:
    return sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


def recreate_database(url: sa.URL, name: str) -> None:
    """Drop and create one of this script's own databases (never any other)."""
    assert name.startswith("quiz_scaleout"), name  # noqa: S101 - a guard, not a test
    admin = pg_admin_engine(url)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()


def build_fixture(db_url: str, secret: str) -> dict:
    """Units, 30 contestants, a bank and two open rounds (bench/fixture.py, our own database)."""
    import json

    spec = {"url": db_url, "contestants": 30, "questions": 10, "secret": secret}
    out = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / "fixture.py"), json.dumps(spec)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"fixture failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def self_signed_cert(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(  # noqa: S603
        [tool("openssl"), *"req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1".split()]
        + ["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def nginx_config(tmp: Path, app_ports, tls_port, plain_port, cert, key) -> Path:
    """deploy/nginx.conf with its "check:" lines pointed at loopback and this run's files."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    rewrites = [
        (r"server \S+:8000 (.*# check: app server 1)", rf"server 127.0.0.1:{app_ports[0]} \1"),
        (r"server \S+:8000 (.*# check: app server 2)", rf"server 127.0.0.1:{app_ports[1]} \1"),
        (r"/var/cache/nginx/quiz (.*# check: cache path)", rf"{tmp}/cache \1"),
        (r"listen 80;(\s*# check: plain port)", rf"listen 127.0.0.1:{plain_port};\1"),
        (r"listen 443 (ssl.*# check: TLS port)", rf"listen 127.0.0.1:{tls_port} \1"),
        (r"ssl_certificate +\S+;(\s*# check: cert)", rf"ssl_certificate {cert};\1"),
        (r"ssl_certificate_key +\S+;(\s*# check: key)", rf"ssl_certificate_key {key};\1"),
        (r"access_log \S+ quiz;(\s*# check: access log)", rf"access_log {tmp}/nginx-access.log quiz;\1"),  # noqa: E501
    ]  # fmt: skip
    for pattern, replacement in rewrites:
        site, n = re.subn(pattern, replacement, site)
        if n != 1:  # the example file moved on: fail loudly rather than test something else
            raise SystemExit(f"deploy/nginx.conf: no single line matches {pattern!r}")
    (tmp / "quiz.conf").write_text(site)
    for d in ("cache", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / d).mkdir()
        (tmp / d).chmod(0o777)  # nginx's workers run as nobody when the master is root
    main = tmp / "nginx-main.conf"
    main.write_text(
        f"""daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/quiz.conf;
}}
"""
    )
    return main


# ---- the checks ----


def session_value(response: requests.Response) -> str | None:
    return response.cookies.get("session")


class Client:
    """One browser: a session cookie and its CSRF token, sent by hand to any server.

    The cookie is Secure (production), so requests would not send it over plain HTTP to an
    app server's own port; the check sends it itself, exactly as nginx forwards it.
    """

    def __init__(self, verify: str) -> None:
        self.cookie: str | None = None
        self.csrf: str | None = None
        self.verify = verify

    def call(self, method: str, url: str, **kw) -> requests.Response:
        headers = kw.pop("headers", {})
        if self.cookie:
            headers["Cookie"] = f"session={self.cookie}"
        if self.csrf and method != "GET":
            headers["X-CSRFToken"] = self.csrf
            # Over HTTPS Flask-WTF wants a same-origin Referer, as a browser sends it.
            headers["Referer"] = url.split("/api/", 1)[0] + "/"
        r = requests.request(
            method,
            url,
            headers=headers,
            timeout=TIMEOUT,
            allow_redirects=False,
            verify=self.verify,
            **kw,
        )
        self.cookie = session_value(r) or self.cookie
        return r

    def login(self, base: str, login: str, password: str) -> requests.Response:
        self.csrf = self.call("GET", f"{base}/api/v1/auth/csrf").json()["csrf_token"]
        r = self.call(
            "POST", f"{base}/api/v1/auth/login", json={"login": login, "password": password}
        )
        if r.status_code == 200:
            self.csrf = r.json()["csrf_token"]
        return r


def upstream_counts(log: Path) -> Counter:
    return Counter(re.findall(r" up=(\S+) ", log.read_text()))


def check_load(proxy, app_urls, tmp, verify) -> None:
    print("1. Load reaches both app servers", flush=True)
    before = upstream_counts(tmp / "nginx-access.log")
    for _ in range(40):
        requests.get(f"{proxy}/", timeout=TIMEOUT, verify=verify).raise_for_status()
    time.sleep(0.5)  # nginx writes its log line after the response
    counts = upstream_counts(tmp / "nginx-access.log") - before
    gunicorn = {name: len((tmp / f"gunicorn-{name}.log").read_text().splitlines()) for name in "ab"}
    shown = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    check(
        len(counts) == 2 and min(counts.values()) >= 10,
        f"40 requests through nginx went to {shown} (gunicorn access-log lines a={gunicorn['a']}, "
        f"b={gunicorn['b']})",
    )


def check_sessions(proxy, app_urls, fixture, verify) -> None:
    print("2. One session, valid on both servers", flush=True)
    anonymous = requests.get(f"{app_urls[0]}/auth/profile", timeout=TIMEOUT, allow_redirects=False)
    check(anonymous.status_code == 302, "without a session the profile page redirects to login")
    person = Client(verify)
    r = person.login(proxy, fixture["logins"][0], fixture["password"])
    check(r.status_code == 200 and person.cookie is not None, "logged in through nginx")
    for where in (proxy, *app_urls):
        page = person.call("GET", f"{where}/auth/profile")
        check(page.status_code == 200, f"the same session cookie opens /auth/profile at {where}")
    # A write through one server with the CSRF token the other issued.
    pw = person.call(
        "POST",
        f"{app_urls[1]}/api/v1/auth/password",
        json={"current_password": "wrong-on-purpose", "new_password": "x" * 20},
    )
    check(
        pw.status_code == 422 and pw.json().get("error", {}).get("code") == "invalid_password",
        f"server b accepts the CSRF token from the login through nginx (HTTP {pw.status_code}, "
        "a wrong current password, not a CSRF failure)",
    )


def check_rate_limit(proxy, app_urls, verify, redis_url) -> None:
    print("3. The login rate limit is shared through Redis", flush=True)
    login = f"khong-co-{secrets.token_hex(4)}@scaleout.vn"  # a fresh key every run
    person = Client(verify)
    person.csrf = person.call("GET", f"{proxy}/api/v1/auth/csrf").json()["csrf_token"]
    targets = [proxy, app_urls[0], app_urls[1]]
    statuses = []
    for i in range(11):
        r = person.call(
            "POST",
            f"{targets[i % 3]}/api/v1/auth/login",
            json={"login": login, "password": "sai-mat-khau"},
        )
        statuses.append(r.status_code)
    spread = Counter(t.rsplit(":", 1)[-1] for t in (targets * 4)[:11])
    check(
        statuses[:10] == [401] * 10 and statuses[10] == 429,
        f"11 wrong logins spread over nginx and both servers ({dict(spread)} by port): "
        f"{statuses[:10].count(401)}x 401, then {statuses[10]}",
    )
    keys = sum(1 for _ in redis.Redis.from_url(redis_url).scan_iter("LIMITS*", count=1000))
    check(keys > 0, f"the counters live in Redis ({redis_url}: {keys} LIMITS keys)")


def check_invariant(proxy, app_urls, fixture, verify, db_url) -> None:
    print("4. 20 simultaneous starts of the same attempt over both servers", flush=True)
    person = Client(verify)
    login = fixture["logins"][1]
    person.login(proxy, login, fixture["password"])
    round_id = fixture["rounds"][1]
    targets = [proxy, app_urls[0], app_urls[1]]
    gate = threading.Barrier(20, timeout=30)
    results: list = [None] * 20

    def press(i: int) -> None:
        gate.wait()
        try:
            r = person.call("POST", f"{targets[i % 3]}/api/v1/rounds/{round_id}/attempts", json={})
            results[i] = (r.status_code, r.json().get("id") if r.ok else r.text[:80])
        except requests.RequestException as err:
            results[i] = ("error", str(err)[:80])

    threads = [threading.Thread(target=press, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    codes = Counter(code for code, _ in results if code is not None)
    ids = {i for code, i in results if code in (200, 201)}
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        stored = conn.scalar(
            sa.text(
                "SELECT count(*) FROM attempt a JOIN user_account u ON u.id = a.user_id "
                "WHERE u.email = :e AND a.round_id = :r"
            ),
            {"e": login, "r": round_id},
        )
    engine.dispose()
    check(
        codes.get(201) == 1 and codes.get(200) == 19 and len(ids) == 1 and stored == 1,
        f"answers {dict(codes)} (201 created, 200 resumed), {len(ids)} attempt id, "
        f"{stored} attempt row in PostgreSQL",
    )


def check_compression(proxy, verify, tmp) -> None:
    print("5. Compression and caching at nginx", flush=True)
    home = requests.get(f"{proxy}/", timeout=TIMEOUT, verify=verify, stream=True)
    raw = home.raw.read(decode_content=False)
    page = requests.get(f"{proxy}/", timeout=TIMEOUT, verify=verify).text
    check(
        home.headers.get("Content-Encoding") == "gzip",
        f"the home page (HTML) is gzipped: {len(raw)} bytes on the wire for {len(page.encode())}",
    )
    css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', page)
    if not check(css is not None, "the page links site.css with its fingerprint"):
        return
    url = proxy + css[1]
    first = requests.get(url, timeout=TIMEOUT, verify=verify, stream=True)
    wire = len(first.raw.read(decode_content=False))
    second = requests.get(url, timeout=TIMEOUT, verify=verify)
    plain = len(second.content)
    check(
        first.headers.get("Content-Encoding") == "gzip",
        f"site.css is gzipped: {wire} bytes on the wire for {plain}",
    )
    cache = first.headers.get("Cache-Control", "")
    check(
        "max-age=31536000" in cache and "immutable" in cache,
        f"the fingerprinted file is cached a year: Cache-Control: {cache}",
    )
    check(
        second.headers.get("X-Cache") == "HIT",
        f"nginx serves it again from its cache (X-Cache: {first.headers.get('X-Cache')} then "
        f"{second.headers.get('X-Cache')})",
    )


def check_sweep(env) -> None:
    print("6. The cron sweep", flush=True)
    out = subprocess.run(  # noqa: S603
        [str(BIN / "flask"), "--app", "wsgi", "attempts", "close-expired"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    check(out.returncode == 0, f"flask --app wsgi attempts close-expired: {out.stdout.strip()}")


def check_backup(url: sa.URL, tmp: Path) -> None:
    print("7. Backup and restore", flush=True)
    restored = "quiz_scaleout_restore"
    env = dict(os.environ, PGPASSWORD=url.password or "")
    conn_args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username]
    dump = tmp / "quiz.dump"
    t = time.monotonic()
    subprocess.run(  # noqa: S603
        [tool("pg_dump"), *conn_args, "-Fc", "-f", str(dump), url.database],
        env=env,
        check=True,
        timeout=300,
    )
    dumped = time.monotonic() - t
    recreate_database(url, restored)
    t = time.monotonic()
    out = subprocess.run(  # noqa: S603
        [
            tool("pg_restore"),
            *conn_args,
            "--no-owner",
            "--exit-on-error",
            "-d",
            restored,
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    took = time.monotonic() - t
    tables = ("unit", "user_account", "user_session", "question", "choice", "attempt")
    counts = []
    for name in (url.database, restored):
        engine = sa.create_engine(url.set(database=name))
        with engine.connect() as conn:
            counts.append([conn.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in tables])  # noqa: S608
        engine.dispose()
    admin = pg_admin_engine(url)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
    admin.dispose()
    check(
        out.returncode == 0 and counts[0] == counts[1],
        f"pg_dump -Fc ({dump.stat().st_size // 1024} KiB, {dumped:.1f} s) and pg_restore into "
        f"a new database ({took:.1f} s): rows equal in {', '.join(tables)} "
        f"{dict(zip(tables, counts[1], strict=True))}"
        + (f"; pg_restore said: {out.stderr[-300:]}" if out.returncode else ""),
    )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--database-url", default=os.environ.get("SCALEOUT_DATABASE_URL", DEFAULT_DB))
    p.add_argument("--redis-url", default=os.environ.get("SCALEOUT_REDIS_URL", DEFAULT_REDIS))
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = p.parse_args(argv)

    def out_of_time(signum, frame):
        raise SystemExit("the check took more than 10 minutes: stopping")

    # It stops by itself: SystemExit unwinds through the finally that stops the servers.
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(600)

    url = sa.make_url(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    if not (url.database or "").startswith("quiz_scaleout"):
        raise SystemExit("the database name must start with quiz_scaleout (it is rebuilt)")
    nginx = ensure_nginx()
    redis.Redis.from_url(args.redis_url).ping()
    secret = secrets.token_hex(32)
    db_url = url.render_as_string(hide_password=False)

    print(f"Database {url.database} (rebuilt), Redis {args.redis_url}", flush=True)
    recreate_database(url, url.database)
    fixture = build_fixture(db_url, secret)

    tmp = Path(tempfile.mkdtemp(prefix="quiz-scaleout-"))
    tmp.chmod(0o755)
    procs: list[tuple[subprocess.Popen, signal.Signals]] = []
    logs = []
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        APP_ENV="production",
        SECRET_KEY=secret,  # the same key on every app server
        DATABASE_URL=db_url,
        REDIS_URL=args.redis_url,
        RATELIMIT_ENABLED="1",
        PROXY_FIX="1",
        PYTHONPATH=str(ROOT),
    )
    try:
        app_ports = [free_port(), free_port()]
        app_urls = [f"http://127.0.0.1:{port}" for port in app_ports]
        for name, port in zip("ab", app_ports, strict=True):
            log = tmp / f"gunicorn-{name}.out"
            logs.append(log.open("ab"))
            cmd = [
                str(BIN / "gunicorn"),
                "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                "--bind", f"127.0.0.1:{port}",
                "--workers", str(args.workers),
                "--access-logfile", str(tmp / f"gunicorn-{name}.log"),
                "wsgi:app",
            ]  # fmt: skip
            proc = subprocess.Popen(  # noqa: S603
                cmd, cwd=ROOT, env=env, stdout=logs[-1], stderr=logs[-1], start_new_session=True
            )
            procs.append((proc, signal.SIGTERM))
        for (proc, _), name, base in zip(procs, "ab", app_urls, strict=True):
            wait_for(f"{base}/healthz", proc, tmp / f"gunicorn-{name}.out")

        cert, key = self_signed_cert(tmp)
        tls_port, plain_port = free_port(), free_port()
        main_conf = nginx_config(tmp, app_ports, tls_port, plain_port, cert, key)
        test = subprocess.run(  # noqa: S603
            [nginx, "-t", "-q", "-p", str(tmp), "-c", str(main_conf)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if test.returncode:
            raise SystemExit(f"nginx -t refused the configuration:\n{test.stderr}")
        log = tmp / "nginx.out"
        logs.append(log.open("ab"))
        proc = subprocess.Popen(  # noqa: S603
            [nginx, "-p", str(tmp), "-c", str(main_conf)],
            stdout=logs[-1],
            stderr=logs[-1],
            start_new_session=True,
        )
        procs.append((proc, signal.SIGQUIT))  # nginx: graceful stop
        proxy = f"https://127.0.0.1:{tls_port}"
        verify = str(cert)
        wait_for(f"{proxy}/healthz", proc, log, verify=verify)
        redirect = requests.get(
            f"http://127.0.0.1:{plain_port}/", timeout=TIMEOUT, allow_redirects=False
        )
        print(
            f"Up: app servers {', '.join(app_urls)} ({args.workers} workers each, "
            f"deploy/gunicorn.conf.py); nginx {proxy} (deploy/nginx.conf; plain HTTP answers "
            f"{redirect.status_code} → {redirect.headers.get('Location')})",
            flush=True,
        )

        check_load(proxy, app_urls, tmp, verify)
        check_sessions(proxy, app_urls, fixture, verify)
        check_rate_limit(proxy, app_urls, verify, args.redis_url)
        check_invariant(proxy, app_urls, fixture, verify, db_url)
        check_compression(proxy, verify, tmp)
        check_sweep(env)
    finally:
        for proc, sig in reversed(procs):
            stop(proc, sig)
        for f in logs:
            f.close()
        print("Stopped nginx and both gunicorns.", flush=True)
    check_backup(url, tmp)
    if not args.keep and all(ok for ok, _ in RESULTS):
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"Logs, configuration and dump kept in {tmp}")
    failed = [what for ok, what in RESULTS if not ok]
    print(f"\n{len(RESULTS) - len(failed)}/{len(RESULTS)} checks passed.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
