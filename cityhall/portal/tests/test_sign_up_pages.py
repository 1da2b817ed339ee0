import pytest
from django.core import mail
from django.test import Client

from cityhall.accounts.models import User
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

SIGN_UP = "/en/account/sign-up/"
STRONG = "maple-syrup-canoe-42"


def _sign_up(client, email, password=STRONG):
    return client.post(
        SIGN_UP,
        {
            "full_name": "Nadia Roy",
            "email": email,
            "password": password,
            "preferred_language": "en",
        },
    )


def test_the_sign_up_form_labels_every_field_with_autocomplete_hints(client):
    response = client.get(SIGN_UP)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_email">' in html
    assert 'autocomplete="new-password"' in html
    assert 'autocomplete="email"' in html
    assert 'aria-describedby="id_password_helptext"' in html


def test_signing_up_sends_a_confirmation_link_and_says_to_check_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, "nadia@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/en/account/sign-up/check-your-email/"
    assert "/en/account/verify/" in link_in_last_email("/account/verify/")


def test_sign_up_with_a_known_email_answers_exactly_like_a_new_one(
    client, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = _sign_up(client, "brand.new@example.org")
        known = _sign_up(client, citizen.email)

    assert (new.status_code, new["Location"]) == (known.status_code, known["Location"])
    assert mail.outbox[-1].to == [citizen.email]
    assert "already have one" in mail.outbox[-1].body


def test_a_weak_password_is_shown_next_to_its_field_and_in_the_summary(client):
    response = _sign_up(client, "nadia@example.org", password="password")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert '<a href="#id_password">' in html
    assert 'id="id_password_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_password_helptext id_password_error"' in html
    assert not User.objects.filter(email="nadia@example.org").exists()


def test_a_missing_email_is_shown_next_to_its_field(client):
    response = _sign_up(client, "")

    assert 'id="id_email_error"' in response.content.decode()


def test_opening_the_link_only_shows_a_button_so_that_mail_scanners_confirm_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "nadia@example.org")
    link = relative(link_in_last_email("/account/verify/"))

    response = Client().get(link)

    assert response.status_code == 200
    assert "Confirm my email" in response.content.decode()
    assert not User.objects.get(email="nadia@example.org").has_verified_email


def test_the_button_confirms_the_address_signs_in_and_sends_the_welcome_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "nadia@example.org")
    link = relative(link_in_last_email("/account/verify/"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)

    assert response.status_code == 200
    assert "Your email address is confirmed" in response.content.decode()
    assert "no password was kept" not in response.content.decode()
    assert User.objects.get(email="nadia@example.org").has_verified_email
    assert client.get("/en/account/").status_code == 200
    assert mail.outbox[-1].subject.startswith("Welcome")


def test_the_button_needs_the_csrf_token(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "nadia@example.org")
    link = relative(link_in_last_email("/account/verify/"))

    response = Client(enforce_csrf_checks=True).post(link)

    assert response.status_code == 403
    assert not User.objects.get(email="nadia@example.org").has_verified_email


def test_confirming_in_another_browser_says_that_no_password_was_kept(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "nadia@example.org")
    link = relative(link_in_last_email("/account/verify/"))

    response = Client().post(link)

    assert "no password was kept" in response.content.decode()


def test_a_broken_confirmation_link_shows_what_to_do_next(client):
    response = client.get("/en/account/verify/broken-token/")

    assert response.status_code == 400
    assert "This link does not work any more" in response.content.decode()


def test_a_signed_in_citizen_is_sent_from_sign_up_to_their_requests(client, citizen):
    client.force_login(citizen)

    response = client.get(SIGN_UP)

    assert response["Location"] == "/en/requests/"
