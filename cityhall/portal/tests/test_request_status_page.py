import datetime as dt

import pytest
from django.utils import timezone

from cityhall.servicerequests.models import Follower, ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory, StatusChangeFactory

Status = ServiceRequest.Status


@pytest.fixture
def filed(citizen):
    service_request = ServiceRequestFactory(
        reporter=citizen,
        tracking_number="RAS-26-000042",
        service__name_en="Pothole",
        description="Deep hole in front of 12 Oak Street, call me at 555-0100.",
        contact_phone="555-0100",
        due_at=timezone.now() + dt.timedelta(days=3),
    )
    StatusChangeFactory(service_request=service_request, to_status=Status.SUBMITTED)
    StatusChangeFactory(
        service_request=service_request,
        to_status=Status.ACKNOWLEDGED,
        public_note="A crew is on its way.",
    )
    StatusChangeFactory(
        service_request=service_request,
        to_status=Status.ACKNOWLEDGED,
        public_note="Staff only step.",
        is_public=False,
    )
    return service_request


def _status_url(service_request):
    return f"/en/requests/{service_request.tracking_number}/"


def test_the_reporter_sees_status_due_date_timeline_and_what_they_wrote(client, citizen, filed):
    client.force_login(citizen)

    page = client.get(_status_url(filed)).content.decode()

    assert "RAS-26-000042" in page
    assert "Pothole" in page
    assert "Acknowledged" in page
    assert "Expected resolution" in page
    assert "Not set" not in page
    assert "A crew is on its way." in page
    assert "Staff only step." not in page
    assert "Deep hole in front of 12 Oak Street" in page
    assert "555-0100" in page


@pytest.mark.parametrize("visitor", ["other_citizen", "anonymous"])
def test_anyone_else_sees_only_the_public_status(client, filed, visitor, request):
    if visitor != "anonymous":
        client.force_login(request.getfixturevalue(visitor))

    page = client.get(_status_url(filed)).content.decode()

    assert "RAS-26-000042" in page
    assert "A crew is on its way." in page
    assert "Deep hole in front of 12 Oak Street" not in page
    assert "555-0100" not in page
    assert "Reopen" not in page


def test_an_unknown_tracking_number_is_not_found(client, db):
    assert client.get("/en/requests/RAS-26-999999/").status_code == 404


def test_a_signed_in_citizen_follows_another_citizens_request(client, other_citizen, filed):
    client.force_login(other_citizen)

    page = client.get(_status_url(filed)).content.decode()
    response = client.post(f"{_status_url(filed)}follow/")

    assert "Follow this request" in page
    assert response.status_code == 302
    assert Follower.objects.filter(service_request=filed, user=other_citizen).exists()


def test_an_anonymous_visitor_cannot_follow(client, filed):
    page = client.get(_status_url(filed)).content.decode()
    response = client.post(f"{_status_url(filed)}follow/")

    assert "Follow this request" not in page
    assert response.status_code == 302
    assert "/sign-in/" in response.url
    assert not Follower.objects.exists()


def _resolve(service_request, *, days_ago):
    service_request.status = Status.RESOLVED
    service_request.resolved_at = timezone.now() - dt.timedelta(days=days_ago)
    service_request.save()


def test_the_reporter_reopens_a_request_resolved_within_14_days(client, citizen, filed):
    _resolve(filed, days_ago=3)
    client.force_login(citizen)

    page = client.get(_status_url(filed)).content.decode()
    client.post(f"{_status_url(filed)}reopen/")

    assert "Reopen the request" in page
    filed.refresh_from_db()
    assert filed.status == Status.IN_PROGRESS


def test_no_reopen_button_after_14_days_and_a_late_post_changes_nothing(client, citizen, filed):
    _resolve(filed, days_ago=20)
    client.force_login(citizen)

    page = client.get(_status_url(filed)).content.decode()
    response = client.post(f"{_status_url(filed)}reopen/", follow=True)

    assert "Reopen the request" not in page
    assert "too long ago" in response.content.decode()
    filed.refresh_from_db()
    assert filed.status == Status.RESOLVED


