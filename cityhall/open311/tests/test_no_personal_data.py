"""Every GET answer is searched for each kind of personal data a request can hold."""

import pytest

from cityhall.accounts.tests.factories import UserFactory
from cityhall.servicerequests.models import RequestPhoto, ServiceRequest
from cityhall.servicerequests.tests.factories import StatusChangeFactory
from cityhall.servicerequests.tests.photo_files import (
    jpeg_with_gps_bytes,
    upload,
    use_temporary_media,
)

#: What a citizen gave, by kind; none of it may appear in a GET answer.
SECRETS = {
    "first name": "Evangeline",
    "last name": "Thibodeaux",
    "email": "evangeline@example.org",
    "phone": "555-0199",
    "device id": "device-7f3a9",
    "account id": "acct-99812",
    "description": "Thibodeaux family at the corner",
    "address": "12 Hidden Lane",
    "private answer": "gate code 4471",
    "exact latitude": "45.512345",
    "exact longitude": "-73.591234",
    "reporter's email": "reporter-secret@example.org",
    "reporter's name": "Octavia Reporter",
}


@pytest.fixture
def filed_with_everything(
    client, pothole, open311_key, settings, tmp_path, django_capture_on_commit_callbacks
):
    use_temporary_media(settings, tmp_path)
    pothole.is_sensitive = True
    pothole.save()
    with django_capture_on_commit_callbacks(execute=True):  # the worker cleans the photo
        posted = client.post(
            "/open311/v2/requests.json",
            {
                "api_key": open311_key,
                "service_code": "pothole",
                "lat": SECRETS["exact latitude"],
                "long": SECRETS["exact longitude"],
                "address_string": SECRETS["address"],
                "description": SECRETS["description"] + " is worried about a pothole.",
                "first_name": SECRETS["first name"],
                "last_name": SECRETS["last name"],
                "email": SECRETS["email"],
                "phone": SECRETS["phone"],
                "device_id": SECRETS["device id"],
                "account_id": SECRETS["account id"],
                "media_url": "https://photos.example.org/evangeline-at-home.jpg",
                "attribute[size]": "large",
                "attribute[crew]": SECRETS["private answer"],
                "media": upload("evangeline.jpg", jpeg_with_gps_bytes()),
            },
        )
    assert posted.status_code == 200
    service_request = ServiceRequest.objects.get()
    service_request.reporter = UserFactory(
        full_name=SECRETS["reporter's name"], email=SECRETS["reporter's email"]
    )
    service_request.save()
    StatusChangeFactory(
        service_request=service_request,
        public_note="Crew on its way.",
        internal_note="Call Evangeline first",
        is_public=True,
    )
    StatusChangeFactory(
        service_request=service_request, public_note="Thibodeaux called again", is_public=False
    )
    return service_request, posted.json()[0]["token"]


def every_get_url(service_request, token):
    number = service_request.tracking_number
    for fmt in ("json", "xml"):
        yield f"/open311/v2/discovery.{fmt}"
        yield f"/open311/v2/services.{fmt}"
        yield f"/open311/v2/services/pothole.{fmt}"
        yield f"/open311/v2/tokens/{token}.{fmt}"
        for extensions in ("false", "true"):
            yield f"/open311/v2/requests.{fmt}?extensions={extensions}"
            yield f"/open311/v2/requests.{fmt}?service_request_id={number}&extensions={extensions}"
            yield f"/open311/v2/requests/{number}.{fmt}?extensions={extensions}"


def test_no_get_answer_holds_any_personal_data(client, filed_with_everything):
    service_request, token = filed_with_everything
    photo_name = str(RequestPhoto.objects.get().image.name).rsplit("/", 1)[-1]
    secrets = {**SECRETS, "stored photo": photo_name, "client's photo": "evangeline-at-home"}

    for url in every_get_url(service_request, token):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        found = [kind for kind, secret in secrets.items() if secret.lower() in text.lower()]
        assert found == [], url
        assert "Call Evangeline" not in text


def test_a_sensitive_services_point_is_coarsened_in_every_answer(client, filed_with_everything):
    service_request, _token = filed_with_everything
    number = service_request.tracking_number

    items = [
        client.get("/open311/v2/requests.json?extensions=true").json()[0],
        client.get(f"/open311/v2/requests/{number}.json").json()[0],
    ]

    for item in items:
        assert (item["lat"], item["long"]) == (45.512, -73.591)
        assert item["media_url"] is None
