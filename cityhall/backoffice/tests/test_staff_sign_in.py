from typing import Any

import pyotp
import pytest
from django.test import Client

from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.accounts.tests.fixtures import (  # noqa: F401  (fixtures)
    empty_cache,
    give_confirmed_totp,
    immediate_tasks,
    sign_in_pauses,
)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("empty_cache", "immediate_tasks", "sign_in_pauses"),
]

DASHBOARD = "/en/staff/"
SIGN_IN = "/en/staff/sign-in/"
CODE = "/en/staff/sign-in/code/"
SET_UP = "/en/staff/sign-in/set-up/"


def _password_step(client, user, password=DEFAULT_PASSWORD, next_url=""):
    url = SIGN_IN + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"email": user.email, "password": password})


def test_staff_without_2fa_cannot_open_the_dashboard(client, agent):
    client.force_login(agent)

    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"] == "/en/staff/sign-in/?next=%2Fen%2Fstaff%2F"


def test_an_anonymous_visitor_is_sent_to_the_staff_sign_in(client):
    response = client.get(DASHBOARD)

    assert response["Location"].startswith(SIGN_IN)


def test_password_then_code_opens_the_dashboard(client, agent):
    totp = give_confirmed_totp(agent)

    first = _password_step(client, agent)
    assert "_auth_user_id" not in client.session
    second = client.post(CODE, {"code": totp.now()})

    assert first["Location"] == CODE
    assert second["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_the_code_step_returns_to_the_page_first_asked_for(client, admin):
    totp = give_confirmed_totp(admin)

    _password_step(client, admin, next_url="/en/staff/partners/")
    response = client.post(CODE, {"code": totp.now()})

    assert response["Location"] == "/en/staff/partners/"


def test_a_totp_code_cannot_be_used_twice(client, agent):
    totp = give_confirmed_totp(agent)
    code = totp.now()
    _password_step(client, agent)
    client.post(CODE, {"code": code})
    client.post("/en/staff/sign-out/")

    _password_step(client, agent)
    response = client.post(CODE, {"code": code})

    assert response.status_code == 200
    assert 'id="id_code_error"' in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302


def test_a_wrong_code_is_shown_next_to_its_field(client, agent):
    give_confirmed_totp(agent)
    _password_step(client, agent)

    response = client.post(CODE, {"code": "abcdef"})

    assert "This code is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_code_step_needs_the_password_step_first(client, agent):
    give_confirmed_totp(agent)

    response = client.get(CODE)

    assert response["Location"] == SIGN_IN


def test_the_code_step_expires(client, agent, monkeypatch):
    totp = give_confirmed_totp(agent)
    _password_step(client, agent)
    monkeypatch.setattr("cityhall.backoffice.views_auth.PENDING_MAX_AGE", -1)

    response = client.post(CODE, {"code": totp.now()})

    assert response["Location"] == SIGN_IN


def test_first_sign_in_enrols_with_a_qr_code_and_a_first_code(client, agent):
    first = _password_step(client, agent)
    page = client.get(SET_UP)
    agent.refresh_from_db()
    html = page.content.decode()

    response = client.post(SET_UP, {"code": pyotp.TOTP(agent.totp_secret).now()})

    assert first["Location"] == SET_UP
    assert "<svg" in html
    assert agent.totp_secret[:4] in html
    assert response["Location"] == DASHBOARD
    agent.refresh_from_db()
    assert agent.totp_confirmed_at is not None


def test_a_wrong_first_code_does_not_enrol(client, agent):
    _password_step(client, agent)

    response = client.post(SET_UP, {"code": "abcdef"})

    assert 'id="id_code_error"' in response.content.decode()
    agent.refresh_from_db()
    assert agent.totp_confirmed_at is None


def test_a_confirmed_staff_member_cannot_go_back_to_enrolment(client, agent):
    give_confirmed_totp(agent)
    _password_step(client, agent)

    response = client.get(SET_UP)

    assert response["Location"] == SIGN_IN


def test_a_citizen_with_the_right_password_is_told_they_have_no_access(client, citizen):
    response = _password_step(client, citizen)

    assert response.status_code == 200
    assert "This account has no access to the back office" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_email_gets_the_same_answer_as_a_known_one(client, agent):
    known = _password_step(client, agent, password="wrong")
    unknown = client.post(SIGN_IN, {"email": "nobody@city.example", "password": "wrong"})

    message = "The email address or password is not right."
    assert message in known.content.decode()
    assert message in unknown.content.decode()


def test_repeated_failures_lock_the_staff_sign_in(client, agent, settings):
    settings.SIGN_IN_MAX_FAILURES = 2
    _password_step(client, agent, password="wrong")

    response = _password_step(client, agent, password="wrong")

    assert response.status_code == 429
    assert _password_step(client, agent).status_code == 429


def test_guessing_through_the_proxy_slows_the_guesser_but_not_staff_elsewhere(
    client, agent, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    totp = give_confirmed_totp(agent)
    # The guesser also writes the staff member's address into the header, to no effect.
    guesser: dict[str, Any] = {
        "REMOTE_ADDR": "10.0.0.5",
        "HTTP_X_FORWARDED_FOR": "198.51.100.20, 203.0.113.66",
    }
    staff: dict[str, Any] = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.20"}

    guesses = [
        Client().post(SIGN_IN, {"email": f"unknown{n}@city.example", "password": "x"}, **guesser)
        for n in range(40)
    ]
    password = client.post(SIGN_IN, {"email": agent.email, "password": DEFAULT_PASSWORD}, **staff)
    code = client.post(CODE, {"code": totp.now()}, **staff)

    assert guesses[0].status_code == 200
    assert guesses[-1].status_code == 429
    assert "Too many attempts to sign in" in guesses[-1].content.decode()
    assert password["Location"] == CODE
    assert code["Location"] == DASHBOARD


def test_a_portal_session_is_not_enough_for_the_back_office(client, agent):
    client.post("/en/account/sign-in/", {"email": agent.email, "password": DEFAULT_PASSWORD})

    assert "_auth_user_id" in client.session
    assert client.get(DASHBOARD).status_code == 302


def test_a_verified_staff_member_without_roles_left_gets_403(client, agent):
    sign_in_with_two_factor(client, agent)
    agent.staff_roles.all().delete()

    assert client.get(DASHBOARD).status_code == 403


def test_sign_out_ends_the_staff_session(client, agent):
    sign_in_with_two_factor(client, agent)

    response = client.post("/en/staff/sign-out/")

    assert response["Location"] == SIGN_IN
    assert client.get(DASHBOARD).status_code == 302
