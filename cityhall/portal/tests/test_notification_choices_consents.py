"""The notification choices page and the unsubscribe link keep the consent ledger in step."""

import pytest

from cityhall.notifications.unsubscribe_links import make_unsubscribe_token
from cityhall.privacy.consents import has_consent
from cityhall.privacy.models import ConsentRecord

pytestmark = pytest.mark.django_db

CHOICES = "/fr/notifications/choices/"
NEWS = "notifications.district_news"


def _ledger(user):
    return list(
        ConsentRecord.objects.filter(user=user)
        .order_by("id")
        .values_list("purpose", "is_given", "source", "language")
    )


def test_ticking_district_news_on_the_choices_page_gives_consent_and_unticking_withdraws_it(
    client, citizen
):
    client.force_login(citizen)

    client.post(CHOICES, {"district_news__email": "on", "digest_frequency": "none"})
    ticked = client.get(CHOICES).content.decode()
    client.post(CHOICES, {"digest_frequency": "none"})

    assert 'name="district_news__email" id="id_district_news__email" checked' in ticked
    assert _ledger(citizen) == [
        (NEWS, True, "notification_settings", "fr"),
        (NEWS, False, "notification_settings", "fr"),
    ]


def test_the_choices_page_shows_district_news_unticked_until_consent_is_given(client, citizen):
    client.force_login(citizen)

    page = client.get(CHOICES).content.decode()

    assert 'name="district_news__in_app" id="id_district_news__in_app" checked' not in page
    assert 'name="my_requests__in_app" id="id_my_requests__in_app" checked' in page


def test_the_unsubscribe_link_of_the_last_channel_withdraws_consent(client, citizen):
    client.force_login(citizen)
    client.post(CHOICES, {"district_news__email": "on", "digest_frequency": "none"})
    client.logout()
    token = make_unsubscribe_token(user=citizen, topic="district_news", channel="email")

    client.post(f"/en/notifications/unsubscribe/{token}/")

    assert not has_consent(citizen, NEWS)
    assert _ledger(citizen)[-1][:3] == (NEWS, False, "unsubscribe_link")
