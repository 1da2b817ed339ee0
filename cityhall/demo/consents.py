"""The demo's consent decisions: the demo citizen's own, and a share of the residents'.

The demo citizen allows personalised pages, district news (ticked on the notification choices)
and sharing contact details with partners, and tried research before withdrawing it, so that
their privacy choices page shows a current choice, a withdrawal and a history. About one
resident in three decided something, some of them twice; those who allow `partner_sharing` are
the reporters whose contact details partners see in the demo. Written through the privacy
services, as the portal writes them, in each person's language.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from cityhall.accounts.models import User
from cityhall.demo.citizen import DEMO_CITIZEN_EMAIL
from cityhall.notifications.purposes import CONSULTATIONS, DISTRICT_NEWS
from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.purposes import ANALYTICS, PARTNER_SHARING, PERSONALIZATION, RESEARCH
from cityhall.privacy.services.consents import give_consent, withdraw_consent

Source = ConsentRecord.Source

#: The demo citizen's decisions, oldest first: (purpose, given, where).
DEMO_CITIZEN_DECISIONS: tuple[tuple[str, bool, str], ...] = (
    (RESEARCH.code, True, Source.SIGN_UP),
    (PERSONALIZATION.code, True, Source.PORTAL),
    (DISTRICT_NEWS.code, True, Source.NOTIFICATION_SETTINGS),
    (PARTNER_SHARING.code, True, Source.PORTAL),
    (RESEARCH.code, False, Source.PORTAL),
)
#: The share of the deciding residents who allow each purpose.
RESIDENT_SHARES: dict[str, float] = {
    PARTNER_SHARING.code: 0.5,
    DISTRICT_NEWS.code: 0.4,
    PERSONALIZATION.code: 0.3,
    CONSULTATIONS.code: 0.2,
    RESEARCH.code: 0.15,
    ANALYTICS.code: 0.15,
}
#: Of the residents, how many decide something; of those, how many withdraw one choice later.
DECIDING_SHARE = 0.3
WITHDRAWING_SHARE = 0.2


def give_demo_consents(*, seed: int, resident_emails: Sequence[str]) -> int:
    """Take the demo citizen's and some residents' decisions; returns how many were taken."""
    recorded = 0
    citizen = User.objects.filter(email=DEMO_CITIZEN_EMAIL).first()
    if citizen is not None:
        for code, is_given, source in DEMO_CITIZEN_DECISIONS:
            recorded += _decide(citizen, code, is_given=is_given, source=source)
    rng = random.Random(f"{seed}:consents")  # noqa: S311 (reproducible demo decisions)
    chosen = [email for email in resident_emails if rng.random() < DECIDING_SHARE]
    for resident in User.objects.filter(email__in=chosen).order_by("email"):
        given = [code for code, share in RESIDENT_SHARES.items() if rng.random() < share]
        for code in given:
            recorded += _decide(resident, code, is_given=True, source=Source.PORTAL)
        if given and rng.random() < WITHDRAWING_SHARE:
            recorded += _decide(resident, rng.choice(given), is_given=False, source=Source.PORTAL)
    return recorded


def _decide(user: User, code: str, *, is_given: bool, source: str) -> int:
    decide = give_consent if is_given else withdraw_consent
    record = decide(
        actor=user,
        user=user,
        purpose_code=code,
        language=user.preferred_language or "en",
        source=source,
    )
    return int(record is not None)
