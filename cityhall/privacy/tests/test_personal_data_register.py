"""The personal-data register covers every table that holds personal data."""

from __future__ import annotations

import re

from django.apps import apps
from django.contrib.auth import get_user_model

from cityhall.privacy.purposes import purpose
from cityhall.privacy.registry import all_retention_rules, all_sources, covered_models

#: Field names that hold personal data wherever they appear.
PERSONAL_FIELD = re.compile(
    r"email|phone|full_name|contact_|address|^body$|comment|note|description|answers|user_agent"
)

#: Models with such fields that hold nothing about a person, and why.
NOT_PERSONAL = {
    "catalog.Department": "a department's public email and phone",
    "catalog.Service": "the service's public description",
    "places.Address": "the city's address register, about places not people",
    "places.Facility": "a facility's public address and phone",
    "accounts.PartnerOrganisation": "an organisation's contact address, not a person's",
    "notifications.Template": "the text of a message template, before any person is named",
    "integrations.WebhookDelivery": "payloads carry no personal data (integrations.payloads)",
    "integrations.WebhookAttempt": "a receiver's error, about a URL",
}


def _holds_personal_data(model: type) -> bool:
    user_model = get_user_model()
    for field in model._meta.get_fields():  # type: ignore[attr-defined]
        if not field.concrete:
            continue
        if field.is_relation and field.related_model is user_model:
            return True
        if not field.is_relation and PERSONAL_FIELD.search(field.name):
            return True
    return False


def test_every_model_with_personal_data_belongs_to_a_source() -> None:
    covered = covered_models()
    forgotten = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("cityhall.")
        and _holds_personal_data(model)
        and model._meta.label not in covered
        and model._meta.label not in NOT_PERSONAL
    ]
    assert forgotten == [], (
        "These models hold personal data but no `<app>/personal_data.py` source names them in "
        f"`models`: {forgotten}"
    )


def test_sources_name_only_models_that_exist() -> None:
    labels = {model._meta.label for model in apps.get_models()}
    unknown = sorted(set(covered_models()) - labels)
    assert unknown == []


def test_models_said_to_hold_nothing_personal_are_not_also_covered() -> None:
    assert sorted(set(NOT_PERSONAL) & set(covered_models())) == []


def test_each_source_names_its_models_and_declared_purposes() -> None:
    for source in all_sources():
        assert source.models, source.code
        assert source.purposes, source.code
        for code in source.purposes:
            purpose(code)  # KeyError for an undeclared purpose


def test_sources_name_only_declared_retention_rules() -> None:
    rules = {rule.code for rule in all_retention_rules()}
    for source in all_sources():
        assert set(source.retention) <= rules, source.code
