import pytest
from django.core import mail

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

NEW = "lighthouse-harbour-77"


def test_reset_request_for_an_unknown_email_answers_like_a_known_one(
    client, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/en/account/password-reset/", {"email": citizen.email})
        unknown = client.post("/en/account/password-reset/", {"email": "nobody@example.org"})

    assert known["Location"] == unknown["Location"] == "/en/account/password-reset/sent/"
    assert [message.to for message in mail.outbox] == [[citizen.email]]


def test_the_emailed_link_sets_a_new_password_once(
    client, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/account/password-reset/", {"email": citizen.email})
    link = relative(link_in_last_email("/account/password-reset/"))

    form = client.get(link)
    response = client.post(link, {"new_password": NEW})
    again = client.get(link)

    assert form.status_code == 200
    assert response["Location"] == "/en/account/sign-in/"
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)
    assert again.status_code == 400


def test_a_weak_new_password_is_shown_next_to_its_field(
    client, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/account/password-reset/", {"email": citizen.email})
    link = relative(link_in_last_email("/account/password-reset/"))

    response = client.post(link, {"new_password": "123"})

    assert 'id="id_new_password_error"' in response.content.decode()


def test_a_forged_reset_link_is_refused(client, citizen):
    response = client.get(f"/en/account/password-reset/{citizen.public_id}/forged-token/")

    assert response.status_code == 400
