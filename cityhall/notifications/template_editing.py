"""Staff edit what each event says: one template per event, language (and optionally channel).

The variables a template may use are the event's, declared by the templates its sender ships
(`staff_selectors.NotificationEvent.variables`); staff change the words, never the variables.
A text naming another variable, or using any template syntax besides `{{ name }}`, is refused
at save time with the error next to the field, so a message can never fail at send time.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityhall.accounts.models import User
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput
from cityhall.notifications.models import PLACEHOLDER, ChannelKind, Template
from cityhall.notifications.services import render_text
from cityhall.notifications.staff_selectors import get_notification_event

TEMPLATE_CREATED = "notifications.template_created"
TEMPLATE_UPDATED = "notifications.template_updated"

#: What the preview shows for each variable the platform's senders use; any other variable
#: shows as its name in brackets.
SAMPLE_VALUES = {
    "number": "2026-000123",
    "service": gettext_lazy("Pothole"),
    "status": gettext_lazy("In progress"),
    "note": gettext_lazy("A crew will fill it on Thursday morning."),
    "due": gettext_lazy("March 12, 2026, 4:00 p.m."),
    "name": gettext_lazy("Alex Martin"),
    "minutes": "15",
}
SAMPLE_PATH = "/requests/2026-000123/"


@dataclass(frozen=True)
class TemplateText:
    """What staff write: a subject (email and push title; blank for SMS) and a body."""

    subject: str
    body: str


@dataclass(frozen=True)
class Preview:
    subject: str
    body: str


def sample_value(name: str) -> str:
    """What the preview puts in place of `{{ name }}`."""
    if name in {"link", "url"}:
        return f"{settings.CITYHALL_BASE_URL.rstrip('/')}{SAMPLE_PATH}"
    if name in SAMPLE_VALUES:
        return str(SAMPLE_VALUES[name])
    return f"[{name}]"


def preview_text(text: TemplateText, *, language: str) -> Preview:
    """The text as a recipient would read it, with sample values in `language` in place of the
    variables."""
    names = set(PLACEHOLDER.findall(text.subject)) | set(PLACEHOLDER.findall(text.body))
    with translation.override(language):
        samples = {name: sample_value(name) for name in names}
    return Preview(subject=render_text(text.subject, samples), body=render_text(text.body, samples))


def _save_checked(template: Template) -> None:
    try:
        template.full_clean(validate_unique=False)
    except ValidationError as error:
        raise InvalidInput(fields=error.message_dict) from error
    template.save()


def create_template(
    *, actor: User, code: str, language: str, channel: str = "", text: TemplateText
) -> Template:
    """Add the event's template in another language (or for one channel only).

    Raises NotFound for an event no template declares (nothing would send it), InvalidInput
    for an unknown language or channel or a text the event cannot fill, and Conflict when the
    template exists already.
    """
    event = get_notification_event(actor=actor, code=code)
    errors: dict[str, list[str]] = {}
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of the site's languages.")]
    if channel and channel not in ChannelKind.values:
        errors["channel"] = [_("Choose a channel, or none for every channel.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        if Template.objects.filter(code=code, language=language, channel=channel).exists():
            raise Conflict(_("This message already has a text in this language."))
        template = Template(
            code=code,
            topic=event.topic,
            channel=channel,
            language=language,
            subject=text.subject,
            body=text.body,
            variables=list(event.variables),
        )
        _save_checked(template)
        record_audit_event(
            actor=actor,
            action=TEMPLATE_CREATED,
            target=template,
            data={"code": code, "language": language, "channel": channel},
        )
    return template


def update_template(*, actor: User, template: Template, text: TemplateText) -> Template:
    """Replace a template's subject and body; the audit record keeps the previous text.

    Raises PermissionDenied unless `actor` edits templates, and InvalidInput for a text the
    event cannot fill.
    """
    event = get_notification_event(actor=actor, code=template.code)
    with transaction.atomic():
        locked = Template.objects.select_for_update().get(pk=template.pk)
        before = {"subject": locked.subject, "body": locked.body}
        locked.subject, locked.body = text.subject, text.body
        locked.variables = list(event.variables)
        _save_checked(locked)
        record_audit_event(
            actor=actor,
            action=TEMPLATE_UPDATED,
            target=locked,
            data={
                "code": locked.code,
                "language": locked.language,
                "channel": locked.channel,
                "before": before,
            },
        )
    return locked
