import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from cityhall.accounts.tests.factories import PartnerMembershipFactory


def _path_or_skip(url_name: str) -> str:
    try:
        with translation.override("en"):
            return reverse(url_name)
    except NoReverseMatch:
        pytest.skip(f"{url_name} is not mounted")


def test_anonymous_visitor_is_offered_sign_in_and_sign_up(client):
    sign_in, sign_up = _path_or_skip("portal:sign_in"), _path_or_skip("portal:sign_up")

    text = client.get("/en/").content.decode()

    assert f'<a href="{sign_in}">Sign in</a>' in text
    assert f'<a href="{sign_up}">Sign up</a>' in text
    assert "My account" not in text


def test_signed_in_citizen_is_offered_my_account_and_sign_out(client, citizen):
    account = _path_or_skip("portal:account")
    sign_out = _path_or_skip("portal:sign_out")
    client.force_login(citizen)

    text = client.get("/en/").content.decode()

    assert f'<a href="{account}">My account</a>' in text
    assert f'action="{sign_out}"' in text
    assert ">Sign in</a>" not in text


def test_main_navigation_marks_the_current_page(client):
    text = client.get("/en/").content.decode()

    assert '<a href="/en/" aria-current="page">Home</a>' in text


def test_services_link_never_leads_nowhere(client, db):
    text = client.get("/en/privacy/").content.decode()

    services_link = text[: text.index(">Services</a>")].rsplit("<a ", 1)[1]
    href = services_link.split('href="', 1)[1].split('"', 1)[0]
    assert client.get(href.split("#", 1)[0]).status_code == 200


def test_partner_members_find_their_area_and_managers_its_webhooks_in_the_navigation(
    client, citizen
):

    member = PartnerMembershipFactory(is_manager=False).user
    manager = PartnerMembershipFactory(is_manager=True).user
    queue, webhooks = (
        _path_or_skip("portal:partner_queue"),
        _path_or_skip("portal:partner_webhooks"),
    )
    homes, areas = {}, {}
    for person in (citizen, member, manager):
        client.force_login(person)
        homes[person] = client.get("/en/").content.decode()
        areas[person] = client.get(queue).content.decode()

    assert f'<a href="{queue}">Partner area</a>' in homes[member]
    assert f'<a href="{queue}">Partner area</a>' in homes[manager]
    assert f'href="{queue}"' not in homes[citizen]
    assert f'href="{webhooks}"' not in homes[member] + homes[manager] + homes[citizen]
    assert f'href="{webhooks}"' not in areas[member]
    assert f'<a href="{webhooks}">Partner webhooks</a>' in areas[manager]


def test_the_partner_queue_is_marked_current_in_the_navigation(client, db):

    queue = _path_or_skip("portal:partner_queue")
    client.force_login(PartnerMembershipFactory().user)

    text = client.get(queue).content.decode()

    assert f'<a href="{queue}" aria-current="true">Partner area</a>' in text
    assert f'<a href="{queue}" aria-current="page">Partner requests</a>' in text
