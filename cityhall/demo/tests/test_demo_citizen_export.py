"""The demo citizen finds a copy of their data ready on "My data"; resetting the demo removes it
with its file."""

from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from cityhall.demo.citizen import DEMO_CITIZEN_EMAIL
from cityhall.privacy.models import DataExport

pytestmark = pytest.mark.django_db

SMALL = ["--residents", "100", "--addresses", "1000", "--requests", "400"]


def test_the_demo_citizen_has_a_ready_export_and_reset_removes_its_file(
    django_capture_on_commit_callbacks,
):
    call_command("load_demo_city", *SMALL, stdout=StringIO())
    (export,) = DataExport.objects.filter(user__email=DEMO_CITIZEN_EMAIL)
    assert export.status == DataExport.Status.READY
    assert default_storage.exists(export.file_name)

    with django_capture_on_commit_callbacks(execute=True):  # files go once the reset commits
        call_command("load_demo_city", "--reset", *SMALL, stdout=StringIO())

    assert not default_storage.exists(export.file_name)
    assert DataExport.objects.filter(user__email=DEMO_CITIZEN_EMAIL).count() == 1
