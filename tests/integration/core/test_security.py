"""Security by default: headers, cookies, error pages that leak nothing."""

from __future__ import annotations

from flask import Blueprint

from govtrack import create_app
from tests.fixtures.factories import TEST_PASSWORD


def test_every_page_carries_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_only_inline_script_carries_the_nonce(client):
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.text


def test_session_cookie_is_httponly_and_samesite(actions, make_user):
    user = make_user()
    response = actions.sign_in(user.email, TEST_PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in development


def test_session_cookie_is_secure_over_https(app, make_user):
    client = app.test_client()
    user = make_user()
    page = client.get("/sign-in", base_url="https://govtrack.example")
    from tests.fixtures.actions import csrf_token

    response = client.post(
        "/sign-in",
        base_url="https://govtrack.example",
        headers={"Referer": "https://govtrack.example/sign-in"},  # checked for HTTPS posts
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_unknown_page_gets_a_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_unknown_record_gets_a_404(client):
    assert client.get("/partners/999999").status_code == 404
    assert client.get("/bodies/999999").status_code == 404


def test_an_unexpected_error_shows_a_500_page_that_leaks_nothing(database_url):
    app = create_app({"DATABASE_URL": database_url})
    boom = Blueprint("boom", __name__)

    @boom.route("/boom")
    def explode():
        raise RuntimeError("secret database detail")

    app.register_blueprint(boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "secret database detail" not in response.text
    assert "Traceback" not in response.text


def test_api_style_requests_get_json_errors(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["status"] == 404
    assert response.json["message"]