def test_another_citizen_cannot_reopen_the_request(client, other_citizen, filed):
    _resolve(filed, days_ago=1)
    client.force_login(other_citizen)

    response = client.post(f"{_status_url(filed)}reopen/")

    assert response.status_code == 404
    filed.refresh_from_db()
    assert filed.status == Status.RESOLVED


def test_no_follow_button_on_someone_elses_request_for_a_sensitive_service(
    client, other_citizen, filed
):
    filed.service.is_sensitive = True
    filed.service.save()
    client.force_login(other_citizen)

    page = client.get(_status_url(filed)).content.decode()

    assert "Follow this request" not in page
    assert client.post(f"{_status_url(filed)}follow/").status_code == 404


def test_the_status_page_says_why_staff_moved_the_due_date(client, filed):
    ServiceRequest.objects.filter(pk=filed.pk).update(due_change_reason="Parts are on order.")

    response = client.get(_status_url(filed))

    assert "The date was changed: Parts are on order." in response.content.decode()


def test_an_anonymous_visitor_reads_the_page_in_three_queries(
    client, filed, django_assert_num_queries
):
    # The request, its timeline, and whether a crisis alert is current (then cached).
    with django_assert_num_queries(3):
        assert client.get(_status_url(filed)).status_code == 200


def test_a_follower_reads_the_page_without_a_query_per_part(
    client, other_citizen, filed, django_assert_max_num_queries
):
    Follower.objects.create(service_request=filed, user=other_citizen)
    client.force_login(other_citizen)

    # Session and user, the request, its timeline, whether they follow it, their comments,
    # the unread count and whether they act for a partner, both in the navigation, and
    # whether a crisis alert is current (then cached).
    with django_assert_max_num_queries(9):
        assert client.get(_status_url(filed)).status_code == 200


