"""Server-rendered SVG bar charts: readable without JavaScript, announced as one image.

Every piece of text that goes into the SVG (title, description, labels, legend, values) is
escaped here, so a unit called "<Ban> & Co" can never become markup; the caller gets a
Markup string that templates output as is.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Dark enough for text-level contrast on white (WCAG AA) and told apart by the legend too.
PALETTE = ("#0b4fa3", "#a3161c", "#17612c", "#6b3fa0")

# Narrow on purpose: scaled down to a 360 px phone, the text stays readable. Each category's
# label sits on its own line above its bars, so long names (group and unit names) fit.
WIDTH = 480
PAD = 4
VALUE_WIDTH = 64  # room for the value written after the longest bar
LABEL_LINE = 18
BAR_HEIGHT = 16
BAR_GAP = 3
GROUP_GAP = 10
LEGEND_LINE = 20
FONT = 'font-family="Noto Sans, Segoe UI, Roboto, Arial, sans-serif" font-size="13"'
TEXT = "#1b1f24"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _plain(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if value == int(value) else f"{value:,.1f}"


def _coord(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    description: str = "",
    fmt: Callable[[float], str] = _plain,
) -> Markup:
    """A horizontal bar chart, one row per category and one bar per series, as inline SVG."""
    legend = LEGEND_LINE * len(series) + 4 if len(series) > 1 else 0
    per_group = LABEL_LINE + len(series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    height = legend + max(len(categories), 1) * per_group + PAD
    biggest = max((v for s in series for v in s.values), default=0) or 1
    span = WIDTH - 2 * PAD - VALUE_WIDTH
    cid = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
        f"<g {FONT}>",
    ]
    if len(series) > 1:
        for n, s in enumerate(series):
            color = PALETTE[n % len(PALETTE)]
            y = PAD + n * LEGEND_LINE
            parts.append(f'<rect x="{PAD}" y="{y}" width="14" height="14" fill="{color}"/>')
            parts.append(f'<text x="{PAD + 20}" y="{y + 12}" fill="{TEXT}">{escape(s.name)}</text>')
    if not categories:
        parts.append(f'<text x="{PAD}" y="{legend + 14}" fill="{TEXT}">0</text>')
    for row, label in enumerate(categories):
        y0 = legend + row * per_group
        parts.append(
            f'<text x="{PAD}" y="{y0 + 13}" fill="{TEXT}" font-weight="600">{escape(label)}</text>'
        )
        for n, s in enumerate(series):
            value = s.values[row] if row < len(s.values) else 0
            y = y0 + LABEL_LINE + n * (BAR_HEIGHT + BAR_GAP)
            width = span * max(value, 0) / biggest
            color = PALETTE[n % len(PALETTE)]
            parts.append(
                f'<rect x="{PAD}" y="{y}" width="{_coord(width)}" '
                f'height="{BAR_HEIGHT}" fill="{color}"/>'
            )
            parts.append(
                f'<text x="{_coord(PAD + width + 6)}" y="{y + BAR_HEIGHT - 3}" '
                f'fill="{TEXT}">{escape(fmt(value))}</text>'
            )
    parts.append("</g></svg>")
    # Safe: every interpolated text above went through escape().
    return Markup("".join(parts))  # noqa: S704
