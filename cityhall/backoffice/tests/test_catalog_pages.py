"""The back office's catalog pages: administrators edit services and their questions."""

from __future__ import annotations

import pytest

from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.models import Service, ServiceField
from cityhall.catalog.tests.factories import (
    DepartmentFactory,
    ServiceFactory,
    ServiceFieldChoiceFactory,
    ServiceFieldFactory,
    department_admin_of,
)
from cityhall.places.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

SERVICES = "/en/staff/services/"


@pytest.fixture
def roads():
    return DepartmentFactory(code="roads", name_en="Roads")


@pytest.fixture
def pothole(roads):
    return ServiceFactory(code="pothole", name_en="Pothole", name_fr="Nid-de-poule",
                          department=roads)  # fmt: skip


@pytest.fixture
def roads_admin_client(client, roads):
    sign_in_with_two_factor(client, department_admin_of(roads))
    return client


def _service_form(department, **overrides):
    data = {
        "code": "icy-sidewalk", "department": department.public_id, "name_en": "Icy sidewalk",
        "name_fr": "Trottoir glacé", "description_en": "Ice.", "description_fr": "Glace.",
        "keywords_en": "ice, salt", "keywords_fr": "glace, sel", "is_active": "on",
        "accepts_requests": "on", "requires_location": "on", "sla_hours": "12",
        "sla_calendar": "calendar", "duplicate_radius_m": "80", "duplicate_window_hours": "24",
    }  # fmt: skip
    return data | overrides


def test_a_department_admin_lists_only_their_departments_services(
    roads_admin_client, pothole, django_assert_max_num_queries
):
    ServiceFactory(code="playground", name_en="Playground", department=DepartmentFactory())

    with django_assert_max_num_queries(12):
        response = roads_admin_client.get(SERVICES)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Pothole" in html
    assert "Playground" not in html


def test_a_department_admin_creates_a_service(roads_admin_client, roads):
    response = roads_admin_client.post(f"{SERVICES}new/", _service_form(roads))

    service = Service.objects.get(code="icy-sidewalk")
    assert response.status_code == 302
    assert response["Location"] == f"{SERVICES}{service.public_id}/"
    assert service.keywords_fr == ["glace", "sel"]
    assert (service.sla_hours, service.sla_calendar, service.requires_location) == (
        12,
        "calendar",
        True,
    )


def test_a_service_cannot_be_created_in_another_department(roads_admin_client):
    parks = DepartmentFactory(code="parks")

    response = roads_admin_client.post(f"{SERVICES}new/", _service_form(parks))

    assert response.status_code == 200
    assert "Error:" in response.content.decode()
    assert not Service.objects.exists()


def test_a_taken_code_is_shown_on_the_form(roads_admin_client, roads, pothole):
    response = roads_admin_client.post(f"{SERVICES}new/", _service_form(roads, code="pothole"))

    assert response.status_code == 200
    assert "A service with this code already exists." in response.content.decode()


def test_a_department_admin_edits_a_service(roads_admin_client, roads, pothole):
    url = f"{SERVICES}{pothole.public_id}/"
    assert roads_admin_client.get(url).status_code == 200

    response = roads_admin_client.post(url, _service_form(roads, name_en="Pothole or rut"))

    assert response.status_code == 302
    pothole.refresh_from_db()
    assert pothole.name_en == "Pothole or rut"
    assert pothole.code == "pothole"


def test_another_departments_service_is_not_found(roads_admin_client):
    playground = ServiceFactory(department=DepartmentFactory(code="parks"))
    field = ServiceFieldFactory(service=playground)

    assert roads_admin_client.get(f"{SERVICES}{playground.public_id}/").status_code == 404
    assert (
        roads_admin_client.post(f"{SERVICES}{playground.public_id}/deactivate/").status_code == 404
    )
    assert roads_admin_client.get(f"/en/staff/questions/{field.public_id}/").status_code == 404
    assert (
        roads_admin_client.post(f"/en/staff/questions/{field.public_id}/remove/").status_code == 404
    )
    playground.refresh_from_db()
    assert playground.is_active


def test_a_service_is_deactivated(roads_admin_client, pothole):
    response = roads_admin_client.post(f"{SERVICES}{pothole.public_id}/deactivate/")

    assert response.status_code == 302
    pothole.refresh_from_db()
    assert not pothole.is_active


