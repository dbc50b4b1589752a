"""Where the organizers set up no e-mail, nobody is offered a reset link."""


def test_without_mail_the_page_says_to_ask_the_unit_manager(client):
    assert "/auth/forgot" not in client.get("/auth/login").text
    page = client.get("/auth/forgot")
    assert page.status_code == 200 and "cán bộ đầu mối" in page.text
    assert 'name="email"' not in page.text
    assert client.post("/auth/forgot", data={"email": "a@example.vn"}).status_code == 404
