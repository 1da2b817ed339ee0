import pytest

from cityhall.catalog.models import Department
from cityhall.catalog.services import create_department
from cityhall.core.errors import Conflict, InvalidInput
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_creating_a_department_stores_both_names_and_audits_it(admin):
    department = create_department(
        code="Public-Works",
        name_en="Public Works",
        name_fr="Travaux publics",
        email="Travaux@Example.org",
        phone="450-555-0181",
        actor=admin,
    )

    department.refresh_from_db()
    assert (department.code, department.name_en, department.name_fr) == (
        "public-works",
        "Public Works",
        "Travaux publics",
    )
    assert department.email == "travaux@example.org"
    event = AuditEvent.objects.get(action="catalog.department_created")
    assert event.actor == admin
    assert event.target_id == str(department.public_id)


@pytest.mark.django_db
def test_a_department_code_can_be_used_only_once():
    create_department(code="water", name_en="Water", name_fr="Eau", actor=None)

    with pytest.raises(Conflict):
        create_department(code="water", name_en="Water again", name_fr="Eau encore", actor=None)

    assert Department.objects.filter(code="water").count() == 1


@pytest.mark.django_db
def test_an_invalid_department_is_refused_with_field_errors_and_not_audited():
    with pytest.raises(InvalidInput) as raised:
        create_department(code="not a slug!", name_en="", name_fr="Eau", email="nope", actor=None)

    assert {"code", "name_en", "email"} <= set(raised.value.fields)
    assert not Department.objects.exists()
    assert not AuditEvent.objects.filter(action="catalog.department_created").exists()
