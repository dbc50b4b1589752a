"""A database that cannot be reached answers 503 with Retry-After, never a 500."""

from tests.conftest import make_test_app

# Nothing listens on port 1: every connection is refused at once.
UNREACHABLE = "postgresql+psycopg://quiz:quiz@127.0.0.1:1/quiz?connect_timeout=2"


def test_an_unreachable_database_is_a_503_with_retry_after():
    app = make_test_app(UNREACHABLE)
    client = app.test_client()
    api = client.get("/api/v1/rounds/1/units")
    assert api.status_code == 503
    assert api.headers["Retry-After"] == "5"
    assert api.json["error"]["code"] == "service_unavailable"
    page = client.get("/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "vui lòng thử lại sau ít giây" in page.text
    client.set_cookie("lang", "en")
    assert "try again in a few seconds" in client.get("/").text


def test_a_wrong_method_on_a_page_is_a_405_naming_the_allowed_ones(client):
    response = client.put("/auth/login")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
