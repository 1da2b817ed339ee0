"""A signed-in citizen's menu leads to their requests and their notifications."""

from __future__ import annotations

from cityhall.notifications.tests.factories import inbox_notification


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


def test_the_notifications_link_says_how_many_are_unread_in_words(client, citizen):
    inbox_notification(citizen, "first")
    inbox_notification(citizen, "second")
    inbox_notification(citizen, "seen", read=True)
    client.force_login(citizen)

    english = _main_menu(client.get("/en/"))
    french = _main_menu(client.get("/fr/"))

    assert 'Notifications (2<span class="visually-hidden"> unread</span>)' in english
    assert 'href="/fr/notifications/">Notifications (2<span class="visually-hidden">' in french


def test_the_notifications_link_shows_no_count_when_everything_is_read(client, citizen):
    inbox_notification(citizen, "seen", read=True)
    client.force_login(citizen)

    html = _main_menu(client.get("/en/"))

    assert ">Notifications</a>" in html
    assert "unread" not in html


def test_the_folded_menu_button_says_how_many_are_unread_too(client, citizen):
    inbox_notification(citizen, "first")
    client.force_login(citizen)

    html = _main_menu(client.get("/en/"))

    assert 'Menu (1<span class="visually-hidden"> unread</span>)</button>' in html
