"""`rotate_encryption_keys` moves every encrypted value and digest to the active keys, after
which the old keys can be removed; it resumes where it stopped and names a missing key."""

from __future__ import annotations

import base64
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from cityhall.servicerequests.models import Comment, ServiceRequest, StatusChange
from cityhall.servicerequests.selectors import service_requests_with_contact_email
from cityhall.servicerequests.tests.factories import ServiceRequestFactory, StatusChangeFactory

pytestmark = pytest.mark.django_db

OLD = base64.b64encode(b"o" * 32).decode()
NEW = base64.b64encode(b"n" * 32).decode()
HASH_OLD = base64.b64encode(b"h" * 32).decode()
HASH_NEW = base64.b64encode(b"H" * 32).decode()
BEFORE = {"FIELD_ENCRYPTION_KEYS": f"k1:{OLD}", "FIELD_HASH_KEYS": f"h1:{HASH_OLD}"}
DURING = {
    "FIELD_ENCRYPTION_KEYS": f"k2:{NEW},k1:{OLD}",
    "FIELD_HASH_KEYS": f"h2:{HASH_NEW},h1:{HASH_OLD}",
}
AFTER = {"FIELD_ENCRYPTION_KEYS": f"k2:{NEW}", "FIELD_HASH_KEYS": f"h2:{HASH_NEW}"}


def _key_ids() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_email, contact_phone, description, contact_email_digest"
            " FROM servicerequests_servicerequest"
            " UNION ALL SELECT body, '', '', '', '' FROM servicerequests_comment"
            " UNION ALL SELECT internal_note, '', '', '', '' FROM servicerequests_statuschange"
        )
        return {
            value.split(":")[1 if value.startswith("e1:") else 0]
            for row in cursor
            for value in row
            if value
        }


def _rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_encryption_keys", *args, stdout=out)
    return out.getvalue()


def _requests_under_the_old_keys() -> list[ServiceRequest]:
    with override_settings(**BEFORE):
        requests: list[ServiceRequest] = [
            ServiceRequestFactory(
                contact_name=f"Person {number}",
                contact_email=f"person{number}@example.org" if number % 3 else "",
                contact_phone="514 555-0199",
            )
            for number in range(7)
        ]
        Comment.objects.create(service_request=requests[0], body="Still broken")
        StatusChangeFactory(service_request=requests[1], internal_note="Crew sent")
        StatusChangeFactory(service_request=requests[1], internal_note="")
    return requests


def test_rotation_reencrypts_everything_and_the_old_keys_can_then_be_removed():
    requests = _requests_under_the_old_keys()
    assert _key_ids() == {"k1", "h1"}

    with override_settings(**DURING):
        assert list(service_requests_with_contact_email(email="person1@example.org")) == [
            requests[1]
        ]
        report = _rotate("--batch-size", "3")

    assert _key_ids() == {"k2", "h2"}
    assert "7 row(s) looked at, 25 value(s) were re-encrypted, 4 digest(s)" in report
    assert "Old keys no longer needed: k1, h1." in report
    with override_settings(**AFTER):
        reloaded = ServiceRequest.objects.get(pk=requests[4].pk)
        assert (reloaded.contact_name, reloaded.contact_email) == (
            "Person 4",
            "person4@example.org",
        )
        assert Comment.objects.get().body == "Still broken"
        assert StatusChange.objects.filter(internal_note="").count() == 1
        assert list(service_requests_with_contact_email(email="PERSON4@example.org")) == [reloaded]


def test_a_second_run_finds_nothing_left_to_do():
    _requests_under_the_old_keys()
    with override_settings(**DURING):
        _rotate()
        report = _rotate()

    assert "0 row(s) looked at" in report
    assert "Every value is under the active keys." in report


def test_a_dry_run_counts_without_writing():
    _requests_under_the_old_keys()
    with override_settings(**DURING):
        report = _rotate("--dry-run")

    assert "25 value(s) would be re-encrypted" in report
    assert _key_ids() == {"k1", "h1"}


def test_a_value_under_a_key_no_longer_held_stops_the_rotation_with_its_name():
    _requests_under_the_old_keys()

    with override_settings(**AFTER), pytest.raises(CommandError, match="key 'k1'"):
        _rotate()


def test_a_key_can_be_generated():
    assert len(base64.b64decode(_rotate("--generate-key").strip())) == 32
