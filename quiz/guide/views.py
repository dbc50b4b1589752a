"""Guide pages: how to take part, and a banner with copy-paste snippets that units put on
their own websites."""

from flask import Blueprint, Response, current_app, render_template, request

from ..models import utcnow
from . import queries

bp = Blueprint("guide", __name__)

BANNER_SECONDS = 24 * 3600


def two_lines(text: str) -> tuple[str, str]:
    """The text split at the space nearest its middle (the banner's two lines)."""
    words = text.split()
    best = min(
        range(1, len(words)),
        key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))),
        default=len(words),
    )
    return " ".join(words[:best]), " ".join(words[best:])


@bp.get("/how-to")
def how_to():
    return render_template("guide/how_to.html", round=queries.example_round(utcnow()))


@bp.get("/embed")
def embed():
    return render_template("guide/embed.html", contests=queries.contests())


@bp.get("/embed/banner.svg")
def banner():
    """The banner image other sites embed: cacheable by anyone, loadable cross-origin."""
    # Always in Vietnamese: one cached image for every site, whatever a visitor's language.
    svg = render_template("guide/banner.svg", lines=two_lines(current_app.config["CONTEST_NAME"]))
    response = Response(svg, mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = BANNER_SECONDS
    # Other sites' pages show this image; an image response needs no page policy beyond
    # "nothing runs" (an <img> never runs an SVG's scripts, and this one has none).
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.add_etag()
    return response.make_conditional(request)