def test_an_unchanged_page_revalidated_by_an_anonymous_visitor_answers_304(client, filed):
    first = client.get(_status_url(filed))

    again = client.get(_status_url(filed), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert "no-cache" in again["Cache-Control"]


def test_a_new_update_is_shown_to_a_visitor_revalidating_their_copy(client, filed):
    etag = client.get(_status_url(filed))["ETag"]
    StatusChangeFactory(
        service_request=filed, to_status=Status.IN_PROGRESS, public_note="Crew on site."
    )

    again = client.get(_status_url(filed), headers={"if-none-match": etag})

    assert again.status_code == 200
    assert "Crew on site." in again.content.decode()


def test_the_reporters_page_is_never_stored_by_shared_caches(client, citizen, filed):
    client.force_login(citizen)

    response = client.get(_status_url(filed))

    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert not response.has_header("ETag")
    assert "555-0100" in response.content.decode()


def test_after_following_the_button_offers_to_unfollow(client, other_citizen, filed):
    client.force_login(other_citizen)

    page = client.post(f"{_status_url(filed)}follow/", follow=True).content.decode()

    assert "You follow this request" in page
    assert f'action="{_status_url(filed)}unfollow/"' in page
    assert ">Unfollow this request</button>" in page
    assert ">Follow this request</button>" not in page


def test_unfollowing_stops_the_follow_and_offers_to_follow_again(client, other_citizen, filed):
    Follower.objects.create(service_request=filed, user=other_citizen)
    client.force_login(other_citizen)

    page = client.post(f"{_status_url(filed)}unfollow/", follow=True).content.decode()

    assert not Follower.objects.filter(user=other_citizen).exists()
    assert "You no longer follow this request." in page
    assert ">Follow this request</button>" in page


def test_unfollowing_needs_a_signed_in_citizen_and_a_post(client, other_citizen, filed):
    Follower.objects.create(service_request=filed, user=other_citizen)

    anonymous = client.post(f"{_status_url(filed)}unfollow/")
    client.force_login(other_citizen)
    by_get = client.get(f"{_status_url(filed)}unfollow/")

    assert anonymous.status_code == 302
    assert "/sign-in/" in anonymous.url
    assert by_get.status_code == 405
    assert Follower.objects.filter(user=other_citizen).exists()


def test_an_update_from_the_city_is_not_shown_as_a_status_change(client, filed):
    StatusChangeFactory(
        service_request=filed,
        from_status=Status.ACKNOWLEDGED,
        to_status=Status.ACKNOWLEDGED,
        public_note="The crew comes on Tuesday.",
    )

    page = client.get(_status_url(filed)).content.decode()

    assert "Update from the city</strong>: The crew comes on Tuesday." in page
    assert "Status: Acknowledged</strong>" in page


def test_a_closed_request_says_when_it_closed_and_no_longer_expects_a_resolution(client, filed):
    ServiceRequest.objects.filter(pk=filed.pk).update(
        status=Status.CLOSED, closed_at=dt.datetime(2026, 3, 5, 14, 30, tzinfo=dt.UTC)
    )

    english = client.get(_status_url(filed)).content.decode()
    french = client.get(f"/fr/requests/{filed.tracking_number}/").content.decode()

    assert "Expected resolution" not in english
    assert "Closed on" in english
    assert "March 5, 2026" in english
    assert "5 mars 2026" in french
    assert "Résolution prévue" not in french


def test_a_rejected_request_no_longer_expects_a_resolution(client, filed):
    ServiceRequest.objects.filter(pk=filed.pk).update(status=Status.REJECTED)

    page = client.get(_status_url(filed)).content.decode()

    assert "Expected resolution" not in page


def test_a_merged_request_links_to_the_request_it_joined_and_expects_nothing(client, filed):
    original = ServiceRequestFactory(tracking_number="RAS-26-000500")
    ServiceRequest.objects.filter(pk=filed.pk).update(
        status=Status.DUPLICATE, duplicate_of=original
    )

    page = client.get(_status_url(filed)).content.decode()

    assert '<a href="/en/requests/RAS-26-000500/">Request RAS-26-000500</a>' in page
    assert "Expected resolution" not in page


def test_the_reporter_may_say_why_they_reopen_and_staff_read_it(client, citizen, filed):
    _resolve(filed, days_ago=2)
    client.force_login(citizen)

    page = client.get(_status_url(filed)).content.decode()
    client.post(f"{_status_url(filed)}reopen/", {"reason": "  The hole is back after the rain. "})

    assert "Why reopen it? (optional)" in page
    step = filed.status_changes.get(to_status=Status.IN_PROGRESS)
    assert step.internal_note == "The hole is back after the rain."
    assert step.public_note == ""


def test_the_reporter_may_reopen_without_a_reason(client, citizen, filed):
    _resolve(filed, days_ago=2)
    client.force_login(citizen)

    client.post(f"{_status_url(filed)}reopen/")

    filed.refresh_from_db()
    assert filed.status == Status.IN_PROGRESS


def test_a_reason_too_long_is_refused_and_the_request_stays_settled(client, citizen, filed):
    _resolve(filed, days_ago=2)
    client.force_login(citizen)

    response = client.post(f"{_status_url(filed)}reopen/", {"reason": "x" * 2001}, follow=True)

    assert "Keep the reason under 2000 characters." in response.content.decode()
    filed.refresh_from_db()
    assert filed.status == Status.RESOLVED


def test_an_anonymous_visitor_is_offered_to_sign_in_to_follow(client, filed):
    page = client.get(_status_url(filed)).content.decode()

    assert f'href="/en/account/sign-in/?next={_status_url(filed)}"' in page
    assert "Sign in to follow this request" in page


def test_no_sign_in_to_follow_on_a_sensitive_request(client, filed):
    filed.service.is_sensitive = True
    filed.service.save()

    page = client.get(_status_url(filed)).content.decode()

    assert "Sign in to follow this request" not in page
