"""Scores and points are written in the reader's locale: 68,5 in Vietnamese, 68.5 in English."""

import pytest
from flask import render_template_string


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("vi", "68,5|7,5|40|1.234,57|—"), ("en", "68.5|7.5|40|1,234.57|—")],
)
def test_score_and_points_filters_follow_the_locale(app, lang, expected):
    with app.test_request_context(headers={"Cookie": f"lang={lang}"}):
        text = render_template_string(
            "{{ 68.5|score }}|{{ 15|points }}|{{ 80|points }}|{{ 1234.567|score }}|{{ none|score }}"
        )
    assert text == expected
