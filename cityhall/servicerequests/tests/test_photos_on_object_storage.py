"""With MEDIA_STORAGE_URL set, photos live in a private bucket of a real S3 server: uploads
wait in quarantine there, the worker cleans them into it, the authorising views serve them,
and nothing in the bucket is readable without a signature."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from PIL import Image

from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests import pending_photos as pending_module
from cityhall.servicerequests.models import RequestPhoto, ServiceRequest
from cityhall.servicerequests.pending_photos import (
    discard_pending_photos,
    keep_valid_photos,
    open_pending_photos,
)
from cityhall.servicerequests.photos import clean_request_photo
from cityhall.servicerequests.services import intake, submit_service_request
from cityhall.servicerequests.tasks import PHOTO_LEFT_WAITING_AFTER, clean_photos_left_waiting
from cityhall.servicerequests.tests.photo_files import (
    GPS_IFD,
    image_bytes,
    jpeg_with_gps_bytes,
    upload,
)

pytestmark = [pytest.mark.cluster, pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _keys(store, prefix, folder=""):
    with store.client() as s3:
        listing = s3.list_objects_v2(Bucket=store.bucket, Prefix=f"{prefix}/{folder}")
    return [entry["Key"] for entry in listing.get("Contents", [])]


def _object(store, prefix, name):
    with store.client() as s3:
        return s3.get_object(Bucket=store.bucket, Key=f"{prefix}/{name}")["Body"].read()


def _submit(citizen, photos):
    return submit_service_request(
        reporter=citizen,
        service=ServiceFactory(code="pothole", department__code="public-works"),
        description="A deep pothole by the school gate.",
        answers={},
        location=None,
        channel=ServiceRequest.Channel.PORTAL,
        photos=photos,
    )


@pytest.fixture
def filed(media_in_object_store, citizen, django_capture_on_commit_callbacks):
    """A request with one GPS-tagged photo, cleaned by its task as a worker would."""
    with django_capture_on_commit_callbacks(execute=True):
        return _submit(citizen, [upload("street.jpg", jpeg_with_gps_bytes())])


def test_the_cleaned_photo_is_in_the_bucket_without_its_metadata_or_upload(
    object_store_server, media_in_object_store, filed
):
    photo = filed.photos.get()

    stored = _object(object_store_server, media_in_object_store, photo.image.name)

    assert photo.status == RequestPhoto.Status.CLEAN
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif().get_ifd(GPS_IFD)
    assert _keys(object_store_server, media_in_object_store, "photo-quarantine/") == []


def test_the_reporter_gets_the_photo_through_the_portal_privately(
    client, citizen, object_store_server, media_in_object_store, filed
):
    photo = filed.photos.get()
    client.force_login(citizen)

    response = client.get(f"/en/request-photos/{photo.public_id}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == _object(object_store_server, media_in_object_store, photo.image.name)
    assert "private" in response["Cache-Control"]


def test_a_stranger_gets_not_found(client, other_citizen, filed):
    client.force_login(other_citizen)

    response = client.get(f"/en/request-photos/{filed.photos.get().public_id}/")

    assert response.status_code == 404


def test_staff_of_the_department_get_the_photo_through_the_back_office(client, agent, filed):
    sign_in_with_two_factor(client, agent)

    response = client.get(f"/en/staff/request-photos/{filed.photos.get().public_id}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_the_bucket_refuses_the_photo_to_an_unsigned_request(
    object_store_server, media_in_object_store, filed
):
    key = f"{media_in_object_store}/{filed.photos.get().image.name}"
    url = f"{object_store_server.endpoint_url}/{object_store_server.bucket}/{key}"

    with pytest.raises(urllib.error.HTTPError) as refusal:
        urllib.request.urlopen(url, timeout=5)  # noqa: S310 (the test's own loopback server)
    refusal.value.close()

    assert refusal.value.code == 403


@pytest.mark.django_db(transaction=True)
def test_a_filing_that_fails_deletes_its_uploads_from_the_bucket(
    object_store_server, media_in_object_store, citizen
):
    failure = RuntimeError("the database went away")

    with (
        mock.patch.object(intake, "record_audit_event", side_effect=failure),
        pytest.raises(RuntimeError),
    ):
        _submit(citizen, [upload("a.jpg", image_bytes("JPEG"))])

    assert _keys(object_store_server, media_in_object_store) == []


def test_the_sweep_cleans_a_photo_left_waiting_in_the_bucket(
    object_store_server, media_in_object_store, citizen
):
    photo = _submit(citizen, [upload("a.png", image_bytes("PNG"), "image/png")]).photos.get()
    long_ago = timezone.now() - PHOTO_LEFT_WAITING_AFTER - timedelta(minutes=1)
    RequestPhoto.objects.filter(pk=photo.pk).update(created_at=long_ago)

    settled = clean_photos_left_waiting.enqueue().return_value

    photo.refresh_from_db()
    assert (settled, photo.status) == (1, RequestPhoto.Status.CLEAN)
    assert _keys(object_store_server, media_in_object_store) == [
        f"{media_in_object_store}/{photo.image.name}"
    ]


def test_a_second_cleaning_run_finds_the_upload_gone_and_the_work_done(
    media_in_object_store, citizen
):
    photo = _submit(citizen, [upload("a.jpg", image_bytes("JPEG"))]).photos.get()
    stale_copy = RequestPhoto.objects.get(pk=photo.pk)
    clean_request_photo(photo)

    assert clean_request_photo(stale_copy) == RequestPhoto.Status.CLEAN
    assert stale_copy.image.name == photo.image.name


def test_kept_photos_are_read_back_counted_and_deleted_in_the_bucket(
    object_store_server, media_in_object_store
):
    sent = image_bytes("PNG")

    kept = keep_valid_photos(
        [upload("a.png", sent, "image/png"), upload("b.png", sent, "image/png")],
        already_kept=[],
        owner="session-a",
        address="203.0.113.7",
    ).photos
    opened = open_pending_photos(kept)
    discard_pending_photos(kept[:1])

    assert [file.read() for file in opened] == [sent, sent]
    assert _keys(object_store_server, media_in_object_store) == [
        f"{media_in_object_store}/{kept[1].storage_name}"
    ]


def test_expired_kept_photos_are_swept_from_the_bucket(
    object_store_server, media_in_object_store, monkeypatch
):
    def keep(owner):
        return keep_valid_photos(
            [upload("a.png", image_bytes("PNG"), "image/png")],
            already_kept=[],
            owner=owner,
            address="203.0.113.7",
        ).photos

    old = keep("session-a")
    later = timezone.now() + pending_module.PENDING_PHOTO_MAX_AGE + timedelta(minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)

    new = keep("session-b")

    assert old
    assert _keys(object_store_server, media_in_object_store) == [
        f"{media_in_object_store}/{new[0].storage_name}"
    ]
