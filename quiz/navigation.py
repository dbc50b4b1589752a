"""Where to send a person back to, without ever leaving the site."""

from urllib.parse import urlsplit, urlunsplit

from flask import request, url_for


def _unsafe(target: str) -> bool:
    # Browsers drop tabs and newlines inside URLs and read "\" as "/", so "/\t/evil"
    # and "/\evil" both mean "//evil", another site: refuse any of them outright.
    return "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target)


def local_path(target: str | None) -> str | None:
    """The path (with query) of target when it is a page of this site, else None.

    A same-site absolute URL (a Referer) is reduced to its path; anything with a
    scheme or a host of its own, "//host", "http:/host" or "https:evil" is refused.
    """
    if not target or _unsafe(target) or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        absolute = parts.scheme in ("http", "https") and target.startswith(parts.scheme + "://")
        if not absolute or parts.netloc != request.host:
            return None
    elif not target.startswith("/"):
        return None
    path = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    if not path.startswith("/") or path.startswith("//"):
        return None
    return path


def local_target(target: str | None, fallback: str) -> str:
    """target when it is a path on this site, else the fallback endpoint's URL."""
    return local_path(target) or url_for(fallback)


def back(fallback: str) -> str:
    """The referring page on this site, else the fallback endpoint's URL."""
    return local_target(request.referrer, fallback)
