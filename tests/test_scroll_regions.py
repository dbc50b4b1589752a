"""Every sideways-scrolling table container is a labelled region the keyboard can reach
(axe: scrollable-region-focusable), in every template, not only the pages a browser test opens."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
WRAP = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-wrap\b[^\"]*\"[^>]*>")


def test_every_table_wrap_is_a_focusable_labelled_region():
    found, bad = 0, []
    for path in TEMPLATES.rglob("*.html"):
        for tag in WRAP.findall(path.read_text(encoding="utf-8")):
            found += 1
            labelled = "aria-label=" in tag or "aria-labelledby=" in tag
            if not ('tabindex="0"' in tag and 'role="region"' in tag and labelled):
                bad.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert found > 20
    assert bad == []
