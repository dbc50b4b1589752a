"""How an entry's video link is shown: an embed for hosts that allow one, else a link."""

import re
from urllib.parse import parse_qs, quote, urlsplit

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_DRIVE_FILE = re.compile(r"^/file/d/([A-Za-z0-9_-]{10,})(?:/|$)")

# The frames the entries page may show (its Content-Security-Policy frame-src).
EMBED_HOSTS = (
    "https://www.youtube-nocookie.com",
    "https://drive.google.com",
    "https://www.facebook.com",
)


def embed_url(url: str | None) -> str | None:
    """The player address of a YouTube, Google Drive or Facebook video; None otherwise."""
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video = None
    if host == "youtu.be":
        video = parts.path.strip("/")
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if parts.path == "/watch":
            video = (parse_qs(parts.query).get("v") or [""])[0]
        elif parts.path.startswith(("/shorts/", "/embed/", "/live/")):
            video = parts.path.split("/")[2]
    if video is not None:
        return (
            f"https://www.youtube-nocookie.com/embed/{video}" if _YOUTUBE_ID.match(video) else None
        )
    if host == "drive.google.com":
        match = _DRIVE_FILE.match(parts.path)
        return f"https://drive.google.com/file/d/{match.group(1)}/preview" if match else None
    if host in ("facebook.com", "fb.watch") and parts.scheme == "https":
        return "https://www.facebook.com/plugins/video.php?href=" + quote(url, safe="")
    return None