def test_a_question_with_answers_is_added_then_changed_then_removed(roads_admin_client, pothole):
    roads_admin_client.post(f"{SERVICES}{pothole.public_id}/questions/new/", {
        "code": "size", "datatype": "singlevaluelist", "label_en": "Size", "label_fr": "Taille",
        "is_required": "on", "order": "0",
        "choices": "small | Small | Petit\nlarge | Large | Grand\n",
    })  # fmt: skip
    field = ServiceField.objects.get(service=pothole)
    assert [c.key for c in field.choices.all()] == ["small", "large"]

    roads_admin_client.post(f"/en/staff/questions/{field.public_id}/", {
        "code": "size", "datatype": "singlevaluelist", "label_en": "How big?",
        "label_fr": "Quelle taille?", "order": "0", "choices": "large | Large | Grand",
    })  # fmt: skip
    field.refresh_from_db()
    assert field.label_en == "How big?"
    assert [c.key for c in field.choices.all()] == ["large"]

    roads_admin_client.post(f"/en/staff/questions/{field.public_id}/remove/")
    assert not ServiceField.objects.exists()


def test_a_malformed_answers_line_is_shown_on_the_form(roads_admin_client, pothole):
    response = roads_admin_client.post(f"{SERVICES}{pothole.public_id}/questions/new/", {
        "code": "size", "datatype": "singlevaluelist", "label_en": "Size", "label_fr": "Taille",
        "order": "0", "choices": "small | Small",
    })  # fmt: skip

    assert response.status_code == 200
    assert "Line 1 needs a key, an English and a French name." in response.content.decode()
    assert not ServiceField.objects.exists()


def test_the_service_page_shows_questions_and_routing(roads_admin_client, pothole):
    size = ServiceFieldFactory(service=pothole, code="size", datatype="singlevaluelist",
                               label_en="Size")  # fmt: skip
    ServiceFieldChoiceFactory(field=size, key="large", name_en="Large")

    html = roads_admin_client.get(f"{SERVICES}{pothole.public_id}/").content.decode()

    assert "Size" in html
    assert "Large" in html
    assert "Otherwise: Roads" in html


def test_a_city_admin_sees_every_service(client, admin, pothole):
    sign_in_with_two_factor(client, admin)

    assert "Pothole" in client.get(SERVICES).content.decode()


@pytest.mark.parametrize("persona", ["agent", "supervisor"])
def test_staff_without_an_admin_role_cannot_open_the_catalog_pages(client, request, persona,
                                                                   pothole):  # fmt: skip
    sign_in_with_two_factor(client, request.getfixturevalue(persona))

    assert client.get(SERVICES).status_code == 403
    assert client.get(f"{SERVICES}{pothole.public_id}/").status_code == 403
    assert client.post(f"{SERVICES}{pothole.public_id}/deactivate/").status_code == 403


def test_catalog_pages_need_a_two_factor_session(client, admin):
    client.force_login(admin)

    assert client.get(SERVICES).status_code == 302


def test_routing_rules_are_replaced_from_their_lines(roads_admin_client, pothole):
    DepartmentFactory(code="parks")
    DistrictFactory(code="north")
    ServiceFieldFactory(service=pothole, code="note", datatype="string")
    url = f"{SERVICES}{pothole.public_id}/routing/"
    assert roads_admin_client.get(url).status_code == 200

    response = roads_admin_client.post(
        url, {"rules": "parks | north | |\n\nroads | | note | urgent"}
    )

    assert response.status_code == 302
    rules = list(pothole.routing_rules.all())
    assert [(r.department.code, r.district_id is not None, r.field_code) for r in rules] == [
        ("parks", True, ""),
        ("roads", False, "note"),
    ]
    assert "parks | north |  | " in roads_admin_client.get(url).content.decode()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("parks | north", "Line 1 needs four parts separated by |."),
        ("nowhere | | note | urgent", "Line 1: no department has this code."),
        ("roads | south | |", "Line 1: no district has this code."),
        ("roads | | colour | red", "This service has no such field."),
    ],
)
def test_a_bad_routing_line_is_shown_on_the_form(roads_admin_client, pothole, line, message):
    DepartmentFactory(code="parks")

    response = roads_admin_client.post(f"{SERVICES}{pothole.public_id}/routing/", {"rules": line})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not pothole.routing_rules.exists()
