"""Video links become the host's player where it allows one, else stay links."""

import pytest

from quiz.judging.media import embed_url


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://drive.google.com/file/d/1AbCdEfGhIjKlMn/view?usp=sharing",
            "https://drive.google.com/file/d/1AbCdEfGhIjKlMn/preview",
        ),
        (
            "https://www.facebook.com/watch/?v=123",
            "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fwatch%2F%3Fv%3D123",
        ),
        ('https://www.youtube.com/watch?v=bad"id', None),
        ("https://youtu.be/short", None),
        ("https://example.org/clip.mp4", None),
        ("http://www.facebook.com/watch/?v=1", None),
        ("javascript:alert(1)", None),
        ("", None),
        (None, None),
    ],
)
def test_embed_url(url, embed):
    assert embed_url(url) == embed
