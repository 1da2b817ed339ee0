from __future__ import annotations

import pytest

from cityhall.core.errors import Conflict, NotFound
from cityhall.servicerequests.models import Follower, ServiceRequest
from cityhall.servicerequests.services import merge_duplicate
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory


@pytest.fixture
def pair(citizen, other_citizen):
    original = ServiceRequestFactory(reporter=other_citizen)
    duplicate = ServiceRequestFactory(service=original.service, reporter=citizen)
    return duplicate, original


def test_the_duplicate_points_to_the_original_and_its_people_follow_both(pair, agent, citizen):
    duplicate, original = pair
    watcher = FollowerFactory(service_request=duplicate).user

    merge_duplicate(duplicate=duplicate, original=original, actor=agent)

    duplicate.refresh_from_db()
    assert duplicate.status == ServiceRequest.Status.DUPLICATE
    assert duplicate.duplicate_of == original
    assert set(original.followers.values_list("user", flat=True)) == {citizen.pk, watcher.pk}
    assert Follower.objects.filter(service_request=duplicate, user=watcher).exists()


def test_earlier_duplicates_are_pointed_at_the_original(pair, agent):
    duplicate, original = pair
    older = ServiceRequestFactory(
        service=original.service, status="duplicate", duplicate_of=duplicate
    )

    merge_duplicate(duplicate=duplicate, original=original, actor=agent)

    older.refresh_from_db()
    assert older.duplicate_of == original


def test_a_request_cannot_be_merged_into_itself(pair, agent):
    duplicate, _ = pair

    with pytest.raises(Conflict, match="cannot be merged into itself"):
        merge_duplicate(duplicate=duplicate, original=duplicate, actor=agent)


def test_a_closed_request_cannot_be_merged(pair, agent):
    duplicate, original = pair
    ServiceRequest.objects.filter(pk=duplicate.pk).update(status="rejected")

    with pytest.raises(Conflict, match="Only an open request can be merged"):
        merge_duplicate(duplicate=duplicate, original=original, actor=agent)


def test_merging_into_a_merged_request_names_it_and_says_to_use_its_original(pair, agent):
    duplicate, original = pair
    merged = ServiceRequestFactory(
        service=original.service, status="duplicate", duplicate_of=original
    )

    with pytest.raises(Conflict, match=f"{merged.tracking_number} is itself merged"):
        merge_duplicate(duplicate=duplicate, original=merged, actor=agent)

    duplicate.refresh_from_db()
    assert duplicate.status == ServiceRequest.Status.SUBMITTED


def test_staff_outside_the_department_get_not_found(pair, outside_agent):
    duplicate, original = pair

    with pytest.raises(NotFound):
        merge_duplicate(duplicate=duplicate, original=original, actor=outside_agent)
