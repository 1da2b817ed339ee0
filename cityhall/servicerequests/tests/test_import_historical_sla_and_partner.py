"""Imported history is not news: its past SLA notices count as sent, and it may come handed to a
partner organisation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.errors import InvalidInput
from cityhall.notifications.models import Notification
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import service_requests_for_partner
from cityhall.servicerequests.services import import_historical_service_requests, warn_and_escalate
from cityhall.servicerequests.tests.test_import_historical_service_requests import record, steps

Status = ServiceRequest.Status


@pytest.fixture
def pothole(db):
    return ServiceFactory(department__code="public-works", sla_hours=72, allows_anonymous=True)


def test_an_overdue_open_request_is_imported_as_already_warned_and_escalated(
    pothole, supervisor, django_capture_on_commit_callbacks
):
    filed = timezone.now() - timedelta(days=60)
    (imported,) = import_historical_service_requests(
        records=[record(pothole, created_at=filed, steps=steps(Status.ACKNOWLEDGED, start=filed))],
        actor=None,
    )

    with django_capture_on_commit_callbacks(execute=True):
        sweep = warn_and_escalate()

    imported.refresh_from_db()
    assert imported.sla_warned_at is not None
    assert imported.sla_escalated_at is not None
    assert (sweep.warned, sweep.escalated) == (0, 0)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_request_imported_early_in_its_sla_is_still_warned_and_escalated_later(pothole):
    filed = timezone.now() - timedelta(minutes=5)
    (imported,) = import_historical_service_requests(
        records=[record(pothole, created_at=filed)], actor=None
    )

    imported.refresh_from_db()
    assert (imported.sla_warned_at, imported.sla_escalated_at) == (None, None)
    assert imported.due_at is not None
    later = warn_and_escalate(now=imported.due_at + timedelta(minutes=1))
    assert later.escalated == 1


def test_a_settled_request_gets_no_sla_marks(pothole):
    (imported,) = import_historical_service_requests(
        records=[record(pothole, steps=steps(Status.ACKNOWLEDGED, Status.REJECTED))], actor=None
    )

    imported.refresh_from_db()
    assert (imported.sla_warned_at, imported.sla_escalated_at) == (None, None)


def test_a_request_handed_to_a_partner_is_in_its_members_queue(pothole, partner):
    organisation = partner.partner_memberships.get().organisation

    (imported,) = import_historical_service_requests(
        records=[record(pothole, steps=steps(Status.ACKNOWLEDGED), assigned_partner=organisation)],
        actor=None,
    )

    assert list(service_requests_for_partner(user=partner)) == [imported]


def test_an_inactive_partner_is_refused(pothole):
    retired = PartnerOrganisationFactory(is_active=False)

    with pytest.raises(InvalidInput) as refused:
        import_historical_service_requests(
            records=[record(pothole, assigned_partner=retired)], actor=None
        )

    assert list(refused.value.fields) == ["0.assigned_partner"]
    assert not ServiceRequest.objects.exists()
