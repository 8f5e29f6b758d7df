"""Signing in lands every demo user on their own home, and every link of the staff
navigation they are shown opens (none answers 403)."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from demo.staff import USERS, seed_users
from tests.factories import claimant, file_case

pytestmark = pytest.mark.django_db

PASSWORD = "demo-pass-2024"

# Where each demo user lands: written out from the roles, not from config.navigation.
HOMES = {
    "inspector1": "/workbench/",
    "inspector1b": "/workbench/",
    "mediator1": "/workbench/",
    "arbitrator1": "/workbench/",
    "inspector2": "/workbench/",
    "inspector2b": "/workbench/",
    "mediator2": "/workbench/",
    "arbitrator2": "/workbench/",
    "supervisor": "/workbench/",
    "township1": "/subsidies/",
    "township1b": "/subsidies/",
    "county": "/subsidies/",
    "finance": "/subsidies/",
    "screen": "/screen/",
    "admin": "/workbench/",
}


class NavLinks(HTMLParser):
    """The hrefs inside every <nav> of a page."""

    def __init__(self):
        super().__init__()
        self.depth, self.links = 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "nav":
            self.depth += 1
        elif tag == "a" and self.depth:
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self.depth -= 1


def nav_links(html: str) -> list[str]:
    parser = NavLinks()
    parser.feed(html)
    return parser.links


@pytest.fixture
def demo_users(settings, reference_data):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_users(PASSWORD)
    file_case(claimants=[claimant(0)])
    file_case(township="zhaokang", claimants=[claimant(1)])


def sign_in(client, username, **extra):
    return client.post(
        "/accounts/login/", {"username": username, "password": PASSWORD, **extra}, follow=True
    )


def test_it_knows_every_demo_user():
    assert {username for username, *_ in USERS} == set(HOMES)


@pytest.mark.parametrize("username", sorted(HOMES))
def test_it_lands_each_role_on_its_home_and_shows_only_links_it_may_open(demo_users, username):
    client = Client()

    response = sign_in(client, username)

    assert response.redirect_chain[-1][0] == HOMES[username]
    assert response.status_code == 200
    links = [link for link in nav_links(response.content.decode()) if not link.startswith("?")]
    assert links or HOMES[username] == "/screen/"  # the wall display has no staff bar
    for link in links:
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize(
    ("username", "nav"),
    [
        ("inspector1", ["/workbench/", "/alerts/", "/enforcement/blacklist/", "/screen/"]),
        (
            "supervisor",
            [
                "/workbench/",
                "/subsidies/",
                "/employment/",
                "/alerts/",
                "/reports/",
                "/enforcement/blacklist/",
                "/screen/",
            ],
        ),
        ("township1", ["/subsidies/", "/alerts/", "/reports/", "/screen/"]),
        ("screen", ["/alerts/", "/screen/"]),
        (
            "admin",
            [
                "/workbench/",
                "/subsidies/",
                "/employment/",
                "/alerts/",
                "/reports/",
                "/enforcement/blacklist/",
                "/screen/",
                "/admin/",
            ],
        ),
    ],
)
def test_it_shows_the_staff_bar_with_only_the_roles_sections(demo_users, username, nav):
    client = Client()
    sign_in(client, username)

    html = client.get("/alerts/").content.decode()

    bar = html[html.index('<header class="topbar">') : html.index("</header>")]
    assert nav_links(bar) == nav


def test_it_follows_a_safe_next(demo_users):
    response = sign_in(Client(), "county", next="/subsidies/applications/")

    assert response.redirect_chain[-1][0] == "/subsidies/applications/"


def test_it_ignores_a_next_on_another_site(demo_users):
    response = sign_in(Client(), "finance", next="https://evil.example/steal")

    assert response.redirect_chain[-1][0] == "/subsidies/"


def test_it_goes_home_instead_of_a_next_the_role_may_not_open(demo_users):
    response = sign_in(Client(), "screen", next="/workbench/")

    assert response.redirect_chain[-1][0] == "/screen/"
    assert response.status_code == 200
