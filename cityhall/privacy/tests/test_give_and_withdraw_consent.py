"""Giving and withdrawing consent: an append-only, versioned ledger of what people were shown."""

from dataclasses import replace

import pytest

from cityhall.core.errors import InvalidInput
from cityhall.core.models import AuditEvent
from cityhall.privacy import purposes
from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.services.consents import give_consent, text_shown_for, withdraw_consent
from cityhall.privacy.signals import consent_given, consent_withdrawn

pytestmark = pytest.mark.django_db

RESEARCH = "research"


def _decide(decide, user, *, language="en", source="portal", code=RESEARCH):
    return decide(actor=user, user=user, purpose_code=code, language=language, source=source)


def test_each_decision_appends_a_record_and_leaves_the_earlier_ones_as_they_were(citizen):
    given = _decide(give_consent, citizen)
    given_values = ConsentRecord.objects.filter(pk=given.pk).values().get()

    withdrawn = _decide(withdraw_consent, citizen, source="api")

    assert ConsentRecord.objects.count() == 2
    assert ConsentRecord.objects.filter(pk=given.pk).values().get() == given_values
    assert (given.is_given, withdrawn.is_given) == (True, False)
    assert withdrawn.source == "api"


def test_a_record_keeps_the_version_and_the_exact_text_shown_in_the_persons_language(citizen):
    english = _decide(give_consent, citizen, code="analytics")
    french = _decide(give_consent, citizen, code=RESEARCH, language="fr")

    assert english.purpose_version == purposes.ANALYTICS.version
    assert english.language == "en"
    assert english.text_shown == (f"{purposes.ANALYTICS.name}\n\n{purposes.ANALYTICS.explanation}")
    assert french.language == "fr"
    assert french.text_shown == text_shown_for(purposes.RESEARCH, "fr")


def test_a_decision_that_changes_nothing_appends_nothing(citizen):
    assert _decide(withdraw_consent, citizen) is None  # withdrawn by default

    first = _decide(give_consent, citizen)
    again = _decide(give_consent, citizen)

    assert again == first
    assert ConsentRecord.objects.count() == 1


def test_a_new_version_of_the_text_is_consented_to_again(citizen):
    _decide(give_consent, citizen)
    newer = replace(purposes.RESEARCH, version=purposes.RESEARCH.version + 1)
    purposes._PURPOSES[RESEARCH] = newer
    try:
        record = _decide(give_consent, citizen)
    finally:
        purposes._PURPOSES[RESEARCH] = purposes.RESEARCH

    assert record.purpose_version == newer.version
    assert ConsentRecord.objects.count() == 2


def test_decisions_are_audited_without_personal_data(citizen):
    _decide(give_consent, citizen)
    _decide(withdraw_consent, citizen)

    events = AuditEvent.objects.filter(action__startswith="privacy.consent_").order_by("id")
    assert [event.action for event in events] == [
        "privacy.consent_given",
        "privacy.consent_withdrawn",
    ]
    for event in events:
        assert event.target_id == str(citizen.public_id)
        assert event.data == {"purpose": RESEARCH, "version": 1, "source": "portal"}
        assert citizen.email not in str(event.data)


def test_a_withdrawal_is_announced_only_after_it_commits(
    citizen, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(*, user, purpose_code, source, **_kwargs):
        heard.append((user, purpose_code, source))

    consent_withdrawn.connect(receiver)
    consent_given.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _decide(give_consent, citizen)
            _decide(withdraw_consent, citizen, source="unsubscribe_link")
        assert heard == []
        for callback in callbacks:
            callback()
    finally:
        consent_withdrawn.disconnect(receiver)
        consent_given.disconnect(receiver)

    assert heard == [(citizen, RESEARCH, "portal"), (citizen, RESEARCH, "unsubscribe_link")]


@pytest.mark.parametrize(
    ("code", "language", "source"),
    [
        ("no-such-purpose", "en", "portal"),
        ("notifications.my_requests", "en", "portal"),
        (RESEARCH, "de", "portal"),
        (RESEARCH, "en", "nowhere"),
    ],
)
def test_unknown_or_unconsentable_purposes_languages_and_sources_are_refused(
    citizen, code, language, source
):
    with pytest.raises(InvalidInput):
        give_consent(
            actor=citizen, user=citizen, purpose_code=code, language=language, source=source
        )

    assert not ConsentRecord.objects.exists()
