"""A signed-in citizen's menu leads to their requests and their notifications."""

from __future__ import annotations


def _main_menu(response) -> str:
    html: str = response.content.decode()
    start = html.index('<nav class="main-nav"')
    return html[start : html.index("</nav>", start)]


def test_signed_in_menu_links_to_my_requests_and_notifications(client, citizen):
    client.force_login(citizen)

    response = client.get("/fr/")

    html = _main_menu(response)
    assert 'href="/fr/requests/"' in html
    assert 'href="/fr/notifications/"' in html
    assert "Mes demandes" in html


def test_anonymous_menu_has_no_personal_links(client, db):
    response = client.get("/en/")

    html = _main_menu(response)
    assert 'href="/en/requests/"' not in html
    assert 'href="/en/notifications/"' not in html
