import pytest
from django.core import mail

from cityhall.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    immediate_tasks,
    link_in_last_email,
    relative,
    sign_in_pauses,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]

SIGN_IN = "/en/account/sign-in/"


def _sign_in(client, email, password, **extra):
    return client.post(SIGN_IN, {"email": email, "password": password}, **extra)


def test_the_right_password_signs_in_and_opens_my_requests(client, citizen):
    response = _sign_in(client, citizen.email, DEFAULT_PASSWORD)

    assert response["Location"] == "/en/requests/"
    assert client.get("/en/requests/").status_code == 200


def test_a_french_sign_in_opens_my_requests_in_french(client, citizen):
    response = client.post(
        "/fr/account/sign-in/", {"email": citizen.email, "password": DEFAULT_PASSWORD}
    )

    assert response["Location"] == "/fr/requests/"


def test_sign_in_returns_to_a_local_next_address_but_not_to_another_site(client, citizen):
    local = client.post(
        SIGN_IN + "?next=/en/privacy/", {"email": citizen.email, "password": DEFAULT_PASSWORD}
    )
    client.logout()
    foreign = client.post(
        SIGN_IN + "?next=https://evil.example/",
        {"email": citizen.email, "password": DEFAULT_PASSWORD},
    )

    assert local["Location"] == "/en/privacy/"
    assert foreign["Location"] == "/en/requests/"


def test_unknown_email_gets_the_same_answer_as_a_known_one(client, citizen):
    known = _sign_in(client, citizen.email, "wrong password")
    unknown = _sign_in(client, "nobody@example.org", "wrong password")

    assert known.status_code == unknown.status_code == 200
    message = "The email address or password is not right."
    assert message in known.content.decode()
    assert message in unknown.content.decode()


def test_the_fifth_failure_locks_sign_in_with_a_neutral_message(client, citizen, settings):
    settings.SIGN_IN_MAX_FAILURES = 5
    for _ in range(4):
        _sign_in(client, citizen.email, "wrong password")

    locked = _sign_in(client, citizen.email, "wrong password")
    still_locked = _sign_in(client, citizen.email, DEFAULT_PASSWORD)

    assert locked.status_code == still_locked.status_code == 429
    assert "Too many attempts to sign in" in still_locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_unconfirmed_account_cannot_sign_in_with_a_password(client):
    user = UserFactory(email_verified_at=None)

    response = _sign_in(client, user.email, DEFAULT_PASSWORD)

    assert "The email address or password is not right." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_sign_in_link_is_emailed_and_signs_in_once(
    client, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        requested = client.post("/en/account/sign-in/link/", {"email": citizen.email})
    link = relative(link_in_last_email("/account/sign-in/link/"))

    landing = client.get(link)
    used = client.post(link)
    client.logout()
    reopened = client.get(link)
    reused = client.post(link)

    assert requested["Location"] == "/en/account/sign-in/link/sent/"
    assert landing.status_code == 200
    assert "_auth_user_id" not in client.session
    assert used["Location"] == "/en/requests/"
    assert reopened.status_code == reused.status_code == 400


def test_a_link_request_for_an_unknown_email_answers_like_a_known_one(
    client, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/en/account/sign-in/link/", {"email": citizen.email})
        unknown = client.post("/en/account/sign-in/link/", {"email": "nobody@example.org"})

    assert known["Location"] == unknown["Location"]
    assert [message.to for message in mail.outbox] == [[citizen.email]]


def test_sign_out_needs_a_post_and_ends_the_session(client, citizen):
    client.force_login(citizen)

    refused = client.get("/en/account/sign-out/")
    response = client.post("/en/account/sign-out/")

    assert refused.status_code == 405
    assert response["Location"] == "/en/"
    assert "_auth_user_id" not in client.session
