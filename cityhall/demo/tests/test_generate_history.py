import json
from collections import Counter
from datetime import UTC, datetime

import pytest

from cityhall.catalog.answers import clean_answers
from cityhall.catalog.models import Service
from cityhall.catalog.services import import_catalog
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.demo.generator.city import generate_city
from cityhall.demo.generator.history import generate_history
from cityhall.demo.services import CATALOG_FILE
from cityhall.servicerequests.services import STAFF_TRANSITIONS

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CATALOG = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
SERVICES = {service["code"]: service for service in CATALOG["services"]}
OPEN = {"submitted", "acknowledged", "in_progress", "on_hold"}


@pytest.fixture(scope="module")
def city():
    return generate_city(5, residents=300, addresses=1500)


@pytest.fixture(scope="module")
def history(city):
    return generate_history(5, city, catalog=CATALOG, now=NOW, count=2000)


def test_the_same_seed_and_moment_give_the_same_history(city, history):
    again = generate_history(5, city, catalog=CATALOG, now=NOW, count=2000)

    assert again == history
    assert generate_history(6, city, catalog=CATALOG, now=NOW, count=2000) != history


def test_about_the_asked_number_of_requests_fill_the_year_before_now(history):
    assert 1950 <= len(history) <= 2000
    assert all(NOW.replace(year=2025) <= request.created_at < NOW for request in history)
    assert [r.created_at for r in history] == sorted(r.created_at for r in history)


def test_snow_comes_in_winter_potholes_in_spring_and_noise_in_summer(history):
    by_month = Counter((r.service_code, r.created_at.month) for r in history)

    assert by_month["snow-removal", 1] > 10 * max(1, by_month["snow-removal", 7])
    assert by_month["pothole", 4] > 2 * by_month["pothole", 8]
    assert by_month["noise", 7] > 2 * by_month["noise", 1]
    assert by_month["tree-maintenance", 10] > 2 * by_month["tree-maintenance", 5]


def test_descriptions_are_written_in_the_reporters_language(history):
    languages = Counter(r.language for r in history)
    french = next(r for r in history if r.language == "fr" and r.service_code == "pothole")

    assert languages["fr"] > languages["en"] > 0.15 * len(history)
    assert "chaussée" in french.description or "nid" in french.description.lower()
    assert len({r.description for r in history}) > 300


def test_some_requests_are_anonymous_only_where_the_service_allows_it(history):
    anonymous = [r for r in history if r.reporter_email is None]
    allowed = [r for r in history if SERVICES[r.service_code]["allows_anonymous"]]

    assert all(SERVICES[r.service_code]["allows_anonymous"] for r in anonymous)
    assert 0.10 < len(anonymous) / len(allowed) < 0.20


def test_every_step_follows_the_last_in_time_and_by_an_allowed_transition(history):
    for request in history:
        status, at = "submitted", request.created_at
        for step in request.steps:
            merge = step.to_status == "duplicate" and status in OPEN
            assert step.to_status in STAFF_TRANSITIONS.get(status, ()) or merge
            assert at < step.at <= NOW
            status, at = step.to_status, step.at


def test_most_old_requests_are_settled_and_the_newest_are_still_open(history):
    last_week = [r for r in history if (NOW - r.created_at).days < 3]
    older = [r for r in history if (NOW - r.created_at).days > 60]

    assert sum(r.status in OPEN for r in last_week) > 0.5 * len(last_week)
    assert sum(r.status in {"closed", "rejected", "duplicate"} for r in older) > 0.9 * len(older)
    assert 0.02 < sum(r.status == "rejected" for r in history) / len(history) < 0.08
    assert any(any(s.to_status == "on_hold" for s in r.steps) for r in history)


def test_duplicates_point_at_an_earlier_request_for_the_same_thing_nearby(history):
    duplicates = [(i, r) for i, r in enumerate(history) if r.status == "duplicate"]

    assert len(duplicates) > 20
    for index, request in duplicates:
        original = history[request.duplicate_of]
        assert request.duplicate_of < index
        assert original.service_code == request.service_code
        assert original.duplicate_of is None
        assert abs(original.latitude - request.latitude) < 0.0002
    assert all(r.duplicate_of is None for r in history if r.status != "duplicate")
    assert sum(
        history[r.duplicate_of].reporter_email != r.reporter_email for _, r in duplicates
    ) > 0.8 * len(duplicates)


def test_notes_are_written_in_the_requests_language(history):
    english = next(r for r in history if r.language == "en" and r.status == "rejected")
    french = next(r for r in history if r.language == "fr" and r.status == "rejected")

    assert "city" in english.steps[-1].public_note or "owner" in english.steps[-1].public_note
    assert "municipale" in french.steps[-1].public_note or "propriétaire" in (
        french.steps[-1].public_note
    )


@pytest.mark.django_db
def test_every_generated_answer_passes_the_services_form(history):
    for code in {service["department"] for service in CATALOG["services"]}:
        DepartmentFactory(code=code)
    import_catalog(source=CATALOG, actor=None)
    services = {
        s.code: (s, list(s.fields.prefetch_related("choices"))) for s in Service.objects.all()
    }

    for request in history:
        service, fields = services[request.service_code]
        clean_answers(service=service, answers=request.answers, fields=fields)


def test_a_backlog_of_overdue_requests_from_recent_months_stays_open(history):
    overdue = [r for r in history if r.status in OPEN and (NOW - r.created_at).days > 14]

    assert len(overdue) > 10
    assert all((NOW - r.created_at).days <= 90 for r in overdue)
