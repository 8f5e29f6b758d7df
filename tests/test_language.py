"""Chinese by default whatever the browser says; English when the user picks it."""

from django.conf import settings
from django.test import Client


def test_it_speaks_chinese_to_an_english_browser(db):
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.headers["Content-Language"] == "zh-hans"


def test_it_speaks_english_when_the_user_chose_it(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/")

    assert response.headers["Content-Language"] == "en"


def test_it_ignores_an_unknown_language_cookie(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"

    assert client.get("/").headers["Content-Language"] == "zh-hans"
