"""Staff change what an event says, within the variables its sender provides."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.functional import lazy

from cityhall.accounts.models import StaffRole
from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cityhall.core.models import AuditEvent
from cityhall.notifications.models import Template
from cityhall.notifications.template_editing import (
    SAMPLE_VALUES,
    TEMPLATE_CREATED,
    TEMPLATE_UPDATED,
    TemplateText,
    create_template,
    preview_text,
    update_template,
)
from cityhall.notifications.tests.factories import TemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return StaffRoleFactory(role=StaffRole.Role.COMMUNICATIONS_OFFICER, department=None).user


@pytest.fixture
def closed_in_english():
    return TemplateFactory(code="request-closed", language="en", variables=["name", "number"])


def test_an_officer_rewords_a_text_and_the_audit_keeps_the_previous_one(officer, closed_in_english):
    text = TemplateText(subject="Request {{ number }} is done", body="Thanks {{ name }}!")

    update_template(actor=officer, template=closed_in_english, text=text)

    closed_in_english.refresh_from_db()
    assert (closed_in_english.subject, closed_in_english.body) == (text.subject, text.body)
    event = AuditEvent.objects.get(action=TEMPLATE_UPDATED)
    assert event.actor == officer
    assert event.target_id == str(closed_in_english.public_id)
    assert event.data["before"]["subject"] == "Your request {{ number }} is closed"


def test_a_variable_the_event_does_not_provide_is_refused_next_to_its_field(
    officer, closed_in_english
):
    text = TemplateText(subject="Done", body="Hello {{ name }} of {{ district }}")

    with pytest.raises(InvalidInput) as caught:
        update_template(actor=officer, template=closed_in_english, text=text)

    assert caught.value.fields == {"body": ["Unknown variables: district."]}
    closed_in_english.refresh_from_db()
    assert closed_in_english.subject == "Your request {{ number }} is closed"
    assert not AuditEvent.objects.filter(action=TEMPLATE_UPDATED).exists()


@pytest.mark.parametrize(
    "body",
    ["{% if name %}Hi{% endif %}", "Hi {{ name|upper }}", "Hi {{ name }", "Hi {{ }}"],
)
def test_template_syntax_other_than_plain_variables_is_refused(officer, closed_in_english, body):
    with pytest.raises(InvalidInput) as caught:
        update_template(
            actor=officer, template=closed_in_english, text=TemplateText(subject="", body=body)
        )

    assert "body" in caught.value.fields


def test_an_empty_body_is_refused(officer, closed_in_english):
    with pytest.raises(InvalidInput) as caught:
        update_template(
            actor=officer, template=closed_in_english, text=TemplateText(subject="Hi", body="")
        )

    assert "body" in caught.value.fields


def test_the_french_text_takes_the_events_topic_and_variables(officer, closed_in_english):
    TemplateFactory(code="request-closed", channel="sms", language="en", body="{{ number }}",
                    variables=["number", "link"])  # fmt: skip

    created = create_template(
        actor=officer, code="request-closed", language="fr",
        text=TemplateText(subject="Demande {{ number }} fermée", body="Voir {{ link }}"),
    )  # fmt: skip

    assert created.topic == closed_in_english.topic
    assert sorted(created.variables) == ["link", "name", "number"]
    assert created.channel == ""
    assert AuditEvent.objects.get(action=TEMPLATE_CREATED).data == {
        "code": "request-closed", "language": "fr", "channel": "",
    }  # fmt: skip


def test_no_text_can_be_written_for_an_event_nothing_sends(officer):
    with pytest.raises(NotFound):
        create_template(actor=officer, code="made-up", language="fr",
                        text=TemplateText(subject="", body="Bonjour"))  # fmt: skip


def test_a_second_text_for_the_same_language_conflicts(officer, closed_in_english):
    with pytest.raises(Conflict):
        create_template(actor=officer, code="request-closed", language="en",
                        text=TemplateText(subject="", body="Hello"))  # fmt: skip

    assert Template.objects.filter(code="request-closed").count() == 1


def test_an_unknown_language_or_channel_is_refused(officer, closed_in_english):
    with pytest.raises(InvalidInput) as caught:
        create_template(actor=officer, code="request-closed", language="de", channel="fax",
                        text=TemplateText(subject="", body="Hallo"))  # fmt: skip

    assert set(caught.value.fields) == {"language", "channel"}


def test_staff_without_the_communications_role_cannot_edit_texts(agent, closed_in_english):
    with pytest.raises(PermissionDenied):
        update_template(actor=agent, template=closed_in_english,
                        text=TemplateText(subject="", body="Hi"))  # fmt: skip
    with pytest.raises(PermissionDenied):
        create_template(actor=agent, code="request-closed", language="fr",
                        text=TemplateText(subject="", body="Salut"))  # fmt: skip


def test_the_preview_fills_every_variable_with_a_sample_value():
    preview = preview_text(
        TemplateText(subject="Request {{ number }}", body="{{ service }}: {{ link }} {{ odd }}"),
        language="en",
    )

    assert preview.subject == "Request 2026-000123"
    assert preview.body.startswith("Pothole: http")
    assert preview.body.endswith("/requests/2026-000123/ [odd]")


def test_the_preview_speaks_the_language_of_the_text(monkeypatch):
    monkeypatch.setitem(SAMPLE_VALUES, "note", lazy(translation.get_language, str)())

    french = preview_text(TemplateText(subject="", body="{{ note }}"), language="fr")

    assert french.body == "fr"
    assert translation.get_language() != "fr"
