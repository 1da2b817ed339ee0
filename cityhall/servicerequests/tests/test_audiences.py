"""Each audience sees a staff-only answer only if the audience table says so, on every output."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from cityhall.accounts.tests.api_callers import key_headers, session_client, token_headers
from cityhall.accounts.tests.factories import PartnerMembershipFactory, PartnerOrganisationFactory
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import ServiceFieldFactory
from cityhall.integrations.payloads import service_request_summary
from cityhall.servicerequests.audiences import Audience, Part, answers_for, sees
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory

PRIVATE = "PRIV-123"
PUBLIC = "Blue sedan"


@pytest.fixture
def hydro(db):
    return PartnerOrganisationFactory(name="Hydro Rivière")


@pytest.fixture
def parked(citizen, hydro):
    service_request = ServiceRequestFactory(
        reporter=citizen,
        assigned_partner=hydro,
        service__code="parking",
        answers={"plate": PRIVATE, "car": PUBLIC, "removed": "Gone from the form"},
    )
    ServiceFieldFactory(service=service_request.service, code="plate", is_private=True)
    ServiceFieldFactory(service=service_request.service, code="car", is_private=False)
    return service_request


@pytest.mark.parametrize("audience", list(Audience))
def test_an_audience_gets_a_staff_only_answer_only_when_the_table_says_so(audience, parked):
    answers = answers_for(parked, audience)

    assert (PRIVATE in answers.values()) == sees(audience, Part.PRIVATE_ANSWERS)
    assert (PUBLIC in answers.values()) == sees(audience, Part.PUBLIC_ANSWERS)


def test_only_staff_see_staff_only_answers():
    assert [audience for audience in Audience if sees(audience, Part.PRIVATE_ANSWERS)] == [
        Audience.STAFF
    ]


def test_an_answer_to_a_question_no_longer_asked_is_shown_to_staff_only(parked):
    assert "removed" in answers_for(parked, Audience.STAFF)
    assert "removed" not in answers_for(parked, Audience.PARTNER)


def test_a_partner_key_reads_no_staff_only_answer(parked, hydro):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=key_headers(hydro, ["requests:read"])["Authorization"])

    detail = client.get(f"/api/v1/partner/requests/{parked.public_id}")
    listed = client.get("/api/v1/partner/requests")

    assert detail.json()["answers"] == {"car": PUBLIC}
    assert PRIVATE not in listed.content.decode()


def test_a_partner_member_reads_no_staff_only_answer(parked, hydro):
    member = PartnerMembershipFactory(organisation=hydro).user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_headers(member)["Authorization"])

    detail = client.get(f"/api/v1/partner/requests/{parked.public_id}")

    assert detail.json()["answers"] == {"car": PUBLIC}


def test_the_reporter_reads_no_staff_only_answer(parked, citizen):
    detail = session_client(citizen).get(f"/api/v1/requests/{parked.public_id}")
    listed = session_client(citizen).get("/api/v1/requests")

    assert detail.json()["answers"] == {"car": PUBLIC}
    assert PRIVATE not in listed.content.decode()


def test_staff_read_every_answer_once_they_give_a_reason(parked, agent, client):
    api = session_client(agent, two_factor_passed=True)
    sign_in_with_two_factor(client, agent)

    before = api.get(f"/api/v1/staff/requests/{parked.public_id}")
    detail = api.get(f"/api/v1/staff/requests/{parked.public_id}", {"reason": "handling"})
    page = client.get(f"/en/staff/requests/{parked.public_id}/")

    # A reason given through the API counts on the page too, for a while.
    assert "plate" not in before.json()["answers"]
    assert detail.json()["answers"]["plate"] == PRIVATE
    assert PRIVATE in str(page.context["answers"])


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.FOLLOWER, Audience.PARTNER])
def test_the_pages_feeds_and_payloads_without_staff_read_no_staff_only_answer(
    audience, parked, hydro, other_citizen
):
    reader = session_client(other_citizen)
    if audience == Audience.FOLLOWER:
        FollowerFactory(service_request=parked, user=other_citizen)
    if audience == Audience.PARTNER:
        reader = session_client(PartnerMembershipFactory(organisation=hydro).user)

    outputs = [
        reader.get(f"/en/requests/{parked.tracking_number}/").content.decode(),
        reader.get(f"/open311/v2/requests/{parked.tracking_number}.json").content.decode(),
        reader.get(f"/en/partner/requests/{parked.public_id}/").content.decode(),
        json.dumps(service_request_summary(parked)),
    ]

    assert [PRIVATE in output for output in outputs] == [False] * len(outputs)


#: Modules that may touch `.answers` without the audience table: the table itself, and those
#: that take answers in (forms, filing, imports, the demo), which never show stored ones.
ANSWER_READERS = {
    "cityhall/servicerequests/audiences.py",
    "cityhall/servicerequests/services/intake.py",
    "cityhall/servicerequests/services/history.py",
    "cityhall/portal/forms_requests.py",
    "cityhall/portal/views_requests/filing.py",
    "cityhall/demo/history.py",
    # Erasure redacts the person's name, email and phone from every answer; it shows none.
    "cityhall/servicerequests/personal_data.py",
}


def _touches_answers(tree: ast.Module) -> bool:
    """Whether the module reads some object's `.answers`, or declares `answers` as a plain
    dictionary field of an output serializer (one whose name does not end in "Input")."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "answers":
            return True
        if isinstance(node, ast.ClassDef) and not node.name.endswith("Input"):
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(
                        isinstance(target, ast.Name) and target.id == "answers"
                        for target in statement.targets
                    )
                    and isinstance(statement.value, ast.Call)
                    and getattr(statement.value.func, "attr", "") == "DictField"
                ):
                    return True
    return False


def test_every_representation_of_a_request_takes_its_answers_from_the_audience_table():
    root = Path(__file__).resolve().parents[3]
    readers = {
        str(path.relative_to(root))
        for path in (root / "cityhall").rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and _touches_answers(ast.parse(path.read_text(encoding="utf-8")))
    }

    assert readers <= ANSWER_READERS
