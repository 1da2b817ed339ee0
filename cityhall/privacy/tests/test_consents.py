"""`has_consent` and `users_with_consent`: the one question every use of personal data asks."""

from dataclasses import replace

import pytest
from django.contrib.auth.models import AnonymousUser

from cityhall.accounts.tests.factories import UserFactory
from cityhall.privacy import purposes
from cityhall.privacy.consents import (
    consent_choices_for,
    consent_history_for,
    has_consent,
    users_with_consent,
)
from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.purposes import PARTNER_SHARING, LegalBasis, Purpose, register_purpose
from cityhall.privacy.services.consents import give_consent, withdraw_consent

pytestmark = pytest.mark.django_db

RESEARCH = "research"


def _give(user, code=RESEARCH):
    return give_consent(actor=user, user=user, purpose_code=code, language="en", source="portal")


def _withdraw(user, code=RESEARCH):
    return withdraw_consent(
        actor=user, user=user, purpose_code=code, language="en", source="portal"
    )


@pytest.fixture
def given_by_default():
    """A consent purpose declared as given by default, for the length of one test."""
    declared = register_purpose(
        Purpose(
            code="test.given_by_default",
            name="Test",
            explanation="Test purpose.",
            basis=LegalBasis.CONSENT,
            data_categories=(),
            default_given=True,
        )
    )
    yield declared
    purposes._PURPOSES.pop(declared.code)


def test_a_consent_purpose_is_withdrawn_until_given(citizen):
    assert has_consent(citizen, RESEARCH) is False


def test_the_latest_decision_wins(citizen):
    _give(citizen)
    assert has_consent(citizen, RESEARCH) is True

    _withdraw(citizen)
    assert has_consent(citizen, RESEARCH) is False

    _give(citizen)
    assert has_consent(citizen, RESEARCH) is True


def test_a_decision_about_one_purpose_leaves_the_others_alone(citizen):
    _give(citizen, PARTNER_SHARING.code)

    assert has_consent(citizen, RESEARCH) is False
    assert has_consent(citizen, PARTNER_SHARING.code) is True


def test_one_persons_decision_is_not_anothers(citizen, other_citizen):
    _give(citizen)

    assert has_consent(other_citizen, RESEARCH) is False


def test_the_purposes_default_holds_without_a_decision(citizen, given_by_default):
    assert has_consent(citizen, given_by_default.code) is True

    _withdraw(citizen, given_by_default.code)

    assert has_consent(citizen, given_by_default.code) is False


def test_anonymous_visitors_and_no_one_never_consent(given_by_default):
    assert has_consent(None, given_by_default.code) is False
    assert has_consent(AnonymousUser(), given_by_default.code) is False


def test_a_purpose_not_based_on_consent_is_always_allowed_without_a_query(
    citizen, django_assert_num_queries
):
    register_purpose(
        replace(purposes.purpose(RESEARCH), code="test.public_task", basis=LegalBasis.PUBLIC_TASK)
    )
    try:
        with django_assert_num_queries(0):
            assert has_consent(citizen, "test.public_task") is True
            assert has_consent(None, "test.public_task") is True
            assert users_with_consent("test.public_task", [citizen.id]) == {citizen.id}
    finally:
        purposes._PURPOSES.pop("test.public_task")


def test_has_consent_costs_one_query(citizen, django_assert_num_queries):
    _give(citizen)
    _withdraw(citizen)

    with django_assert_num_queries(1):
        has_consent(citizen, RESEARCH)


def test_an_undeclared_purpose_is_a_programming_error(citizen):
    with pytest.raises(KeyError):
        has_consent(citizen, "no-such-purpose")


def test_users_with_consent_answers_for_many_people_in_one_query(
    citizen, other_citizen, django_assert_num_queries
):
    gave, withdrew, silent = citizen, other_citizen, UserFactory()
    _give(gave)
    _give(withdrew)
    _withdraw(withdrew)
    _give(silent, PARTNER_SHARING.code)

    with django_assert_num_queries(1):
        allowed = users_with_consent(RESEARCH, [gave.id, withdrew.id, silent.id])

    assert allowed == {gave.id}


def test_users_with_consent_counts_the_default_for_people_who_never_decided(
    citizen, other_citizen, given_by_default
):
    _withdraw(other_citizen, given_by_default.code)

    allowed = users_with_consent(given_by_default.code, [citizen.id, other_citizen.id])

    assert allowed == {citizen.id}


def test_the_page_reads_each_consent_purposes_current_choice_and_when(citizen):
    record = _give(citizen)

    choices = {choice.purpose.code: choice for choice in consent_choices_for(citizen)}

    assert choices[RESEARCH].is_given is True
    assert choices[RESEARCH].decided_at == record.created_at
    assert choices[RESEARCH].source == ConsentRecord.Source.PORTAL
    assert choices["analytics"].is_given is False
    assert choices["analytics"].decided_at is None
    assert all(choice.purpose.needs_consent for choice in choices.values())


def test_the_history_lists_every_decision_newest_first(citizen):
    first = _give(citizen)
    second = _withdraw(citizen)

    assert consent_history_for(citizen) == [second, first]
