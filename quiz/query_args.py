"""What the site reads from URLs: strict ASCII numbers that fit an id column, page
numbers, and text without NUL bytes. Anything else is a 4xx, never a 500."""

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

# The largest value an Integer column holds (PostgreSQL's int4): every id is one.
ID_MAX = 2**31 - 1
# Past this no list has a page; it also keeps OFFSET far from any integer limit.
PAGE_MAX = 1_000_000
PAGE_SIZE = 50  # rows per page of the admin's and the unit manager's lists


def strict_int(text: str | None, maximum: int = ID_MAX) -> int | None:
    """The number written in ASCII digits, if 0 ≤ it ≤ maximum; else None.

    str.isdigit() and int() accept "²" and "١٢" too: only 0-9 counts here.
    """
    if not text or not (text.isascii() and text.isdigit()) or len(text) > 20:
        return None
    value = int(text)
    return value if value <= maximum else None


def id_arg(name: str) -> int | None:
    """An id from the query string: None when absent or empty, 404 when not an id."""
    raw = request.args.get(name)
    if not raw:
        return None
    value = strict_int(raw)
    if value is None:
        abort(404)
    return value


def page_arg(name: str = "page") -> int:
    """The `page` query argument (or another named one, where a page holds several
    paged lists): 1 when absent, 404 when not a page number."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return 1
    value = strict_int(raw, PAGE_MAX)
    if not value:
        abort(404)
    return value


def known_args(*keys: str) -> dict[str, str]:
    """The query arguments among `keys` (a whitelist), for building links.

    Passing request.args to url_for lets a visitor set url_for's own parameters
    (`_method`, `endpoint`, `_external`…): only the keys a page knows go back in.
    """
    return {key: request.args[key] for key in keys if request.args.get(key)}


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: ASCII digits only, and 404 past what an id column
    holds (instead of a database overflow error)."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=ID_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


def refuse_nul_bytes() -> None:
    """400 for a NUL byte in the path, the query string or a form: PostgreSQL
    refuses it in text, and no real name, code or search contains one."""
    if "\x00" in request.path:
        abort(400)
    sources = [request.args] if request.method in ("GET", "HEAD") else [request.args, request.form]
    for multi in sources:
        for key, values in multi.lists():
            if "\x00" in key or _has_nul(values):
                abort(400)


def register(app: Flask) -> None:
    """Before any blueprint: the converter applies to rules as they are added."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_bytes)
    app.before_request(refuse_odd_pages)


def refuse_odd_pages() -> None:
    """Any paged list (db.paginate reads `page` itself): 404 for a page that is no number."""
    if "page" in request.args:
        page_arg()
