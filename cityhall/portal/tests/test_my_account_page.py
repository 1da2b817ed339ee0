import pytest

from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.accounts.tests.fixtures import empty_cache, immediate_tasks, sign_in_pauses  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]

ACCOUNT = "/en/account/"
NEW = "lighthouse-harbour-77"


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(ACCOUNT)

    assert response["Location"] == "/en/account/sign-in/?next=/en/account/"


def test_the_account_page_shows_the_citizens_details(client, citizen):
    client.force_login(citizen)

    html = client.get(ACCOUNT).content.decode()

    assert citizen.email in html
    assert 'value="Camille Tremblay"' in html


def test_a_citizen_saves_their_name_and_language(client, citizen):
    client.force_login(citizen)

    response = client.post(
        ACCOUNT, {"details-full_name": "Camille T.", "details-preferred_language": "fr"}
    )

    citizen.refresh_from_db()
    assert response["Location"] == ACCOUNT
    assert (citizen.full_name, citizen.preferred_language) == ("Camille T.", "fr")


def test_an_unknown_language_is_shown_next_to_its_field(client, citizen):
    client.force_login(citizen)

    response = client.post(ACCOUNT, {"details-full_name": "", "details-preferred_language": "xx"})

    assert 'id="id_details-preferred_language_error"' in response.content.decode()


def test_changing_the_password_keeps_the_citizen_signed_in(client, citizen):
    client.force_login(citizen)

    response = client.post(
        "/en/account/password/",
        {"password-current_password": DEFAULT_PASSWORD, "password-new_password": NEW},
    )

    citizen.refresh_from_db()
    assert response["Location"] == ACCOUNT
    assert citizen.check_password(NEW)
    assert client.get(ACCOUNT).status_code == 200


def test_a_wrong_current_password_is_shown_next_to_its_field(client, citizen):
    client.force_login(citizen)

    response = client.post(
        "/en/account/password/",
        {"password-current_password": "wrong", "password-new_password": NEW},
    )

    assert 'id="id_password-current_password_error"' in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(DEFAULT_PASSWORD)
