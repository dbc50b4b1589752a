"""The unit search behind the registration and profile pickers: the server finds a few
units, the pages never list them all."""

import pytest

from question_bank.tabular import fold
from quiz.auth.views import UNIT_LIST_SIZE, UNIT_SEARCH_SIZE
from quiz.extensions import db
from quiz.models import Unit, User
from quiz.unit_tree import recompute_paths
from tests.auth.test_register import form, users


@pytest.fixture
def province(make_unit):
    root = make_unit(name="Tỉnh Quảng Ngãi", kind="province", code="QNG")
    make_unit(root, name="Xã Bình Sơn", code="QNG-BS")
    make_unit(root, name="Phường Cẩm Thành", code="QNG-CT")
    return root


def add_communes(root: Unit, n: int) -> None:
    """n communes under root, in one flush (the factory commits one at a time)."""
    for i in range(n):
        name = f"Xã Thử Nghiệm Số {i}"
        db.session.add(
            Unit(
                code=f"T{i:05d}",
                name=name,
                name_search=fold(name),
                kind="commune",
                parent_id=root.id,
            )
        )
    db.session.flush()
    recompute_paths()
    db.session.commit()


def search(client, q):
    response = client.get("/auth/units/search", query_string={"q": q})
    assert response.status_code == 200
    return response


def test_search_folds_accents_and_labels_each_unit_with_its_path(client, province):
    response = search(client, "binh son")
    unit = db.session.execute(db.select(Unit).filter_by(code="QNG-BS")).scalar_one()
    assert response.json == {
        "units": [
            {
                "id": unit.id,
                "code": "QNG-BS",
                "name": "Xã Bình Sơn",
                "label": "Tỉnh Quảng Ngãi › Xã Bình Sơn",
            }
        ],
        "more": False,
    }
    # Typed with accents, in capitals, or words in another order: the same unit.
    for q in ("Bình Sơn", "BÌNH SƠN", "son binh", "  xa   binh "):
        assert [u["code"] for u in search(client, q).json["units"]] == ["QNG-BS"], q


def test_search_finds_a_code_and_puts_the_exact_one_first(client, province, make_unit):
    make_unit(province, name="Xã Bình Sơn Đông", code="QNG-BS2")
    assert [u["code"] for u in search(client, "qng-bs").json["units"]] == ["QNG-BS", "QNG-BS2"]
    assert [u["code"] for u in search(client, "QNG-CT").json["units"]] == ["QNG-CT"]
    # The province itself: its label is its own name.
    assert search(client, "quang ngai").json["units"][0]["label"] == "Tỉnh Quảng Ngãi"


def test_search_answers_a_few_units_and_says_there_are_more(client, province):
    add_communes(province, 60)
    data = search(client, "thu nghiem").json
    assert len(data["units"]) == UNIT_SEARCH_SIZE and data["more"] is True
    # Each word in the name or the code: "Số 5", "Số 50" … "Số 59" first (their names hold
    # "so 5"), then codes T00015 … T00045.
    data = search(client, "so 5").json
    names = [u["name"] for u in data["units"]]
    assert len(names) == 15 and data["more"] is False
    assert names[:11] == [f"Xã Thử Nghiệm Số {n}" for n in (5, *range(50, 60))]


@pytest.mark.parametrize("q", ["", "   ", "%", "_", "\\", "x" * 5000, "'; drop table unit; --"])
def test_search_of_nothing_or_odd_text_finds_nothing_and_never_fails(client, province, q):
    assert search(client, q).json == {"units": [], "more": False}


def test_search_is_public_and_cacheable_for_a_short_time(client, province, make_user, login):
    response = search(client, "binh")
    assert response.headers["Cache-Control"] in ("public, max-age=60", "max-age=60, public")
    assert "Set-Cookie" not in response.headers
    login(make_user(province))
    assert "public" in search(client, "binh").headers["Cache-Control"]


def test_registration_page_size_does_not_grow_with_the_number_of_units(client, province):
    small = client.get("/auth/register").text
    add_communes(province, 3000)
    large = client.get("/auth/register").text
    assert abs(len(large) - len(small)) < 100
    assert large.count("<option") == 1  # "— Chọn đơn vị —" alone: nothing typed yet
    assert "Xã Thử Nghiệm" not in large


def test_search_without_javascript_lists_at_most_a_page_of_matches(client, province):
    add_communes(province, 3000)
    response = client.post(
        "/auth/register",
        data=form(province, unit_query="thu nghiem", search_unit="Tìm đơn vị", unit_id="0"),
    )
    assert response.status_code == 200
    page = response.text
    assert page.count("<option") == UNIT_LIST_SIZE + 1
    assert f"Có hơn {UNIT_LIST_SIZE} đơn vị phù hợp" in page
    assert 'value="thu nghiem"' in page and "Trần Thị Mai" in page
    assert len(page) < 20_000
    assert users() == []


def test_the_chosen_unit_stays_listed_when_the_search_changes(client, province):
    chosen = db.session.execute(db.select(Unit).filter_by(code="QNG-BS")).scalar_one()
    page = client.post(
        "/auth/register",
        data=form(chosen, unit_query="cam thanh", search_unit="Tìm đơn vị"),
    ).text
    assert f'<option value="{chosen.id}" selected>Tỉnh Quảng Ngãi › Xã Bình Sơn</option>' in page
    assert "Tỉnh Quảng Ngãi › Phường Cẩm Thành" in page


def test_registration_takes_any_existing_unit_not_only_a_listed_one(client, province):
    add_communes(province, 100)
    far = db.session.execute(db.select(Unit).filter_by(code="T00099")).scalar_one()
    response = client.post("/auth/register", data=form(far, unit_query=""))
    assert response.status_code == 302
    assert [u.unit_id for u in users()] == [far.id]


def test_profile_search_without_javascript_keeps_the_current_unit(
    client, province, make_user, login
):
    home = db.session.execute(db.select(Unit).filter_by(code="QNG-CT")).scalar_one()
    person = make_user(home)
    login(person)
    page = client.get("/auth/profile").text
    assert page.count("<option") == 2
    assert f'<option value="{home.id}" selected>Tỉnh Quảng Ngãi › Phường Cẩm Thành' in page
    page = client.post(
        "/auth/profile",
        data={
            "full_name": person.full_name,
            "email": person.email,
            "group": "staff",
            "unit_id": str(home.id),
            "unit_query": "binh son",
            "search_unit": "Tìm đơn vị",
        },
    ).text
    assert "Tỉnh Quảng Ngãi › Xã Bình Sơn" in page
    assert f'<option value="{home.id}" selected>' in page
    assert db.session.get(User, person.id).unit_id == home.id
