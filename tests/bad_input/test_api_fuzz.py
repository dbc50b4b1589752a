"""Every JSON endpoint of DESIGN §5, fuzzed by schemathesis from the OpenAPI document
the app serves: valid and invalid bodies, paths and query strings, as an anonymous
visitor, a contestant with an open attempt and an admin. Never a 5xx."""

import pytest
import schemathesis
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

import tests.fuzz  # noqa: F401  (loads the Hypothesis profile)
from tests.bad_input.site import big_site
from tests.factories import PASSWORD


@pytest.fixture
def schema(web_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", web_app)


def session_cookie(web_app, user) -> dict[str, str]:
    if user is None:
        return {}
    client = web_app.test_client()
    response = client.post("/auth/login", data={"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return {"session": client.get_cookie("session").value}


def test_the_openapi_document_lists_every_api_route(client, web_app):
    document = client.get("/api/v1/openapi.json").json
    documented = {
        (method.upper(), path) for path, ops in document["paths"].items() for method in ops
    }
    for rule in web_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, path) in documented, (method, path)


@pytest.mark.parametrize("role", ["anonymous", "contestant", "admin"])
def test_no_api_request_answers_a_server_error(app, web_app, schema, role):
    site = big_site()
    user = {"anonymous": None, "contestant": site.contestant, "admin": site.admin}[role]
    cookies = session_cookie(web_app, user)
    strategies = [
        result.ok().as_strategy(generation_mode=mode)
        for result in schema.get_all_operations()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]

    @settings(max_examples=settings.default.max_examples * 4)
    @given(case=st.one_of(strategies))
    def no_server_error(case):
        response = case.call(cookies=cookies)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} {case.query} {case.body!r} → "
            f"{response.status_code}"
        )

    no_server_error()
