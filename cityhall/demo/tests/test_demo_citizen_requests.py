"""The demo citizen finds requests of their own, one open and one settled, and one followed."""

from io import StringIO

import pytest
from django.core.management import call_command

from cityhall.demo.citizen import DEMO_CITIZEN_EMAIL, ENDED, SETTLED
from cityhall.servicerequests.models import Follower, ServiceRequest


@pytest.fixture
def demo_city(db):
    call_command(
        "load_demo_city",
        *["--residents", "100", "--addresses", "1000", "--requests", "400"],
        stdout=StringIO(),
    )


def test_the_demo_citizen_has_an_open_and_a_settled_request_and_follows_a_neighbours(demo_city):
    filed = ServiceRequest.objects.filter(reporter__email=DEMO_CITIZEN_EMAIL)
    followed = Follower.objects.filter(user__email=DEMO_CITIZEN_EMAIL).select_related(
        "service_request__reporter"
    )

    assert filed.exclude(status__in=ENDED).exists()
    assert filed.filter(status__in=SETTLED).exists()
    assert not filed.filter(service__is_sensitive=True).exists()
    assert [follow.service_request.status not in ENDED for follow in followed] == [True]
    assert followed.get().service_request.reporter_id not in set(
        filed.values_list("reporter_id", flat=True)
    )
