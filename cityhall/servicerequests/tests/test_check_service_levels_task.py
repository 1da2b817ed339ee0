from datetime import timedelta

from django.utils import timezone

from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tasks import check_service_levels
from cityhall.servicerequests.tests.factories import ServiceRequestFactory
from config.schedule import SCHEDULE


def test_the_sla_sweep_is_scheduled():
    assert check_service_levels in [entry.task for entry in SCHEDULE]


def test_the_task_reports_the_notices_it_sent(db, agent, supervisor):
    late = ServiceRequestFactory(due_at=timezone.now() - timedelta(minutes=5), assignee=agent)
    ServiceRequest.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(days=1))

    assert check_service_levels.call() == 1
    assert check_service_levels.call() == 0
