"""Fingerprinted static URLs: `url_for('static', ...)` adds `v=<content hash>`.

A URL whose `v` is the hash of the file it serves may be cached for a year (`immutable`):
a changed file gets a new hash, so a new URL. Any other request for a static file (no
`v`, or a `v` of another version of the file) gets a short max-age. The second rule keeps
a rolling deploy honest: a page from a new server asking an old server for `?v=<new>` gets
the old file, which must not be pinned in caches under the new URL for a year.
"""

import hashlib
import os

from flask import Flask, Response, request, send_from_directory
from werkzeug.security import safe_join

IMMUTABLE_SECONDS = 365 * 24 * 3600
# Unfingerprinted or stale URLs: short enough that a deploy shows within minutes.
SHORT_SECONDS = 300


def _fingerprint(app: Flask, filename: str) -> str | None:
    """The file's content hash, computed once per worker (again on change in debug)."""
    cache: dict[str, tuple[int, str | None]] = app.extensions["static_fingerprints"]
    hit = cache.get(filename)
    if hit is not None and not app.debug:
        return hit[1]
    path = safe_join(str(app.static_folder), filename)
    try:
        mtime = os.stat(path).st_mtime_ns if path else -1
        if hit is not None and hit[0] == mtime:
            return hit[1]
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:12]
    except (OSError, TypeError):  # no such file (TypeError: a path outside static/)
        mtime, digest = -1, None
    cache[filename] = (mtime, digest)
    return digest


def init_app(app: Flask) -> None:
    app.extensions["static_fingerprints"] = {}

    @app.url_defaults
    def _add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "v" in values or "filename" not in values:
            return
        digest = _fingerprint(app, values["filename"])
        if digest:
            values["v"] = digest

    def static(filename: str):
        digest = _fingerprint(app, filename)
        current = digest is not None and request.args.get("v") == digest
        response = send_from_directory(
            str(app.static_folder),
            filename,
            max_age=IMMUTABLE_SECONDS if current else SHORT_SECONDS,
        )
        response.cache_control.immutable = current
        return response

    # Replaces Flask's own static view (same endpoint and URL rule) to choose the max-age.
    app.view_functions["static"] = static

    def favicon():
        # Browsers ask for /favicon.ico on a first visit whatever the page links to. A few
        # hundred bytes: sent from memory, so no file is left open by a client that does
        # not read the body.
        with open(os.path.join(str(app.static_folder), "favicon.ico"), "rb") as f:
            response = Response(f.read(), mimetype="image/vnd.microsoft.icon")
        response.cache_control.public = True
        response.cache_control.max_age = SHORT_SECONDS
        response.add_etag()
        return response.make_conditional(request)

    app.add_url_rule("/favicon.ico", "favicon", favicon)
