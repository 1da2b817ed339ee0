import pytest
from django.test import Client
from django.utils import timezone

from cityhall.accounts.models import ApiKey
from cityhall.accounts.scopes import ApiScope
from cityhall.accounts.services import revoke_api_key
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.open311.tests.conftest import issue_key
from cityhall.open311.tests.contract import (
    json_example_shape,
    json_shape,
    parse_xml,
    xml_example_shape,
    xml_shape,
)
from cityhall.places.models import Address
from cityhall.places.tests.factories import AddressFactory, DistrictFactory
from cityhall.servicerequests.models import ServiceRequest

URL = "/open311/v2/requests.json"


def post(client, key, url=URL, headers=None, **overrides):
    data = {
        "api_key": key,
        "service_code": "pothole",
        "lat": "45.51",
        "long": "-73.59",
        "description": "A deep pothole in front of the school.",
        "attribute[size]": "large",
    }
    data.update(overrides)
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(url, data, headers=headers or {})


def test_a_valid_post_files_one_request_and_returns_its_id_and_token(client, pothole, open311_key):
    response = post(client, open311_key, **{"attribute[lanes][]": ["right", "left"]})

    assert response.status_code == 200
    body = response.json()
    service_request = ServiceRequest.objects.get()
    assert body == [
        {
            "service_request_id": service_request.tracking_number,
            "service_notice": None,
            "account_id": None,
            "token": str(service_request.public_id),
        }
    ]
    assert service_request.channel == ServiceRequest.Channel.OPEN311
    assert service_request.answers == {"size": "large", "lanes": ["left", "right"]}
    assert (service_request.latitude, service_request.longitude) == (45.51, -73.59)


def test_the_xml_answer_has_the_examples_elements_plus_the_token(client, pothole, open311_key):
    response = post(client, open311_key, url="/open311/v2/requests.xml")

    document = parse_xml(response.content)
    expected = xml_example_shape("service-request-post.xml")
    expected["request"][0]["token"] = None
    assert xml_shape(document) == expected


def test_the_json_answer_has_the_examples_keys_plus_the_token(client, pothole, open311_key):
    body = post(client, open311_key).json()

    expected = json_example_shape("service-request-post.json")
    expected[0]["token"] = None
    assert json_shape(body) == expected


def test_the_contact_and_client_details_are_kept_for_staff(client, pothole, open311_key):
    response = post(
        client,
        open311_key,
        email="ann@example.org",
        first_name="Ann",
        last_name="Lee",
        phone="555-0100",
        device_id="phone-1",
        account_id="42",
        media_url="https://photos.example.org/1.jpg",
    )

    service_request = ServiceRequest.objects.get()
    assert service_request.contact_name == "Ann Lee"
    assert service_request.contact_email == "ann@example.org"
    assert service_request.contact_phone == "555-0100"
    assert service_request.reporter is None
    assert service_request.device_id == "phone-1"
    assert service_request.external_account_id == "42"
    assert service_request.media_url == "https://photos.example.org/1.jpg"
    assert response.json()[0]["account_id"] == "42"


def test_the_api_key_may_come_in_the_query_string(client, pothole, open311_key):
    response = post(client, None, url=f"{URL}?api_key={open311_key}")

    assert response.status_code == 200


@pytest.fixture
def maple_street(db):
    for number, latitude in [("117", 45.5100), ("123", 45.5106)]:
        AddressFactory(
            civic_number=number, street_name="Rue des Érables", latitude=latitude,
            longitude=-73.5901,
        )  # fmt: skip


def test_an_address_string_is_geocoded(client, pothole, open311_key, maple_street):
    post(client, open311_key, lat=None, long=None, address_string="123 rue des Erables")

    service_request = ServiceRequest.objects.get()
    assert service_request.latitude == pytest.approx(45.5106)
    assert service_request.longitude == pytest.approx(-73.5901)
    assert service_request.address_text == "123 rue des Erables"


def test_an_address_missing_from_the_register_is_placed_between_its_neighbours(
    client, pothole, open311_key, maple_street
):
    post(client, open311_key, lat=None, long=None, address_string="121 rue des Érables")

    service_request = ServiceRequest.objects.get()
    assert service_request.latitude == pytest.approx(45.5104)
    assert service_request.address_text == "121 rue des Érables"


