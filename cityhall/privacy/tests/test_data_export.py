"""A citizen's copy of their data: every source in one ZIP, JSON and CSV alike, behind a link
that only its owner can follow, and only until it expires."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from cityhall.accounts.tests.fixtures import link_in_last_email, relative
from cityhall.core.errors import Conflict, RateLimited
from cityhall.privacy.export_files import csv_cell
from cityhall.privacy.models import DataExport
from cityhall.privacy.registry import all_sources
from cityhall.privacy.services.exports import (
    EXPORTS_PER_DAY,
    build_export_file,
    expire_data_exports,
    request_data_export,
)
from cityhall.privacy.tests.people import EMAIL, NAME, PHONE, citizen_with_data
from cityhall.servicerequests.tests.photo_files import use_temporary_media

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    return use_temporary_media(settings, tmp_path)


@pytest.fixture
def person(media):
    return citizen_with_data()


def _export(person, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        export = request_data_export(actor=person.user)
    export.refresh_from_db()
    return export


def _archive(export: DataExport) -> zipfile.ZipFile:
    with default_storage.open(export.file_name, "rb") as stored:
        return zipfile.ZipFile(io.BytesIO(stored.read()))


def test_the_export_holds_every_source_as_json_and_csv_that_agree(
    person, django_capture_on_commit_callbacks
):
    export = _export(person, django_capture_on_commit_callbacks)

    assert export.status == DataExport.Status.READY
    archive = _archive(export)
    names = set(archive.namelist())
    assert "README.txt" in names
    for source in all_sources():
        assert any(name.startswith(f"{source.code}/") for name in names), source.code
    for name in sorted(names - {"README.txt"}):
        if not name.endswith(".json"):
            continue
        rows = json.loads(archive.read(name))
        table = list(
            csv.DictReader(io.StringIO(archive.read(name[:-5] + ".csv").decode("utf-8-sig")))
        )
        assert len(table) == len(rows), name
        for row, line in zip(rows, table, strict=True):
            assert {key: csv_cell(value) for key, value in row.items()} == line, name


def test_the_export_holds_what_the_citizen_gave(person, django_capture_on_commit_callbacks):
    archive = _archive(_export(person, django_capture_on_commit_callbacks))

    (profile,) = json.loads(archive.read("accounts.profile/profile.json"))
    filed, by_phone = sorted(
        json.loads(archive.read("servicerequests.requests/requests.json")),
        key=lambda row: row["tracking_number"],
        reverse=True,
    )
    (settings_row,) = json.loads(archive.read("notifications.settings/notification_settings.json"))
    assert (profile["email"], profile["full_name"]) == (EMAIL, NAME)
    assert (filed["tracking_number"], filed["contact_phone"]) == ("RAS-26-004242", PHONE)
    assert by_phone["tracking_number"] == "RAS-26-004241"  # filed without an account
    assert settings_row["phone_number"] == PHONE
    readme = archive.read("README.txt").decode()
    assert all(f"({source.code})" in readme for source in all_sources())


def test_the_owner_gets_an_email_whose_link_downloads_the_zip(
    client, person, django_capture_on_commit_callbacks
):
    _export(person, django_capture_on_commit_callbacks)
    link = relative(link_in_last_email("/account/my-data/copy/"))
    assert mail.outbox[-1].to == [EMAIL]

    assert client.get(link).status_code == 302  # sign in first
    client.force_login(person.user)
    response = client.get(link)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).testzip() is None


def test_another_citizen_cannot_download_the_export(
    client, person, other_citizen, django_capture_on_commit_callbacks
):
    _export(person, django_capture_on_commit_callbacks)
    link = relative(link_in_last_email("/account/my-data/copy/"))
    client.force_login(other_citizen)

    assert client.get(link).status_code == 404


def test_an_expired_export_is_gone_with_its_file(
    client, person, django_capture_on_commit_callbacks
):
    export = _export(person, django_capture_on_commit_callbacks)
    stored = export.file_name
    link = relative(link_in_last_email("/account/my-data/copy/"))
    client.force_login(person.user)

    with django_capture_on_commit_callbacks(execute=True):
        expired = expire_data_exports(now=timezone.now() + timedelta(days=8))

    export.refresh_from_db()
    assert expired == 2  # this one and the earlier one
    assert export.status == DataExport.Status.EXPIRED
    assert not default_storage.exists(stored)
    assert client.get(link).status_code == 404


def test_one_export_is_prepared_at_a_time(citizen):
    request_data_export(actor=citizen)  # its task waits for the commit

    with pytest.raises(Conflict):
        request_data_export(actor=citizen)


def test_a_citizen_asks_for_a_few_exports_a_day_at_most(citizen):
    DataExport.objects.bulk_create(
        DataExport(user=citizen, status=DataExport.Status.READY) for _ in range(EXPORTS_PER_DAY)
    )

    with pytest.raises(RateLimited):
        request_data_export(actor=citizen)


def test_csv_cells_that_a_spreadsheet_would_run_are_written_as_text():
    assert csv_cell('=HYPERLINK("https://evil.example")') == '\'=HYPERLINK("https://evil.example")'
    assert csv_cell(PHONE) == f"'{PHONE}"
    assert csv_cell("A pothole") == "A pothole"


def test_a_file_built_for_an_export_erased_meanwhile_is_deleted(
    person, media, monkeypatch, django_capture_on_commit_callbacks
):
    export = DataExport.objects.create(user=person.user)
    real_save = default_storage.save

    def save_then_erase(name, content):
        stored = real_save(name, content)
        DataExport.objects.filter(pk=export.pk).delete()  # the owner's erasure, meanwhile
        return stored

    monkeypatch.setattr(default_storage, "save", save_then_erase)
    with django_capture_on_commit_callbacks(execute=True):
        assert build_export_file(export_id=export.id) is None

    assert list(media.glob("private/exports/*.zip")) == [media / "private/exports/earlier.zip"]
