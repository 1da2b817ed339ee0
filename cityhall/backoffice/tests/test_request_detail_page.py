import pytest

from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import ServiceFieldChoiceFactory, ServiceFieldFactory
from cityhall.core.models import AuditEvent
from cityhall.places.h3cells import cell_for
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import get_public_service_request
from cityhall.servicerequests.tests.factories import (
    FollowerFactory,
    ServiceRequestFactory,
    StatusChangeFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

Status = ServiceRequest.Status


def _page(service_request: ServiceRequest, action: str = "") -> str:
    return f"/en/staff/requests/{service_request.public_id}/{action}"


def reveal(client, service_request: ServiceRequest) -> None:
    """Give the reason the citizen's details are needed for, as the page asks."""
    response = client.post(_page(service_request, "contact/"), {"reveal-reason": "handling"})
    assert response.status_code == 302


@pytest.fixture
def agent_client(client, agent):
    sign_in_with_two_factor(client, agent)
    return client


def test_an_agent_reads_the_whole_request_and_the_read_is_audited(agent_client, agent, citizen):
    service_request = ServiceRequestFactory(
        reporter=citizen,
        contact_phone="514 555 0199",
        answers={"depth": "deep"},
        address_text="12 Rue des Érables",
    )
    reveal(agent_client, service_request)

    response = agent_client.get(_page(service_request))

    content = response.content.decode()
    assert response.status_code == 200
    for expected in ("A deep pothole", "514 555 0199", "12 Rue des Érables", citizen.email):
        assert expected in content
    assert AuditEvent.objects.filter(
        actor=agent,
        action=ServiceRequestAuditAction.VIEWED_BY_STAFF,
        target_id=str(service_request.public_id),
    ).exists()


def test_an_agent_of_another_department_gets_404(client, outside_agent):
    service_request = ServiceRequestFactory()
    sign_in_with_two_factor(client, outside_agent)

    assert client.get(_page(service_request)).status_code == 404
    response = client.post(_page(service_request, "status/"), {"status-to_status": "acknowledged"})
    assert response.status_code == 404
    service_request.refresh_from_db()
    assert service_request.status == Status.SUBMITTED


def test_only_the_allowed_transitions_are_offered(agent_client):
    service_request = ServiceRequestFactory()

    response = agent_client.get(_page(service_request))

    offered = [value for value, _ in response.context["status_form"].fields["to_status"].choices]
    assert offered == [Status.ACKNOWLEDGED, Status.REJECTED]


def test_an_agent_moves_a_request_on_with_notes(agent_client):
    service_request = ServiceRequestFactory()

    response = agent_client.post(
        _page(service_request, "status/"),
        {
            "status-to_status": "acknowledged",
            "status-public_note": "A crew will come this week.",
            "status-internal_note": "Reporter called twice, be gentle.",
        },
    )

    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == Status.ACKNOWLEDGED
    page = agent_client.get(_page(service_request)).content.decode()
    assert "A crew will come this week." in page
    assert "Reporter called twice, be gentle." in page


def test_internal_notes_never_reach_the_public_timeline(agent_client):
    service_request = ServiceRequestFactory()

    agent_client.post(
        _page(service_request, "status/"),
        {
            "status-to_status": "acknowledged",
            "status-public_note": "On our list.",
            "status-internal_note": "Same street as last month's sinkhole.",
        },
    )

    public = get_public_service_request(tracking_number=service_request.tracking_number)
    notes = [step.note for step in public.timeline]
    assert "On our list." in notes
    assert not any("sinkhole" in note for note in notes)


def test_a_refused_transition_is_explained_and_changes_nothing(agent_client):
    service_request = ServiceRequestFactory()

    response = agent_client.post(
        _page(service_request, "status/"), {"status-to_status": "resolved"}
    )

    assert response.status_code == 200
    assert "to_status" in response.context["status_form"].errors
    assert "There is a problem" in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.status == Status.SUBMITTED
    assert not service_request.status_changes.exists()


def test_an_agent_takes_a_request_and_gives_it_back(agent_client, agent):
    service_request = ServiceRequestFactory()

    agent_client.post(_page(service_request, "assign/"), {"assign-assignee": "me"})
    service_request.refresh_from_db()
    assert service_request.assignee == agent

    agent_client.post(_page(service_request, "assign/"), {"assign-assignee": "nobody"})
    service_request.refresh_from_db()
    assert service_request.assignee is None


def test_a_likely_duplicate_is_listed_and_merging_moves_its_followers(
    agent_client, citizen, other_citizen
):
    point = {"latitude": 45.51, "longitude": -73.59, "h3_cell": ""}
    original = ServiceRequestFactory(tracking_number="PW-FIRST", **point)
    duplicate = ServiceRequestFactory(
        tracking_number="PW-AGAIN", service=original.service, reporter=citizen, **point
    )
    FollowerFactory(service_request=duplicate, user=other_citizen)
    ServiceRequest.objects.filter(pk__in=[original.pk, duplicate.pk]).update(h3_cell=_cell(point))

    page = agent_client.get(_page(duplicate))
    listed = [candidate.tracking_number for candidate, _ in page.context["duplicates"]]
    response = agent_client.post(_page(duplicate, "merge/"), {"original": str(original.public_id)})

    assert listed == ["PW-FIRST"]
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == Status.DUPLICATE
    assert duplicate.duplicate_of == original
    followers = set(original.followers.values_list("user_id", flat=True))
    assert followers == {citizen.pk, other_citizen.pk}


def _cell(point: dict) -> str:
    return cell_for(point["latitude"], point["longitude"])


def test_merging_into_a_request_of_another_department_is_not_found(agent_client):
    duplicate = ServiceRequestFactory()
    elsewhere = ServiceRequestFactory(service__department__code="parks")

    response = agent_client.post(_page(duplicate, "merge/"), {"original": str(elsewhere.public_id)})

    assert response.status_code == 404
    duplicate.refresh_from_db()
    assert duplicate.status == Status.SUBMITTED


def test_the_request_page_needs_a_two_factor_staff_session(client, agent):
    service_request = ServiceRequestFactory()
    client.force_login(agent)

    response = client.get(_page(service_request))

    assert response.status_code == 302
    assert response["Location"].startswith("/en/staff/sign-in/")


def test_a_citizen_cannot_open_a_request_page(client, citizen):
    service_request = ServiceRequestFactory(reporter=citizen)
    sign_in_with_two_factor(client, citizen)

    assert client.get(_page(service_request)).status_code == 403


def test_the_request_page_runs_a_bounded_number_of_queries(
    agent_client, django_assert_max_num_queries
):
    service_request = ServiceRequestFactory(
        latitude=45.51, longitude=-73.59, answers={"problem": "flickering"}
    )
    problem = ServiceFieldFactory(
        service=service_request.service, code="problem", datatype="singlevaluelist"
    )
    ServiceFieldChoiceFactory(field=problem, key="flickering")
    for status in ("acknowledged", "in_progress"):
        agent_client.post(_page(service_request, "status/"), {"status-to_status": status})

    # Two of them hold back what needs a reason: whether the agent gave one (the audit log)
    # and, until then, which answers are public.
    with django_assert_max_num_queries(21):
        response = agent_client.get(_page(service_request))

    assert response.status_code == 200


def test_the_reporters_reason_for_reopening_is_shown_as_theirs(agent_client, citizen, agent):
    service_request = ServiceRequestFactory(reporter=citizen)
    StatusChangeFactory(
        service_request=service_request,
        actor=citizen,
        from_status=Status.RESOLVED,
        to_status=Status.IN_PROGRESS,
        internal_note="The hole is back after the rain.",
    )
    StatusChangeFactory(
        service_request=service_request,
        actor=agent,
        from_status=Status.IN_PROGRESS,
        to_status=Status.IN_PROGRESS,
        internal_note="Send the big truck.",
        is_public=False,
    )

    content = agent_client.get(_page(service_request)).content.decode()

    assert "Reason given by the reporter:</strong> The hole is back after the rain." in content
    assert "Internal note (staff only):</strong> Send the big truck." in content


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Is the light flickering or out?", "Flickering", "Height", "3"]),
        ("fr", ["La lumière clignote-t-elle?", "Clignote", "Hauteur", "3"]),
    ],
)
def test_answers_show_the_questions_and_choices_in_the_pages_language(
    agent_client, language, expected
):
    service_request = ServiceRequestFactory(answers={"problem": "flickering", "height": 3})
    problem = ServiceFieldFactory(
        service=service_request.service,
        code="problem",
        datatype="singlevaluelist",
        label_en="Is the light flickering or out?",
        label_fr="La lumière clignote-t-elle?",
        order=1,
    )
    ServiceFieldChoiceFactory(
        field=problem, key="flickering", name_en="Flickering", name_fr="Clignote"
    )
    ServiceFieldFactory(
        service=service_request.service,
        code="height",
        datatype="number",
        label_en="Height",
        label_fr="Hauteur",
        order=2,
    )

    response = agent_client.get(f"/{language}/staff/requests/{service_request.public_id}/")

    shown = [(answer.label, answer.value) for answer in response.context["answers"]]
    assert shown == [(expected[0], expected[1]), (expected[2], expected[3])]
    assert "problem:" not in response.content.decode()
    assert ">flickering<" not in response.content.decode()


