"""Static files: fingerprinted URLs cached for a year, everything else briefly."""

import hashlib
import os
import re
from pathlib import Path

from flask import url_for

from tests.conftest import make_test_app

STATIC = Path(__file__).resolve().parents[1] / "static"
YEAR = "max-age=31536000"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_page_links_carry_the_content_hash_of_each_static_file(client):
    html = client.get("/").get_data(as_text=True)
    links = dict(re.findall(r'/static/([\w./-]+)\?v=([0-9a-f]{12})"', html))
    assert links["css/site.css"] == sha(STATIC / "css/site.css")
    assert '/static/css/site.css"' not in html


def test_a_fingerprinted_file_is_cached_for_a_year_and_immutable(client):
    url = f"/static/css/site.css?v={sha(STATIC / 'css/site.css')}"
    response = client.get(url)
    response.close()
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    assert "public" in cache and YEAR in cache and "immutable" in cache
    assert "no-cache" not in cache
    # The strict CSP is untouched: a ?v= URL is still 'self'.
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_unfingerprinted_or_stale_urls_are_cached_briefly(client):
    for url in ("/static/js/quiz.js", "/static/js/quiz.js?v=000000000000"):
        response = client.get(url)
        response.close()
        cache = response.headers["Cache-Control"]
        assert response.status_code == 200, url
        assert "max-age=300" in cache and "immutable" not in cache, url


def test_the_fingerprint_changes_when_the_file_changes(tmp_path):
    (tmp_path / "app.js").write_text("console.log(1);\n")

    def fingerprint(app):
        with app.test_request_context():
            return url_for("static", filename="app.js")

    def new_app(**extra):
        app = make_test_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", **extra)
        app.static_folder = str(tmp_path)
        return app

    before = new_app()
    first = fingerprint(before)
    assert first == f"/static/app.js?v={sha(tmp_path / 'app.js')}"
    (tmp_path / "app.js").write_text("console.log(2);\n")
    # A worker hashes once; the next deploy's workers see the new file.
    assert fingerprint(before) == first
    second = fingerprint(new_app())
    assert second == f"/static/app.js?v={sha(tmp_path / 'app.js')}" and second != first
    # The old URL is now stale: served, but no longer pinned for a year.
    response = new_app().test_client().get(first)
    response.close()
    assert "immutable" not in response.headers["Cache-Control"]


def test_debug_workers_rehash_an_edited_file(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", DEBUG=True)
    app.static_folder = str(tmp_path)
    path = tmp_path / "site.css"
    path.write_text("a{}")
    with app.test_request_context():
        first = url_for("static", filename="site.css")
        path.write_text("b{}")
        # Another size and time: a new mtime even on a coarse clock.
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert url_for("static", filename="site.css") != first


def test_a_missing_file_gets_no_fingerprint_and_a_404(client):
    with client.application.test_request_context():
        assert url_for("static", filename="nope.js") == "/static/nope.js"
    assert client.get("/static/nope.js?v=abc").status_code == 404


def test_favicon_is_served_at_the_root_and_linked_from_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert response.headers["Content-Type"] in ("image/vnd.microsoft.icon", "image/x-icon")
    response.close()
    assert '<link rel="icon" href="/static/favicon.ico?v=' in client.get("/").text


def test_favicon_answers_a_revalidation_with_not_modified(client):
    first = client.get("/favicon.ico")
    again = client.get("/favicon.ico", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
