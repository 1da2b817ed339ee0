from __future__ import annotations

import pytest
from django.utils import timezone

from cityhall.core.errors import Conflict, InvalidInput, NotFound
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import satisfaction_summary
from cityhall.servicerequests.services import can_rate, rate_service_request
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

Status = ServiceRequest.Status


@pytest.fixture
def resolved(citizen):
    return ServiceRequestFactory(
        reporter=citizen, status=Status.RESOLVED, resolved_at=timezone.now()
    )


def test_the_reporter_rates_a_resolved_request_once(resolved, citizen):
    rating = rate_service_request(
        service_request=resolved, actor=citizen, score=4, comment=" Quick work. "
    )

    assert (rating.score, rating.comment, rating.rater) == (4, "Quick work.", citizen)
    assert not can_rate(resolved, citizen)
    with pytest.raises(Conflict):
        rate_service_request(service_request=resolved, actor=citizen, score=5)


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_score_outside_1_to_5_is_refused_on_the_score_field(resolved, citizen, score):
    with pytest.raises(InvalidInput) as error:
        rate_service_request(service_request=resolved, actor=citizen, score=score)

    assert list(error.value.fields) == ["score"]


def test_an_open_request_cannot_be_rated_yet(citizen):
    service_request = ServiceRequestFactory(reporter=citizen)

    assert not can_rate(service_request, citizen)
    with pytest.raises(Conflict):
        rate_service_request(service_request=service_request, actor=citizen, score=3)


def test_nobody_but_the_reporter_may_rate(resolved, other_citizen):
    assert not can_rate(resolved, other_citizen)
    with pytest.raises(NotFound):
        rate_service_request(service_request=resolved, actor=other_citizen, score=1)


def test_staff_see_the_average_and_count_of_their_departments(
    resolved, citizen, other_citizen, agent, outside_agent
):
    rate_service_request(service_request=resolved, actor=citizen, score=5)
    second = ServiceRequestFactory(
        reporter=other_citizen, status=Status.CLOSED, closed_at=timezone.now()
    )
    rate_service_request(service_request=second, actor=other_citizen, score=2)

    mine = satisfaction_summary(staff=agent)
    elsewhere = satisfaction_summary(staff=outside_agent)

    assert (mine.average, mine.count) == (3.5, 2)
    assert (elsewhere.average, elsewhere.count) == (None, 0)
