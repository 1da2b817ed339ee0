"""The payloads sent are the ones docs/webhooks.md shows partners."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cityhall.integrations.tests.factories import WebhookSubscriptionFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import change_service_request_status
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

DOCS = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"


def shape(value):
    """The keys of `value`, nested, with leaves reduced to None."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return None


@pytest.mark.django_db
def test_a_status_change_has_the_documented_shape(agent):
    example = re.search(r"```json\n(.*?)```", DOCS.read_text(), re.DOTALL)
    assert example is not None, "docs/webhooks.md lost its example payload"
    documented = json.loads(example[1])
    subscription = WebhookSubscriptionFactory()
    service_request = ServiceRequestFactory(latitude=45.5, longitude=-73.6)

    change_service_request_status(
        service_request=service_request, actor=agent, to_status=ServiceRequest.Status.ACKNOWLEDGED
    )

    sent = json.loads(subscription.deliveries.get().body)
    assert shape(sent) == shape(documented)
    assert sent["type"] == documented["type"]
