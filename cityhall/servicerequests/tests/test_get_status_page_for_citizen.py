import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from cityhall.core.errors import NotFound
from cityhall.places.tests.factories import DistrictFactory
from cityhall.servicerequests.selectors import get_status_page_for_citizen
from cityhall.servicerequests.services import add_comment
from cityhall.servicerequests.tests.factories import (
    FollowerFactory,
    ServiceRequestFactory,
    StatusChangeFactory,
)


@pytest.fixture
def filed(citizen):
    service_request = ServiceRequestFactory(
        reporter=citizen,
        tracking_number="RAS-26-000311",
        service__name_en="Pothole",
        service__name_fr="Nid-de-poule",
        district=DistrictFactory(name="Old Port", name_fr="Vieux-Port"),
        contact_phone="514-555-0100",
        due_at=timezone.now() + dt.timedelta(days=2),
        due_change_reason="Parts are on order.",
    )
    StatusChangeFactory(service_request=service_request, public_note="On our list.")
    return service_request


def test_an_anonymous_visitor_gets_the_public_view_in_two_queries(filed, django_assert_num_queries):
    with django_assert_num_queries(2):
        page = get_status_page_for_citizen(tracking_number="ras-26-000311", user=AnonymousUser())

    assert page.public.tracking_number == "RAS-26-000311"
    assert page.public.service_name == "Pothole"
    assert page.public.district_name == "Old Port"
    assert [step.note for step in page.public.timeline] == ["On our list."]
    assert (page.expected.due_at, page.expected.reason) == (filed.due_at, "Parts are on order.")
    assert page.own is None
    assert not page.comments.can_comment
    assert not page.can_follow


def test_names_are_in_the_active_language(filed):
    with translation.override("fr"):
        page = get_status_page_for_citizen(
            tracking_number=filed.tracking_number, user=AnonymousUser()
        )

    assert (page.public.service_name, page.public.district_name) == ("Nid-de-poule", "Vieux-Port")


def test_the_reporter_gets_their_request_and_comments_but_no_follow_button(filed, citizen):
    add_comment(service_request=filed, author=citizen, body="Still there.")

    page = get_status_page_for_citizen(tracking_number=filed.tracking_number, user=citizen)

    assert page.own is not None
    assert (page.own.pk, page.own.contact_phone) == (filed.pk, "514-555-0100")
    assert [c.body for c in page.comments.comments] == ["Still there."]
    assert not page.can_follow


def test_another_citizen_may_follow_but_gets_nothing_the_reporter_wrote(filed, other_citizen):
    page = get_status_page_for_citizen(tracking_number=filed.tracking_number, user=other_citizen)

    assert page.own is None
    assert not page.comments.can_comment
    assert page.can_follow


def test_a_follower_reads_their_comments(filed, other_citizen):
    FollowerFactory(service_request=filed, user=other_citizen)
    add_comment(service_request=filed, author=other_citizen, body="Me too.")

    page = get_status_page_for_citizen(tracking_number=filed.tracking_number, user=other_citizen)

    assert page.comments.can_comment
    assert [(c.body, c.is_own) for c in page.comments.comments] == [("Me too.", True)]


@pytest.mark.parametrize("change", [{"is_sensitive": True}, {"is_active": False}])
def test_no_one_may_follow_a_sensitive_or_unlisted_service(filed, other_citizen, change):
    for name, value in change.items():
        setattr(filed.service, name, value)
    filed.service.save()

    page = get_status_page_for_citizen(tracking_number=filed.tracking_number, user=other_citizen)

    assert not page.can_follow


def test_an_unknown_number_is_not_found(db):
    with pytest.raises(NotFound):
        get_status_page_for_citizen(tracking_number="RAS-26-999999", user=AnonymousUser())


def test_a_follower_is_told_they_follow_and_a_visitor_is_not(filed, citizen, other_citizen):
    FollowerFactory(service_request=filed, user=other_citizen)

    as_follower = get_status_page_for_citizen(
        tracking_number=filed.tracking_number, user=other_citizen
    )
    as_reporter = get_status_page_for_citizen(tracking_number=filed.tracking_number, user=citizen)
    as_visitor = get_status_page_for_citizen(
        tracking_number=filed.tracking_number, user=AnonymousUser()
    )

    assert as_follower.is_following
    assert not as_reporter.is_following
    assert not as_visitor.is_following


def test_an_anonymous_visitor_learns_the_request_may_be_followed_once_signed_in(filed):
    page = get_status_page_for_citizen(tracking_number=filed.tracking_number, user=AnonymousUser())

    assert page.is_followable
    assert not page.can_follow
