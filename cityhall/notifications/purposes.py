"""Why the city may write to a person about each notification topic (privacy.purposes).

Topics about what the person asked for or must know are a public task: updates on their own
requests and appointments, emergency alerts, and reminders (staff's deadline reminders on the
requests they handle are part of their work). News from the district and invitations to public
consultations are not part of any service the person asked for: the city sends them only with
the person's consent, given on the privacy choices page or by ticking the topic on the
notification choices page (`notifications.preferences` keeps the two in step).

`notify` asks `privacy.consents.has_consent(recipient, TOPIC_PURPOSES[topic])` before anything.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cityhall.notifications.models import Topic
from cityhall.privacy.purposes import LegalBasis, Purpose, purpose, register_purpose

_CONTACT = _("Contact details")
_CHOICES = _("Notification choices")

MY_REQUESTS = register_purpose(
    Purpose(
        code="notifications.my_requests",
        name=_("Updates on my service requests"),
        explanation=_(
            "Tell you, on the channels you chose, each step of the requests you filed or follow."
        ),
        basis=LegalBasis.PUBLIC_TASK,
        data_categories=(_CONTACT, _CHOICES, _("Requests")),
    )
)
APPOINTMENTS = register_purpose(
    Purpose(
        code="notifications.appointments",
        name=_("Messages about my appointments"),
        explanation=_("Confirm, change and remind you of the appointments you booked."),
        basis=LegalBasis.PUBLIC_TASK,
        data_categories=(_CONTACT, _CHOICES, _("Appointments")),
    )
)
ALERTS = register_purpose(
    Purpose(
        code="notifications.alerts",
        name=_("Emergency and service alerts"),
        explanation=_(
            "Warn you of emergencies and interruptions of city services where you live, even "
            "in quiet hours when lives or property are at risk."
        ),
        basis=LegalBasis.PUBLIC_TASK,
        data_categories=(_CONTACT, _CHOICES, _("Places")),
    )
)
REMINDERS = register_purpose(
    Purpose(
        code="notifications.reminders",
        name=_("Reminders of what is due"),
        explanation=_(
            "Remind you of what is due soon, such as the requests city staff must handle "
            "before their deadline."
        ),
        basis=LegalBasis.PUBLIC_TASK,
        data_categories=(_CONTACT, _CHOICES),
    )
)
DISTRICT_NEWS = register_purpose(
    Purpose(
        code="notifications.district_news",
        name=_("News from my district"),
        explanation=_(
            "Send you news about works, events and decisions in your district, on the channels "
            "you choose on the notification choices page."
        ),
        basis=LegalBasis.CONSENT,
        data_categories=(_CONTACT, _CHOICES, _("Places")),
    )
)
CONSULTATIONS = register_purpose(
    Purpose(
        code="notifications.consultations",
        name=_("Invitations to public consultations"),
        explanation=_(
            "Invite you to give your opinion in the city's public consultations, on the "
            "channels you choose on the notification choices page."
        ),
        basis=LegalBasis.CONSENT,
        data_categories=(_CONTACT, _CHOICES),
    )
)

#: The purpose of each topic; every topic has one (a test checks it).
TOPIC_PURPOSES: dict[str, str] = {
    Topic.MY_REQUESTS: MY_REQUESTS.code,
    Topic.APPOINTMENTS: APPOINTMENTS.code,
    Topic.ALERTS: ALERTS.code,
    Topic.REMINDERS: REMINDERS.code,
    Topic.DISTRICT_NEWS: DISTRICT_NEWS.code,
    Topic.CONSULTATIONS: CONSULTATIONS.code,
}


def consent_topics() -> list[str]:
    """The topics sent only with the person's consent, in the topics' order."""
    return [topic for topic in Topic.values if purpose(TOPIC_PURPOSES[topic]).needs_consent]


def topic_for_purpose(purpose_code: str) -> str | None:
    """The topic a purpose is for, None for a purpose that is not a notification topic's."""
    for topic, code in TOPIC_PURPOSES.items():
        if code == purpose_code:
            return str(topic)
    return None
