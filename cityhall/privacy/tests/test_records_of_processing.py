"""The records of processing come from the code's declarations, so they cannot drift from them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils.translation import gettext_lazy

from cityhall.accounts.models import StaffRole
from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.backoffice.navigation import navigation_for
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.privacy import registry
from cityhall.privacy.purposes import all_purposes
from cityhall.privacy.records_of_processing import (
    records_of_processing,
    register_as_json,
    register_as_rows,
)
from cityhall.privacy.registry import (
    Erased,
    PersonalDataSource,
    all_retention_rules,
    all_sources,
)

pytestmark = pytest.mark.django_db

PUBLIC_PAGE = "/en/privacy/processing/"
STAFF_PAGE = "/en/staff/privacy/processing/"


@pytest.fixture
def privacy_officer(db):
    return StaffRoleFactory(role=StaffRole.Role.PRIVACY_OFFICER, department=None).user


@pytest.fixture
def bicycle_source(monkeypatch):
    """A source declared only here, serving the research purpose, kept by an existing rule."""
    source = PersonalDataSource(
        code="test.bicycle_counts",
        name="Bicycle trips counted near your home",
        description="How often you cycled past a counter.",
        purposes=("research",),
        count=lambda user: 0,
        export=lambda user: [],
        erase=lambda user: Erased(),
        retention=("notifications.delivery_log",),
        recipients=(gettext_lazy("The university's transport lab"),),
        models=("test.BicycleTrip",),
    )
    monkeypatch.setitem(registry._SOURCES, source.code, source)
    return source


def test_every_declared_purpose_source_and_rule_is_in_the_register():
    register = records_of_processing()
    as_json = register_as_json(register)

    assert [p.code for p in register.purposes] == [p.code for p in all_purposes()]
    listed = {s.code for p in register.purposes for s in p.sources}
    listed |= {s.code for s in register.other_sources}
    assert listed == {source.code for source in all_sources()}
    assert [r.code for r in register.retention] == [r.code for r in all_retention_rules()]
    assert {s["code"] for s in as_json["sources"]} == listed
    assert [r["code"] for r in as_json["retention_rules"]] == [r.code for r in register.retention]


def test_a_source_declared_in_code_appears_on_both_pages_and_in_the_downloads(
    client, bicycle_source, privacy_officer
):
    public = client.get(PUBLIC_PAGE).content.decode()
    sign_in_with_two_factor(client, privacy_officer)
    staff = client.get(STAFF_PAGE).content.decode()
    as_json = json.loads(client.get(STAFF_PAGE, {"format": "json"}).content)
    rows = list(csv.DictReader(io.StringIO(client.get(STAFF_PAGE, {"format": "csv"}).text)))

    for page in (public, staff):
        assert "Bicycle trips counted near your home" in page
        assert "The university&#x27;s transport lab" in page
    assert "test.BicycleTrip" in staff
    assert "test.BicycleTrip" not in public
    research = next(p for p in as_json["purposes"] if p["code"] == "research")
    assert "test.bicycle_counts" in research["sources"]
    row = next(r for r in rows if r["source"] == "test.bicycle_counts")
    assert row["purpose"] == "research"
    assert row["retention"] == "notifications.delivery_log (12)"


def test_the_register_shows_the_months_in_force_not_the_rules_defaults(client, settings):
    settings.PRIVACY_RETENTION_MONTHS = {
        **settings.PRIVACY_RETENTION_MONTHS,
        "servicerequests.closed_request_contacts": 60,
    }

    page = client.get(PUBLIC_PAGE).content.decode()

    rule_row = page.split('id="rule-servicerequests.closed_request_contacts"')[1].split("</tr>")[0]
    assert "60 months" in rule_row


def test_the_public_register_opens_in_both_languages_from_the_privacy_notice(client):
    english = client.get(PUBLIC_PAGE)
    french = client.get("/fr/privacy/processing/")
    notice = client.get("/en/privacy/").content.decode()

    assert english.status_code == 200
    assert french.status_code == 200
    assert '<html lang="fr"' in french.content.decode()
    assert f'href="{PUBLIC_PAGE}"' in notice
    for purpose in all_purposes():
        assert f'id="purpose-{purpose.code}"' in english.content.decode()


def test_the_privacy_officer_finds_the_register_in_the_navigation_and_downloads_it(
    client, privacy_officer
):
    sign_in_with_two_factor(client, privacy_officer)

    page = client.get(STAFF_PAGE)
    download = client.get(STAFF_PAGE, {"format": "csv"})

    assert STAFF_PAGE in [link.url for link in navigation_for(privacy_officer)]
    assert page.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert download["Content-Disposition"].startswith('attachment; filename="records-of-processing')
    assert len(list(csv.DictReader(io.StringIO(download.text)))) == len(
        register_as_rows(records_of_processing())
    )
    assert client.get("/fr/staff/privacy/processing/").status_code == 200


def test_an_agent_cannot_open_the_privacy_officers_register(client, agent):
    sign_in_with_two_factor(client, agent)

    assert client.get(STAFF_PAGE).status_code == 403
    assert client.get(STAFF_PAGE, {"format": "json"}).status_code == 403
    assert STAFF_PAGE not in [link.url for link in navigation_for(agent)]
