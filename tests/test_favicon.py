"""Every page has an icon: /favicon.ico answers, and the page shells link it."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_serves_favicon_ico(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert "max-age" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_the_public_pages_link_the_icons(client, path):
    page = client.get(path).content.decode()

    assert '<link rel="icon" href="/favicon.ico"' in page
    assert 'href="/static/img/favicon.svg" type="image/svg+xml"' in page


def test_the_staff_shell_and_the_screen_link_the_icons(client, django_user_model):
    from tests.factories import staff

    client.force_login(staff("icon_sup", "supervisor", townships=(), county_level=True))
    for path in ("/workbench/", "/screen/"):
        page = client.get(path).content.decode()
        assert '<link rel="icon" href="/favicon.ico"' in page, path