def test_a_street_alone_is_kept_as_text_without_a_point(client, pothole, open311_key, maple_street):
    post(client, open311_key, lat=None, long=None, address_string="rue des Érables")

    service_request = ServiceRequest.objects.get()
    assert service_request.latitude is None
    assert service_request.address_text == "rue des Érables"


def test_an_address_string_nobody_can_place_is_kept_as_text(client, pothole, open311_key):
    post(client, open311_key, lat=None, long=None, address_string="behind the old mill")

    service_request = ServiceRequest.objects.get()
    assert service_request.latitude is None
    assert service_request.address_text == "behind the old mill"


def test_an_address_id_is_looked_up_in_the_register(client, pothole, open311_key):
    Address.objects.create(
        civic_number="12",
        street_name="Main Street",
        latitude=45.52,
        longitude=-73.58,
        h3_cell="x",
        search_key="12 main street",
        source_id="A-12",
    )

    post(client, open311_key, lat=None, long=None, address_id="A-12")

    service_request = ServiceRequest.objects.get()
    assert (service_request.latitude, service_request.longitude) == (45.52, -73.58)
    assert service_request.address_text == "12 Main Street"


def test_a_matching_jurisdiction_is_accepted(client, pothole, open311_key, settings):
    settings.OPEN311_JURISDICTION_ID = "city.example"

    response = post(client, open311_key, jurisdiction_id="city.example")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("overrides", "needle"),
    [
        ({"lat": "91"}, "latitude"),
        ({"long": "-181"}, "longitude"),
        ({"lat": "north"}, "lat"),
        ({"long": None}, "lat"),
        ({"lat": None, "long": None}, "address_string"),
        ({"address_id": "nowhere", "lat": None, "long": None}, "address_id"),
        ({"attribute[colour]": "red"}, "attribute[colour]"),
        ({"attribute[size]": None}, "attribute[size]"),
        ({"attribute[size]": "huge"}, "attribute[size]"),
        ({"description": "short"}, "description"),
        ({"email": "not an email"}, "email"),
        ({"media_url": "ftp://files.example.org/x"}, "media_url"),
        ({"media_url": "https://example.org/" + "x" * 1000}, "media_url"),
        ({"device_id": "d" * 101}, "device_id"),
        ({"account_id": "a" * 101}, "account_id"),
        ({"service_code": None}, "service_code"),
    ],
)
def test_bad_input_is_a_400_and_files_nothing(client, pothole, open311_key, overrides, needle):
    response = post(client, open311_key, **overrides)

    assert response.status_code == 400
    assert any(needle in error["description"] for error in response.json())
    assert all(error["code"] == 400 for error in response.json())
    assert not ServiceRequest.objects.exists()


def test_an_unknown_service_code_is_a_404(client, pothole, open311_key):
    response = post(client, open311_key, service_code="nothing")

    assert response.status_code == 404
    assert not ServiceRequest.objects.exists()


def test_a_service_closed_to_requests_is_a_404(client, open311_key):
    ServiceFactory(code="paused", accepts_requests=False)

    response = post(client, open311_key, service_code="paused")

    assert response.status_code == 404


def test_a_service_that_wants_a_contact_refuses_an_anonymous_post(client, pothole, open311_key):
    pothole.allows_anonymous = False
    pothole.save()

    refused = post(client, open311_key)
    accepted = post(client, open311_key, phone="555-0100")

    assert refused.status_code == 400
    assert "email" in refused.json()[0]["description"]
    assert accepted.status_code == 200


def test_a_foreign_jurisdiction_is_refused(client, pothole, open311_key, settings):
    settings.OPEN311_JURISDICTION_ID = "city.example"

    response = post(client, open311_key, jurisdiction_id="elsewhere.example")

    assert response.status_code == 404
    assert not ServiceRequest.objects.exists()


def revoked_key():
    key = issue_key(ApiScope.OPEN311_WRITE)
    ApiKey.objects.filter(prefix=key.split(".")[0]).update(revoked_at=timezone.now())
    return key


