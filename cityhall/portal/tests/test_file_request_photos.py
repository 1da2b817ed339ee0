"""Photos on the portal's request form: filed, refused at the field, kept across a mistake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests import photos as photo_module
from cityhall.servicerequests.models import RequestPhoto, ServiceRequest
from cityhall.servicerequests.pending_photos import PENDING_DIRECTORY
from cityhall.servicerequests.tests.photo_files import (
    image_bytes,
    jpeg_with_gps_bytes,
    stored_files,
    upload,
    use_temporary_media,
)

FORM = "/en/services/graffiti/request/"


@pytest.fixture
def media(settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


@pytest.fixture
def graffiti(db):
    return ServiceFactory(code="graffiti", name_en="Graffiti")


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def _form(client, **overrides):
    page = client.get(FORM).content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    return {"idempotency_key": key, "description": "Tags all over the library wall."} | overrides


def _kept_token(page: str) -> str:
    found = re.search(r'name="kept_photos" value="([^"]+)"', page)
    assert found, "the page carries no kept photos"
    return found.group(1)


def test_the_form_offers_several_photos_of_the_accepted_kinds(signed_in, graffiti):
    page = signed_in.get(FORM).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert re.search(
        r'<input type="file" name="photos" id="id_photos" accept="[^"]*image/heic', page
    )
    assert " multiple " in page
    assert "Up to 5 photos" in page


def test_a_photo_is_filed_with_the_request_without_its_location(
    signed_in, graffiti, media, django_capture_on_commit_callbacks
):
    data = _form(signed_in, photos=[upload("wall.jpg", jpeg_with_gps_bytes())])

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(FORM, data)

    assert response.status_code == 302
    photo = ServiceRequest.objects.get().photos.get()
    assert photo.content_type == "image/jpeg"
    assert b"Exif" not in Path(photo.image.path).read_bytes()


def test_a_refused_photo_is_named_at_the_field_and_the_text_is_kept(signed_in, graffiti, media):
    data = _form(signed_in, photos=[upload("notes.jpg", b"not a picture at all")])

    page = signed_in.post(FORM, data).content.decode()

    assert not ServiceRequest.objects.exists()
    assert 'id="id_photos_error"' in page
    assert "“notes.jpg” is not a JPEG, PNG, HEIC or WebP image." in page
    assert 'href="#id_photos"' in page
    assert "Tags all over the library wall." in page


def test_valid_photos_need_not_be_chosen_again_after_a_mistake(signed_in, graffiti, media):
    photos = [upload("one.jpg", image_bytes("JPEG")), upload("two.png", image_bytes("PNG"))]
    first_try = _form(signed_in, description="Tags", photos=photos)

    page = signed_in.post(FORM, first_try).content.decode()

    assert not ServiceRequest.objects.exists()
    assert "These 2 photos are already attached" in page
    assert "one.jpg" in page
    assert "two.png" in page
    assert len(stored_files(media / PENDING_DIRECTORY)) == 2
    second_try = first_try | {
        "description": "Tags all over the library wall.",
        "photos": [],
        "kept_photos": _kept_token(page),
    }

    response = signed_in.post(FORM, second_try)

    assert response.status_code == 302
    stored = ServiceRequest.objects.get().photos.all()
    assert [photo.content_type for photo in stored] == ["image/jpeg", "image/png"]
    assert stored_files(media / PENDING_DIRECTORY) == []


def test_a_kept_photo_ticked_to_leave_out_is_not_filed(signed_in, graffiti, media):
    photos = [upload("right.jpg", image_bytes("JPEG")), upload("wrong.png", image_bytes("PNG"))]
    first_try = _form(signed_in, description="Tags", photos=photos)
    page = signed_in.post(FORM, first_try).content.decode()
    wrong = re.search(r'value="([^"]+)" id="remove-kept-photo-2"', page)
    assert wrong is not None
    assert "Leave out wrong.png" in page

    second_try = first_try | {
        "description": "Tags all over the library wall.",
        "photos": [],
        "kept_photos": _kept_token(page),
        "remove_kept_photo": [wrong.group(1)],
    }
    signed_in.post(FORM, second_try)

    assert [p.content_type for p in ServiceRequest.objects.get().photos.all()] == ["image/jpeg"]
    assert stored_files(media / PENDING_DIRECTORY) == []


def test_kept_photos_and_new_ones_count_together_up_to_five(signed_in, graffiti, media):
    first_try = _form(
        signed_in,
        description="Tags",
        photos=[upload(f"{n}.jpg", image_bytes("JPEG")) for n in range(4)],
    )
    page = signed_in.post(FORM, first_try).content.decode()
    second_try = first_try | {
        "photos": [upload(f"more{n}.jpg", image_bytes("JPEG")) for n in range(2)],
        "kept_photos": _kept_token(page),
    }

    page = signed_in.post(FORM, second_try).content.decode()

    assert "Attach at most 5 photos." in page
    assert "These 5 photos are already attached" in page


def test_a_kept_photo_token_is_worthless_in_another_session(
    signed_in, other_citizen, graffiti, media
):
    page = signed_in.post(
        FORM, _form(signed_in, description="Tags", photos=[upload("a.jpg", image_bytes("JPEG"))])
    ).content.decode()
    stranger = Client()
    stranger.force_login(other_citizen)

    stranger.post(FORM, _form(stranger, kept_photos=_kept_token(page)))

    assert ServiceRequest.objects.get().photos.count() == 0
    assert RequestPhoto.objects.count() == 0


def test_a_tampered_token_is_ignored(signed_in, graffiti, media):
    signed_in.post(FORM, _form(signed_in, kept_photos="pending-photos/x.jpg:forged"))

    assert ServiceRequest.objects.get().photos.count() == 0


def test_a_first_visit_by_an_anonymous_visitor_sets_no_session(client, graffiti):
    graffiti.allows_anonymous = True
    graffiti.save()

    response = client.get(FORM)

    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_past_the_keeping_limit_a_mistake_keeps_no_photo_and_choosing_again_files_it(
    signed_in, graffiti, media, settings, other_citizen
):
    settings.PENDING_PHOTOS_MAX_BYTES = 1
    other_visitor = Client()
    other_visitor.force_login(other_citizen)
    other_visitor.post(
        FORM, _form(other_visitor, description="x", photos=[upload("a.jpg", image_bytes("JPEG"))])
    )
    assert len(stored_files(media / PENDING_DIRECTORY)) == 1
    first_try = _form(
        signed_in, description="Tags", photos=[upload("one.jpg", image_bytes("JPEG"))]
    )

    page = signed_in.post(FORM, first_try).content.decode()

    assert 'name="kept_photos"' not in page
    assert "Photos could not be kept for your next try" in page
    assert len(stored_files(media / PENDING_DIRECTORY)) == 1
    again = first_try | {
        "description": "Tags all over the library wall.",
        "photos": [upload("one.jpg", image_bytes("JPEG"))],
    }
    assert signed_in.post(FORM, again).status_code == 302
    assert ServiceRequest.objects.get().photos.count() == 1


def test_filing_a_photo_decodes_no_pixel_in_the_request(signed_in, graffiti, media, monkeypatch):
    monkeypatch.setattr(
        photo_module, "_decode_and_reencode", lambda raw: pytest.fail("decoded in the request")
    )
    data = _form(signed_in, photos=[upload("wall.jpg", jpeg_with_gps_bytes())])

    response = signed_in.post(FORM, data)

    assert response.status_code == 302
    photo = ServiceRequest.objects.get().photos.get()
    assert photo.status == RequestPhoto.Status.AWAITING_CLEANING
