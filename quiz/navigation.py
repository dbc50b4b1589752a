"""Where to send a person back to, without ever leaving the site."""

from urllib.parse import urlsplit

from flask import request, url_for


def local_target(target: str | None, fallback: str) -> str:
    """target when it is a path on this site, else the fallback endpoint's URL."""
    if target:
        parts = urlsplit(target)
        same_host = parts.netloc in ("", request.host) and parts.scheme in ("", request.scheme)
        if same_host and parts.path.startswith("/") and not target.startswith("//"):
            return target
    return url_for(fallback)


def back(fallback: str) -> str:
    """The referring page on this site, else the fallback endpoint's URL."""
    return local_target(request.referrer, fallback)
