"""Giving and withdrawing consent: the only writers of the consent ledger.

Each decision appends one `ConsentRecord` naming the purpose's version and the exact words the
person was shown, in the language they read them (`text_shown_for`), so that the city can show
later what a person agreed to. Nothing is ever updated or deleted here. A decision that changes
nothing (withdrawing what is not given, giving again the same version) appends nothing.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput
from cityhall.privacy.consents import LATEST_FIRST
from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.purposes import Purpose, purpose
from cityhall.privacy.signals import consent_given, consent_withdrawn

if TYPE_CHECKING:
    from django.dispatch import Signal

    from cityhall.accounts.models import User


def text_shown_for(declared: Purpose, language: str) -> str:
    """The words a person reads about `declared` in `language`: its name, then its explanation.

    Pages show exactly these two texts, so that the ledger records what was on the screen.
    """
    with translation.override(language):
        return f"{declared.name}\n\n{declared.explanation}"


def give_consent(
    *, actor: User, user: User, purpose_code: str, language: str, source: str
) -> ConsentRecord:
    """Record that `user` allows the use of their data for `purpose_code`; returns the record.

    `language` is the language the person read the purpose in, `source` where they decided (a
    ConsentRecord.Source). Giving again the version already given appends nothing; a newer
    version of the text appends a record for it. Audited without personal data; after commit
    `privacy.signals.consent_given` is sent. Raises InvalidInput for an unknown purpose, a
    purpose not based on consent, an unknown language or source.
    """
    record = _decide(
        actor=actor,
        user=user,
        purpose_code=purpose_code,
        language=language,
        source=source,
        is_given=True,
    )
    assert record is not None  # giving always leaves a record that gives
    return record


def withdraw_consent(
    *, actor: User, user: User, purpose_code: str, language: str, source: str
) -> ConsentRecord | None:
    """Record that `user` no longer allows `purpose_code`; returns the latest record.

    Withdrawing what is not given appends nothing (None when the person never decided and the
    purpose is withdrawn by default). Audited without personal data; after commit
    `privacy.signals.consent_withdrawn` is sent, so that each domain stops the use and deletes
    what it derived for it. Raises InvalidInput as `give_consent` does.
    """
    return _decide(
        actor=actor,
        user=user,
        purpose_code=purpose_code,
        language=language,
        source=source,
        is_given=False,
    )


def _consent_purpose(purpose_code: str) -> Purpose:
    try:
        declared = purpose(purpose_code)
    except KeyError:
        raise InvalidInput(fields={"purpose": ["Unknown purpose."]}) from None
    if not declared.needs_consent:
        raise InvalidInput(fields={"purpose": ["This purpose is not based on consent."]})
    return declared


def _check(language: str, source: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(fields={"language": ["Unknown language."]})
    if source not in ConsentRecord.Source.values:
        raise InvalidInput(fields={"source": ["Unknown source."]})


@transaction.atomic
def _decide(  # noqa: PLR0913 (the two public services' arguments, passed through)
    *, actor: User, user: User, purpose_code: str, language: str, source: str, is_given: bool
) -> ConsentRecord | None:
    declared = _consent_purpose(purpose_code)
    _check(language, source)
    # Lock the person's row: two decisions at once (two tabs, a page and the API) are taken
    # one after the other, each seeing the other's record, so no duplicate is appended.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    latest = (
        ConsentRecord.objects.filter(user=user, purpose=declared.code)
        .order_by(*LATEST_FIRST)
        .first()
    )
    currently_given = declared.default_given if latest is None else latest.is_given
    unchanged = currently_given == is_given and (
        not is_given or (latest is not None and latest.purpose_version == declared.version)
    )
    if unchanged:
        return latest
    record = ConsentRecord.objects.create(
        user=user,
        purpose=declared.code,
        is_given=is_given,
        purpose_version=declared.version,
        text_shown=text_shown_for(declared, language),
        language=language,
        source=source,
    )
    record_audit_event(
        actor=actor,
        action="privacy.consent_given" if is_given else "privacy.consent_withdrawn",
        target=user,
        data={"purpose": declared.code, "version": declared.version, "source": source},
    )
    signal = consent_given if is_given else consent_withdrawn
    transaction.on_commit(partial(_send, signal, user, declared.code, source))
    return record


def _send(signal: Signal, user: User, purpose_code: str, source: str) -> None:
    signal.send(sender=ConsentRecord, user=user, purpose_code=purpose_code, source=source)
