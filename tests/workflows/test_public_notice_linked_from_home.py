"""Anyone can find the public notice (公示) from the home page: an objection is only
possible for someone who finds the list."""


def test_it_links_the_public_notice_from_the_home_page(client, db):
    page = client.get("/").content.decode()

    assert 'href="/gongshi/"' in page and "就业补贴公示" in page
    assert client.get("/gongshi/").status_code == 200
