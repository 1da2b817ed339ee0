"""Photos whose cleaning task was lost are cleaned by a periodic sweep, oldest first, a few
at a time; photos filed recently are left to their own task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests import tasks as task_module
from cityhall.servicerequests.models import RequestPhoto, ServiceRequest
from cityhall.servicerequests.services import submit_service_request
from cityhall.servicerequests.tasks import PHOTO_LEFT_WAITING_AFTER, clean_photos_left_waiting
from cityhall.servicerequests.tests.photo_files import image_bytes, upload, use_temporary_media
from config.schedule import SCHEDULE

AWAITING = RequestPhoto.Status.AWAITING_CLEANING


@pytest.fixture
def filed_photo(db, settings, tmp_path, citizen):
    """File one photo without running its task, `age` ago."""
    use_temporary_media(settings, tmp_path)
    service = ServiceFactory(code="graffiti")

    def filed(age: timedelta) -> RequestPhoto:
        service_request = submit_service_request(
            reporter=citizen,
            service=service,
            description="Graffiti on the library wall.",
            answers={},
            location=None,
            channel=ServiceRequest.Channel.PORTAL,
            photos=[upload("a.jpg", image_bytes("JPEG"))],
        )
        photo = service_request.photos.get()
        RequestPhoto.objects.filter(pk=photo.pk).update(created_at=timezone.now() - age)
        return photo

    return filed


def status_of(photo: RequestPhoto) -> str:
    photo.refresh_from_db()
    return photo.status


def test_a_photo_left_waiting_is_cleaned_and_a_recent_one_left_to_its_task(filed_photo):
    lost = filed_photo(PHOTO_LEFT_WAITING_AFTER + timedelta(minutes=1))
    recent = filed_photo(timedelta(minutes=5))

    assert clean_photos_left_waiting.enqueue().return_value == 1
    assert status_of(lost) == RequestPhoto.Status.CLEAN
    assert status_of(recent) == AWAITING


def test_one_sweep_cleans_a_bounded_number_oldest_first(filed_photo, monkeypatch):
    monkeypatch.setattr(task_module, "PHOTOS_PER_SWEEP", 1)
    older = filed_photo(PHOTO_LEFT_WAITING_AFTER + timedelta(hours=2))
    newer = filed_photo(PHOTO_LEFT_WAITING_AFTER + timedelta(hours=1))

    assert clean_photos_left_waiting.enqueue().return_value == 1
    assert status_of(older) == RequestPhoto.Status.CLEAN
    assert status_of(newer) == AWAITING


def test_the_sweep_is_on_the_schedule():
    assert clean_photos_left_waiting in [periodic.task for periodic in SCHEDULE]
