"""The privacy choices page: each consent purpose, the choice, give and withdraw, the history."""

import pytest
from django.utils import translation

from cityhall.privacy.consents import has_consent
from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.purposes import RESEARCH
from cityhall.privacy.services.consents import give_consent

pytestmark = pytest.mark.django_db

PAGE = "/en/account/privacy-choices/"
FRENCH_PAGE = "/fr/account/privacy-choices/"


def test_the_page_lists_each_consent_purpose_with_its_explanation_and_the_current_choice(
    client, citizen
):
    client.force_login(citizen)

    html = client.get(PAGE).content.decode()

    for name in (
        "Personal dashboard and recommendations",
        "Measuring how the portal is used",
        "Research and surveys",
        "Sharing a request with the partner who handles it",
        "News from my district",
        "Invitations to public consultations",
    ):
        assert name in html
    assert "Invite you to surveys about city services" in html
    assert "not allowed (you have not chosen yet)." in html
    assert "You have not made any decision yet." in html
    assert "Updates on my service requests" not in html  # a public task: nothing to choose


def test_allowing_a_purpose_records_the_words_on_the_page_and_shows_when(client, citizen):
    client.force_login(citizen)

    response = client.post(PAGE, {"purpose": "research", "decision": "give"}, follow=True)

    html = response.content.decode()
    assert has_consent(citizen, "research")
    record = ConsentRecord.objects.get()
    assert (record.source, record.language, record.purpose_version) == ("portal", "en", 1)
    assert record.text_shown == f"{RESEARCH.name}\n\n{RESEARCH.explanation}"
    assert "You allowed: Research and surveys." in html
    assert "allowed on" in html
    assert "Text version 1" in html


def test_withdrawing_a_purpose_adds_to_the_history_and_stops_it(client, citizen):
    give_consent(
        actor=citizen, user=citizen, purpose_code="research", language="en", source="sign_up"
    )
    client.force_login(citizen)

    response = client.post(PAGE, {"purpose": "research", "decision": "withdraw"}, follow=True)

    html = response.content.decode()
    assert not has_consent(citizen, "research")
    assert "You withdrew: Research and surveys." in html
    assert "withdrawn on" in html
    assert html.count("<td>Research and surveys</td>") == 2
    assert "Sign-up" in html
    assert "Portal" in html


def test_the_page_works_in_french_and_records_the_french_text(client, citizen):
    client.force_login(citizen)

    html = client.get(FRENCH_PAGE).content.decode()
    assert 'lang="fr"' in html
    client.post(FRENCH_PAGE, {"purpose": "research", "decision": "give"})

    record = ConsentRecord.objects.get()
    assert record.language == "fr"
    with translation.override("fr"):
        assert str(RESEARCH.name) in html
        assert record.text_shown == f"{RESEARCH.name}\n\n{RESEARCH.explanation}"


def test_a_purpose_that_needs_no_consent_cannot_be_posted(client, citizen):
    client.force_login(citizen)

    response = client.post(PAGE, {"purpose": "notifications.my_requests", "decision": "withdraw"})

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_visitors_are_asked_to_sign_in(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_the_account_and_notification_choices_pages_link_to_the_privacy_choices(client, citizen):
    client.force_login(citizen)

    for page in ("/en/account/", "/en/notifications/choices/"):
        assert f'href="{PAGE}"' in client.get(page).content.decode()
