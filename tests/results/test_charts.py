"""The SVG charts and the Vietnamese sort key: pure functions, no database."""

import random
import xml.etree.ElementTree as ET

from quiz.results.charts import Series, bar_chart
from quiz.results.exports import vi_sort_key

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg) -> ET.Element:
    # Our own chart's markup, parsed to prove it is well-formed XML.
    return ET.fromstring(str(svg))  # noqa: S314


def test_chart_is_valid_svg_announced_as_one_image():
    svg = bar_chart(
        "chart-days",
        "Tham gia theo ngày",
        ["01/10/2026", "02/10/2026"],
        [Series("Cán bộ", [3, 10]), Series("Nhân dân", [0, 4])],
        description="Số người nộp bài lần đầu mỗi ngày.",
    )
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-days-title chart-days-desc"
    assert root.find(f"{SVG}title").get("id") == "chart-days-title"
    assert root.find(f"{SVG}title").text == "Tham gia theo ngày"
    assert root.find(f"{SVG}desc").get("id") == "chart-days-desc"
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "16"]
    assert len(bars) == 4
    widths = [float(b.get("width")) for b in bars]
    # Row by row, a bar per series: 3, 0 on the first day, 10, 4 on the second.
    assert max(widths) == widths[2] and widths[1] == 0 and widths[0] > 0
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"01/10/2026", "02/10/2026", "Cán bộ", "Nhân dân", "10"} <= set(texts)


def test_chart_escapes_every_label():
    label = 'Phòng <b>"A&B"</b> <script>alert(1)</script>'
    svg = str(
        bar_chart(
            "c<1>",
            "Đơn vị <Thử>",
            [label],
            [Series("Nhóm <x>", [5])],
            description="a < b & c",
        )
    )
    assert "<b>" not in svg and "<script>" not in svg
    root = parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert label in texts
    assert root.find(f"{SVG}title").text == "Đơn vị <Thử>"
    assert root.find(f"{SVG}desc").text == "a < b & c"


def test_chart_without_data_is_still_valid_svg():
    root = parse(bar_chart("empty", "Chưa có dữ liệu", [], [Series("A", [])]))
    assert root.get("role") == "img"


def test_vietnamese_sort_key_orders_like_the_icu_collation():
    # The order PostgreSQL gives with COLLATE "vi-x-icu".
    expected = [
        "an",
        "An",
        "An Bình",
        "Anh",
        "Ăn",
        "Ân",
        "Bình",
        "Dung",
        "Dương",
        "Đà Nẵng",
        "Đinh",
        "En",
        "Ex",
        "Êm",
        "Ma",
        "Mà",
        "Mả",
        "Mã",
        "Má",
        "Mạ",
        "Mai",
        "Mạnh",
        "Oanh",
        "Ô",
        "Ơ",
        "Uy",
        "Ư",
        "Vy",
        "Zê",
    ]
    shuffled = expected[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=vi_sort_key) == expected
