import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.places.tests.factories import DistrictFactory
from cityhall.portal.page_cache import shared_with_anonymous_visitors, storable
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory, StatusChangeFactory

Status = ServiceRequest.Status
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
)


@pytest.fixture
def filed(citizen):
    service_request = ServiceRequestFactory(
        reporter=citizen,
        tracking_number="RAS-26-000077",
        service__name_en="Streetlight out",
        service__name_fr="Lampadaire éteint",
        description="The light at 4 Elm Street, call me at 555-0199.",
        contact_phone="555-0199",
        district=DistrictFactory(name="Old Port", name_fr="Vieux-Port"),
    )
    StatusChangeFactory(service_request=service_request, to_status=Status.SUBMITTED)
    return service_request


def _status_url(service_request, language="en"):
    return f"/{language}/requests/{service_request.tracking_number}/"


def test_a_second_anonymous_visitor_gets_the_same_page_without_a_query(
    client, filed, django_assert_num_queries
):
    first = client.get(_status_url(filed))
    with django_assert_num_queries(0):
        second = client.get(_status_url(filed))

    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("url", ["/en/", "/en/services/", "/en/requests/track/", "/fr/privacy/"])
def test_shared_pages_keep_their_security_headers_and_set_no_cookie(client, db, url):
    first = client.get(url)
    second = client.get(url)

    for response in (first, second):
        assert response.status_code == 200
        assert not response.cookies
        assert "Cookie" in response["Vary"]
        for header in SECURITY_HEADERS:
            assert response.has_header(header), header
    assert second.content == first.content


def test_the_shared_status_page_keeps_its_private_no_cache_answer(client, filed):
    client.get(_status_url(filed))

    response = client.get(_status_url(filed))

    assert response["Cache-Control"] == "private, no-cache"


def test_a_visitor_holding_the_shared_pages_etag_gets_a_304(client, filed):
    etag = client.get("/en/services/")["ETag"]

    response = client.get("/en/services/", headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert "Cookie" in response["Vary"]


def test_a_status_change_shows_to_the_next_anonymous_visitor(client, filed):
    client.get(_status_url(filed))

    StatusChangeFactory(
        service_request=filed, to_status=Status.ACKNOWLEDGED, public_note="A crew is coming."
    )
    filed.status = Status.ACKNOWLEDGED
    filed.save()
    page = client.get(_status_url(filed)).content.decode()

    assert "A crew is coming." in page
    assert "Acknowledged" in page


def test_a_catalog_change_shows_on_the_next_services_and_status_pages(client, filed):
    client.get("/en/services/")
    client.get(_status_url(filed))

    filed.service.name_en = "Street lighting fault"
    filed.service.save()

    assert "Street lighting fault" in client.get("/en/services/").content.decode()
    assert "Street lighting fault" in client.get(_status_url(filed)).content.decode()


def test_a_renamed_district_shows_on_the_next_status_page(client, filed):
    client.get(_status_url(filed))

    filed.district.name = "Harbourfront"
    filed.district.save()

    assert "Harbourfront" in client.get(_status_url(filed)).content.decode()


def test_each_language_gets_its_own_page(client, filed):
    english = client.get(_status_url(filed, "en")).content.decode()
    french = client.get(_status_url(filed, "fr")).content.decode()

    assert "Streetlight out" in english
    assert "Lampadaire éteint" in french
    assert "Vieux-Port" in french
    assert client.get(_status_url(filed, "en")).content.decode() == english


def test_a_signed_in_visitor_never_gets_the_shared_page(client, citizen, filed):
    client.get(_status_url(filed))
    client.get("/en/")
    client.force_login(citizen)

    status_page = client.get(_status_url(filed)).content.decode()
    home = client.get("/en/").content.decode()

    assert "555-0199" in status_page
    assert "Sign out" in status_page
    assert "Sign out" in home


def test_a_signed_in_visitors_page_never_reaches_anonymous_visitors(client, citizen, filed):
    client.force_login(citizen)
    client.get(_status_url(filed))
    client.get("/en/")
    client.logout()

    status_page = client.get(_status_url(filed)).content.decode()
    home = client.get("/en/").content.decode()

    assert "555-0199" not in status_page
    assert "Sign out" not in status_page
    assert "Sign out" not in home
    assert "Sign in" in home


def test_an_anonymous_visitor_with_a_session_or_messages_is_served_a_fresh_page(
    client, filed, django_assert_num_queries
):
    client.get(_status_url(filed))
    client.cookies["messages"] = "anything"

    with django_assert_num_queries(2):  # the request with its service, and its timeline
        client.get(_status_url(filed))


def test_a_query_string_is_never_served_from_the_shared_page(client, db):
    ServiceFactory(name_en="Pothole repair")
    client.get("/en/services/")

    page = client.get("/en/services/?q=pothole").content.decode()

    assert 'value="pothole"' in page


def _form_page(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


def test_a_page_holding_a_csrf_token_is_never_stored(db):
    request = RequestFactory().get("/en/form/")

    response = _form_page(request)

    assert storable(request, response) is None


def test_a_page_showing_a_flash_message_is_never_stored(db):
    request = RequestFactory().get("/en/message/")
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]  # as MessageMiddleware sets it
    messages.info(request, "Your comment is sent.")

    assert storable(request, HttpResponse("Your comment is sent.")) is None


def test_a_page_setting_a_cookie_is_never_stored(db):
    request = RequestFactory().get("/en/cookie/")
    response = HttpResponse("hello")
    response.set_cookie("chosen", "1")

    assert storable(request, response) is None


def test_a_page_holding_a_csrf_token_renders_afresh_for_every_visitor(db, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    view = shared_with_anonymous_visitors()(_form_page)
    factory = RequestFactory()

    first = view(factory.get("/en/form/")).content
    second = view(factory.get("/en/form/")).content

    assert first != second


def test_clearing_the_shared_cache_renders_pages_afresh_in_every_process(
    client, filed, django_assert_num_queries
):
    client.get(_status_url(filed))
    cache.clear()

    # The request with its service, its timeline, and the crisis alerts the banner shows.
    with django_assert_num_queries(3):
        client.get(_status_url(filed))
