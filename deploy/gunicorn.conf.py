"""gunicorn settings for one app server: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be overridden from the command line (which wins over this file) or from the
environment named next to it. docs/deploy.md explains the numbers.
"""

import multiprocessing
import os

# Behind nginx on the same host (or a private network address for several app servers).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: one request at a time each, so the count is the concurrency. Requests are
# short (a save is a few milliseconds of SQL) and mostly wait on PostgreSQL, so 2 x cores + 1
# keeps the cores busy. Each worker holds one database connection at a time (pool below).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A request that runs 30 s is a bug or a job that belongs in `flask jobs work`: the worker
# is killed and restarted rather than left to hold a connection and a slot.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30

# Recycle a worker now and then so slow leaks never add up; the jitter keeps the workers
# from restarting together in the middle of a rush.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500

# Each worker builds its own app (no connection opened before the fork).
preload_app = False
# The heartbeat files on tmpfs (gunicorn makes them with mkstemp): a slow disk never makes
# the master think a worker hung.
SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHM if os.path.isdir(SHM) else None

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Who, what, status, size and the time taken in microseconds (monitoring reads %(D)s).
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(D)sus pid=%(p)s'
# Requests larger than this are refused before they reach Flask (uploads: MAX_UPLOAD_MB).
limit_request_field_size = 8190

# gunicorn's control socket (gunicornc) defaults to one path per user, which a second
# instance on the same host would take over; systemd's signals are all we use.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
