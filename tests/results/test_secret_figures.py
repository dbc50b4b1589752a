"""No public surface tells a round's score figures before its results are published.

The perfect-score count is the figure the prediction question asks for; a mean score per
unit that changes with each submission gives it away one submission at a time.
"""

import io
import re

import pytest
from openpyxl import load_workbook

from quiz.extensions import db
from quiz.results import publication
from tests.factories import now
from tests.results.conftest import add_attempt
from tests.sheets import header_row

# "8/10", "8,5/10": a mean or a score out of the round's ten questions.
SCORE = re.compile(r"(?<![\d/])\d+(?:[.,]\d+)?/10\b(?!/)")  # not a date (01/10/2026)
BANDS = ("bucket-full", "Từ 75 % đến dưới 100 %")


@pytest.fixture
def scene(round_, unit, make_user, make_unit):
    manager = make_user(unit, role="unit_manager", full_name="Đầu Mối Sở")
    for n, correct in enumerate((10, 10, 7)):
        person = make_user(unit, full_name=f"Người Thi {n}")
        add_attempt(round_, person, correct=correct, prediction=3, submitted=n)
    return {"round": round_, "unit": unit, "manager": manager}


def _public_surfaces(c, round_, unit) -> dict[str, str]:
    """Every surface a non-admin can reach that is about this round, as text."""
    slug = round_.contest.slug
    pages = {
        "api units": c.get(f"/api/v1/rounds/{round_.id}/units"),
        "api units by kind": c.get(f"/api/v1/rounds/{round_.id}/units?kind=department"),
        "api units by parent": c.get(f"/api/v1/rounds/{round_.id}/units?parent=TINH"),
        "api leaderboard": c.get(f"/api/v1/rounds/{round_.id}/leaderboard"),
        "units page": c.get(f"/rounds/{round_.id}/units"),
        "results page": c.get(f"/rounds/{round_.id}/results"),
        "contest units page": c.get(f"/contests/{slug}/units"),
        "contest page": c.get(f"/contests/{slug}"),
        "home": c.get("/"),
    }
    return {name: r.get_data(as_text=True) for name, r in pages.items()}


def _api_means(c, round_) -> list:
    rows = c.get(f"/api/v1/rounds/{round_.id}/units").json["units"]
    assert rows and all("mean_score" in r for r in rows)  # the §5 field stays
    return [r["mean_score"] for r in rows]


@pytest.mark.parametrize("who", ["anonymous", "contestant", "manager"])
def test_no_public_surface_shows_a_score_figure_before_publication(
    client_for, scene, make_user, who
):
    round_, unit = scene["round"], scene["unit"]
    user = {"anonymous": None, "contestant": make_user(unit), "manager": scene["manager"]}[who]
    c = client_for(user)
    assert set(_api_means(c, round_)) == {None}
    for name, text in _public_surfaces(c, round_, unit).items():
        assert not SCORE.search(text), name
        assert ">Điểm trung bình</th>" not in text, name
        for band in BANDS:
            assert band not in text, (name, band)
    if who == "manager":
        dashboard = c.get(f"/manager/?round={round_.id}").text
        assert not SCORE.search(dashboard)
        export = c.get(f"/manager/export.xlsx?round={round_.id}")
        sheet = load_workbook(io.BytesIO(export.data)).active
        headers = [cell.value for cell in sheet[header_row(sheet)]]
        assert "Họ và tên" in headers and "Số câu đúng" not in headers


def test_public_units_answer_is_cacheable_only_without_secret_figures(client_for, scene, admin):
    round_ = scene["round"]
    public = client_for(None).get(f"/api/v1/rounds/{round_.id}/units")
    assert public.headers["Cache-Control"] == "public, max-age=30"
    # Admins see the figures at once, in an answer no shared cache may keep.
    staff = client_for(admin).get(f"/api/v1/rounds/{round_.id}/units")
    assert {r["mean_score"] for r in staff.json["units"]} - {None}
    assert "no-store" in staff.headers["Cache-Control"]
    assert "public" not in staff.headers["Cache-Control"]
    assert SCORE.search(client_for(admin).get(f"/rounds/{round_.id}/units").text)


def test_score_figures_are_public_once_results_are_published(client_for, scene):
    round_ = scene["round"]
    publication.publish(round_, actor=None, now=now())
    db.session.expire_all()
    c = client_for(None)
    means = _api_means(c, round_)
    assert 9.0 in means
    assert "9/10" in c.get(f"/rounds/{round_.id}/units").text
    assert "bucket-full" in c.get(f"/rounds/{round_.id}/results").text


# ---- names: prize winners only, unless the round publishes every name ----

FIELDS = {"rank", "full_name", "unit_code", "correct_count", "duration_seconds", "prediction"}


def _publish_with_one_prize(round_, publish_all_names: bool) -> None:
    round_.prize_counts = {"staff": {"first": 1}}
    round_.publish_all_names = publish_all_names
    db.session.commit()
    publication.publish(round_, actor=None, now=now())
    db.session.expire_all()


def test_published_results_name_only_the_prize_winners_by_default(client_for, scene, admin):
    round_ = scene["round"]
    _publish_with_one_prize(round_, False)
    anonymous = client_for(None)
    entries = anonymous.get(f"/api/v1/rounds/{round_.id}/leaderboard").json["entries"]
    assert len(entries) == 3 and all(FIELDS | {"prize"} <= set(e) for e in entries)
    assert [(e["full_name"], e["prize"]) for e in entries] == [
        ("Người Thi 0", "first"),
        (None, None),
        (None, None),
    ]
    page = anonymous.get(f"/rounds/{round_.id}/results").text
    assert "Người Thi 0" in page
    assert "Người Thi 1" not in page and "Người Thi 2" not in page
    # Admins see every name, on the API and on the page.
    staff = client_for(admin)
    names = [
        e["full_name"] for e in staff.get(f"/api/v1/rounds/{round_.id}/leaderboard").json["entries"]
    ]
    assert names == ["Người Thi 0", "Người Thi 1", "Người Thi 2"]
    assert "Người Thi 2" in staff.get(f"/rounds/{round_.id}/results").text


def test_a_round_may_choose_to_publish_every_name(client_for, scene, admin):
    from tests.results.conftest import prize_data

    round_ = scene["round"]
    staff = client_for(admin)
    saved = staff.post(
        f"/admin/rounds/{round_.id}/prizes",
        data=prize_data(staff_first="1", publish_all_names="y"),
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert round_.publish_all_names
    publication.publish(round_, actor=None, now=now())
    entries = client_for(None).get(f"/api/v1/rounds/{round_.id}/leaderboard").json["entries"]
    assert [e["full_name"] for e in entries] == ["Người Thi 0", "Người Thi 1", "Người Thi 2"]
