import pytest

from cityhall.catalog.models import Department
from cityhall.catalog.services import create_department, delete_department
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_deleting_a_department_removes_it_and_audits_it(admin):
    department = create_department(code="roads", name_en="Roads", name_fr="Voirie", actor=None)

    delete_department(department=department, actor=admin)

    assert not Department.objects.filter(code="roads").exists()
    event = AuditEvent.objects.get(action="catalog.department_deleted")
    assert event.actor == admin
    assert event.data["code"] == "roads"