@pytest.mark.parametrize(
    "make_key",
    [
        lambda: None,
        lambda: "",
        lambda: "not-a-key",
        lambda: issue_key(ApiScope.OPEN311_WRITE) + "x",
        revoked_key,
        lambda: issue_key(ApiScope.REQUESTS_READ),
    ],
    ids=["missing", "empty", "malformed", "wrong-secret", "revoked", "out-of-scope"],
)
def test_a_bad_key_is_a_403_in_the_specs_error_shape(client, pothole, make_key):
    response = post(client, make_key(), url="/open311/v2/requests.xml")

    assert response.status_code == 403
    assert xml_shape(parse_xml(response.content)) == xml_example_shape("errors.xml")
    assert parse_xml(response.content).findtext("error/code") == "403"
    assert not ServiceRequest.objects.exists()


def test_an_unknown_format_is_refused_before_anything_is_filed(client, pothole, open311_key):
    response = post(client, open311_key, url="/open311/v2/requests.html")

    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


def test_partners_posting_with_a_key_need_no_csrf_token(pothole, open311_key):
    strict_client = Client(enforce_csrf_checks=True)

    response = post(strict_client, open311_key)

    assert response.status_code == 200


def test_a_retry_with_the_same_idempotency_key_returns_the_first_request(
    client, pothole, open311_key
):
    first = post(client, open311_key, headers={"Idempotency-Key": "retry-1"})
    again = post(client, open311_key, headers={"Idempotency-Key": "retry-1"})
    other = post(client, open311_key, headers={"Idempotency-Key": "retry-2"})

    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]
    assert other.json()[0]["service_request_id"] != first.json()[0]["service_request_id"]
    assert ServiceRequest.objects.count() == 2


def test_a_repeated_attribute_without_brackets_is_a_multivaluelist_answer(
    client, pothole, open311_key
):
    response = post(client, open311_key, **{"attribute[lanes]": ["left", "right"]})

    assert response.status_code == 200
    assert ServiceRequest.objects.get().answers["lanes"] == ["left", "right"]


def test_an_unknown_service_code_is_a_404_in_xml_too(client, pothole, open311_key):
    response = post(client, open311_key, url="/open311/v2/requests.xml", service_code="nothing")

    assert response.status_code == 404
    assert parse_xml(response.content).findtext("error/description") == (
        "Unknown service_code nothing."
    )


@pytest.mark.django_db(transaction=True)
def test_a_key_revoked_in_this_process_is_refused_at_once_though_it_was_trusted(client, pothole):
    key = issue_key(ApiScope.OPEN311_WRITE)
    assert post(client, key).status_code == 200  # the key is now trusted for a few seconds

    revoke_api_key(actor=None, api_key=ApiKey.objects.get(prefix=key.split(".")[0]))

    assert post(client, key).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_key_revoked_by_another_process_is_refused_at_once_though_it_was_trusted(client, pothole):
    key = issue_key(ApiScope.OPEN311_WRITE)
    assert post(client, key).status_code == 200

    # An update sends no signal here, as a revocation made by another process would not.
    ApiKey.objects.filter(prefix=key.split(".")[0]).update(revoked_at=timezone.now())

    assert post(client, key).status_code == 403


def test_contact_details_longer_than_stored_are_a_400_naming_the_parameters(client, pothole):
    key = issue_key(ApiScope.OPEN311_WRITE)

    response = post(client, key, first_name="A" * 100, last_name="B" * 100, phone="5" * 41)

    assert response.status_code == 400
    descriptions = " ".join(error["description"] for error in response.json())
    assert "first_name/last_name:" in descriptions
    assert "phone:" in descriptions
    assert not ServiceRequest.objects.exists()


def test_a_point_outside_the_city_is_a_400_on_lat_long_and_files_nothing(
    client, pothole, open311_key
):
    DistrictFactory(south=45.50, west=-73.60, size=0.02)

    response = post(client, open311_key, lat="48.0", long="-70.0")

    assert response.status_code == 400
    assert response.json() == [
        {
            "code": 400,
            "description": "lat/long: This place is outside the city. "
            "Choose a spot within the city's limits.",
        }
    ]
    assert not ServiceRequest.objects.exists()


def test_a_service_requiring_a_photo_is_a_400_on_media_without_one(client, pothole, open311_key):
    pothole.requires_photo = True
    pothole.save()

    response = post(client, open311_key)

    assert response.status_code == 400
    assert response.json() == [
        {"code": 400, "description": "media: Add at least one photo of the problem."}
    ]
    assert not ServiceRequest.objects.exists()