def test_an_answer_to_a_question_no_longer_asked_is_shown_under_its_code(agent_client):
    service_request = ServiceRequestFactory(answers={"old-question": ["a", "b"]})
    # Such an answer counts as private: it waits for a reason like the contact details.
    reveal(agent_client, service_request)

    response = agent_client.get(_page(service_request))

    shown = [(answer.label, answer.value) for answer in response.context["answers"]]
    assert shown == [("old-question", "a, b")]


@pytest.mark.parametrize(
    ("action", "data", "section"),
    [
        ("status/", {"status-to_status": "acknowledged"}, "change-status"),
        ("update/", {"update-public_note": "A crew comes on Monday."}, "public-update"),
        ("", {"note-internal_note": "Called the reporter."}, "internal-note"),
        ("assign/", {"assign-assignee": "me"}, "assign"),
    ],
)
def test_after_an_action_staff_land_back_on_its_section_with_a_message(
    agent_client, action, data, section
):
    service_request = ServiceRequestFactory()

    response = agent_client.post(_page(service_request, action), data)

    assert response.status_code == 302
    assert response["Location"] == f"{_page(service_request)}#{section}"
    page = agent_client.get(response["Location"]).content.decode()
    assert f'id="{section}"' in page
    assert "message-success" in page


def test_a_located_request_shows_a_small_map_of_its_place(agent_client):
    located = ServiceRequestFactory(latitude=45.51, longitude=-73.59)
    unlocated = ServiceRequestFactory()

    with_map = agent_client.get(_page(located)).content.decode()
    without_map = agent_client.get(_page(unlocated)).content.decode()

    assert "data-request-map" in with_map
    assert 'data-latitude="45.510000"' in with_map
    assert "leaflet/leaflet.js" in with_map
    assert "data-request-map" not in without_map
    assert "leaflet/leaflet.js" not in without_map


def test_coordinates_keep_their_decimal_point_on_the_french_page(agent_client):
    service_request = ServiceRequestFactory(latitude=45.512345, longitude=-73.598765)

    page = agent_client.get(f"/fr/staff/requests/{service_request.public_id}/").content.decode()

    assert "45.512345, -73.598765" in page
