"""Requests' contact details and free text are encrypted in the database, read back as typed,
and the contact email stays findable through its keyed digest."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import FieldError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model

from cityhall.core.encrypted_fields import FieldDecryptionError
from cityhall.servicerequests.models import (
    Comment,
    SatisfactionRating,
    ServiceRequest,
    StatusChange,
)
from cityhall.servicerequests.selectors import service_requests_with_contact_email
from cityhall.servicerequests.tests.factories import ServiceRequestFactory, StatusChangeFactory

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_name": "Ana Tremblay",
    "contact_email": "Ana.Tremblay@example.org",
    "contact_phone": "514 555-0199",
    "description": "Water leaking from the hydrant at 12 rue des Érables.",
}


def _stored(model: type[Model], pk: int, *columns: str) -> tuple[str, ...]:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return tuple(cursor.fetchone())


def test_contact_details_and_description_are_stored_encrypted_and_read_back_as_typed():
    service_request = ServiceRequestFactory(**CONTACT)

    stored = _stored(ServiceRequest, service_request.pk, *CONTACT)
    reloaded = ServiceRequest.objects.get(pk=service_request.pk)

    for column, value in zip(CONTACT, stored, strict=True):
        assert value.startswith("e1:"), column
        assert CONTACT[column] not in value
        assert "Tremblay" not in value
        assert getattr(reloaded, column) == CONTACT[column]
    assert (
        ServiceRequest.objects.filter(pk=service_request.pk)
        .values_list("contact_phone", flat=True)
        .get()
        == CONTACT["contact_phone"]
    )


def test_comments_internal_notes_and_rating_comments_are_stored_encrypted():
    service_request = ServiceRequestFactory()
    comment = Comment.objects.create(service_request=service_request, body="My neighbour, M. Roy")
    note = StatusChangeFactory(service_request=service_request, internal_note="Called M. Roy")
    rating = SatisfactionRating.objects.create(
        service_request=service_request, score=2, comment="Slow, said M. Roy"
    )

    for model, row, column in (
        (Comment, comment, "body"),
        (StatusChange, note, "internal_note"),
        (SatisfactionRating, rating, "comment"),
    ):
        (stored,) = _stored(model, row.pk, column)
        assert "Roy" not in stored
        assert getattr(model.objects.get(pk=row.pk), column) == getattr(row, column)


def test_blank_contact_details_stay_blank_in_the_database():
    service_request = ServiceRequestFactory(contact_name="", contact_email="", contact_phone="")

    stored = _stored(
        ServiceRequest, service_request.pk, "contact_name", "contact_email", "contact_email_digest"
    )

    assert stored == ("", "", "")
    assert ServiceRequest.objects.filter(contact_email="").filter(pk=service_request.pk).exists()


def test_a_value_copied_into_another_column_does_not_decrypt():
    service_request = ServiceRequestFactory(**CONTACT)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE servicerequests_servicerequest SET contact_name = contact_phone WHERE id = %s",
            [service_request.pk],
        )

    with pytest.raises(FieldDecryptionError, match=r"contact_name .*copied from another column"):
        ServiceRequest.objects.get(pk=service_request.pk)


def test_a_value_tampered_with_in_the_database_does_not_decrypt():
    service_request = ServiceRequestFactory(**CONTACT)
    (stored,) = _stored(ServiceRequest, service_request.pk, "description")
    head, _, sealed = stored.rpartition(":")
    raw = bytearray(base64.b64decode(sealed))
    raw[20] ^= 1
    flipped = f"{head}:{base64.b64encode(bytes(raw)).decode()}"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE servicerequests_servicerequest SET description = %s WHERE id = %s",
            [flipped, service_request.pk],
        )

    with pytest.raises(FieldDecryptionError, match="fails authentication"):
        ServiceRequest.objects.values_list("description", flat=True).get(pk=service_request.pk)


def test_requests_are_found_by_contact_email_whatever_its_case():
    wanted = ServiceRequestFactory(**CONTACT)
    ServiceRequestFactory(contact_email="someone.else@example.org")
    ServiceRequestFactory(contact_email="")

    found = service_requests_with_contact_email(email="  ana.tremblay@EXAMPLE.org ")

    assert list(found) == [wanted]
    assert not service_requests_with_contact_email(email="").exists()


def test_saving_only_the_email_keeps_its_digest_in_step():
    service_request = ServiceRequestFactory(**CONTACT)
    service_request.contact_email = "new.address@example.org"
    service_request.save(update_fields=["contact_email"])

    assert list(service_requests_with_contact_email(email="new.address@example.org")) == [
        service_request
    ]
    assert not service_requests_with_contact_email(email=CONTACT["contact_email"]).exists()


def test_emptying_the_email_without_its_digest_is_refused():
    service_request = ServiceRequestFactory(**CONTACT)

    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRequest.objects.filter(pk=service_request.pk).update(contact_email="")


def test_searching_inside_an_encrypted_column_is_refused_rather_than_missing():
    with pytest.raises(FieldError, match="Unsupported lookup 'icontains'"):
        list(ServiceRequest.objects.filter(description__icontains="hydrant"))
    with pytest.raises(FieldError, match="encrypted: compare it only with ''"):
        list(ServiceRequest.objects.filter(contact_email="ana.tremblay@example.org"))
