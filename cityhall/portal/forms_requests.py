"""Forms of the portal's request pages: the services search box and the request form.

Photos are only carried by the request form: what makes a photo acceptable is decided by
`servicerequests.photos`, so that every channel accepts and refuses the same files.

The request form only shapes input; `servicerequests.services.submit_service_request` and
`catalog.answers.clean_answers` decide what is valid, and their errors are shown at the field
they name (`show_intake_error`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityhall.catalog.answers import clean_answers
from cityhall.catalog.models import Service, ServiceField
from cityhall.core.errors import CityHallError, InvalidInput
from cityhall.places.selectors import PlaceMatch
from cityhall.servicerequests.photos import MAX_PHOTOS_PER_REQUEST
from cityhall.servicerequests.services.intake import (
    MAX_DESCRIPTION_LENGTH,
    MIN_DESCRIPTION_LENGTH,
)

Datatype = ServiceField.Datatype
#: Prefix of the form fields that carry answers to a service's extra questions.
ANSWER_PREFIX = "answer_"
#: The box a signed-in citizen ticks to allow the `partner_sharing` purpose while filing.
SHARE_WITH_PARTNER = "share_with_partner"
#: Where each `InvalidInput.fields` name of the intake service is shown.
INTAKE_FIELD_NAMES = {
    "description": "description",
    "location": "address",
    "address_text": "address",
    "contact_email": "contact_email",
    "photos": "photos",
}
#: What the file picker offers; the photo checks decide from the content, whatever the name.
PHOTO_TYPES = "image/jpeg,image/png,image/heic,image/heif,image/webp,.heic,.heif"


class ServiceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("What do you need?"),
        max_length=200,
        required=False,
        help_text=_("For example: pothole, garbage collection, parking permit."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


def _string_field(**options: Any) -> forms.Field:
    return forms.CharField(max_length=500, **options)


def _text_field(**options: Any) -> forms.Field:
    return forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), **options)


def _number_field(**options: Any) -> forms.Field:
    # Checked by clean_answers, which also accepts a decimal comma ("2,5").
    return forms.CharField(
        max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **options
    )


def _datetime_field(**options: Any) -> forms.Field:
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    return forms.DateTimeField(widget=widget, **options)


def _single_choice_field(**options: Any) -> forms.Field:
    return forms.ChoiceField(widget=forms.RadioSelect, **options)


def _multiple_choice_field(**options: Any) -> forms.Field:
    return forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, **options)


_FIELD_MAKERS: dict[str, Callable[..., forms.Field]] = {
    Datatype.STRING: _string_field,
    Datatype.TEXT: _text_field,
    Datatype.NUMBER: _number_field,
    Datatype.DATETIME: _datetime_field,
    Datatype.SINGLE_VALUE_LIST: _single_choice_field,
    Datatype.MULTI_VALUE_LIST: _multiple_choice_field,
}


def answer_field(service_field: ServiceField, language: str) -> forms.Field:
    """The form field asking one of the service's extra questions, worded in `language`."""
    options: dict[str, Any] = {
        "label": service_field.label_in(language),
        "help_text": service_field.help_text_in(language),
        "required": service_field.is_required,
    }
    if service_field.is_list:
        options["choices"] = [
            (choice.key, choice.name_in(language)) for choice in service_field.choices.all()
        ]
    return _FIELD_MAKERS[service_field.datatype](**options)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files from one `multiple` input, as a list (empty when none was chosen)."""

    widget = MultiplePhotoInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultiplePhotoField, self).clean(item, initial) for item in files if item]


class ServiceRequestForm(forms.Form):
    """A request for one service: its extra questions, a description, a place and a contact.

    `service_fields` are the service's questions with their choices; `ask_contact` adds the
    contact fields for someone who is not signed in; `address_matches` adds the second step
    that asks which of several addresses was meant.
    """

    description = forms.CharField(
        label=_("Describe the problem"),
        min_length=MIN_DESCRIPTION_LENGTH,
        max_length=MAX_DESCRIPTION_LENGTH,
        help_text=_("What is wrong, and anything that helps the crew find it."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        help_text=_(
            'The civic number and street, such as "123 rue des Érables", the street alone, '
            "or the name of a place such as a library or a park."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    photos = MultiplePhotoField(
        label=_("Photos"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": PHOTO_TYPES}),
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput)

    def __init__(  # noqa: PLR0913 (a bound form plus what shapes it)
        self,
        data: Any = None,
        files: Any = None,
        *,
        service: Service,
        service_fields: Iterable[ServiceField],
        language: str,
        ask_contact: bool = False,
        offer_partner_sharing: bool = False,
        address_matches: list[PlaceMatch] | None = None,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, files, initial=initial)
        self.service = service
        self.service_fields = list(service_fields)
        answer_fields = {
            f"{ANSWER_PREFIX}{field.code}": answer_field(field, language)
            for field in self.service_fields
        }
        self.fields = {**answer_fields, **self.fields}
        self.fields["photos"].help_text = gettext(
            "Up to %(count)d photos (JPEG, PNG, HEIC or WebP). Their location and camera "
            "details are removed before anyone sees them."
        ) % {"count": MAX_PHOTOS_PER_REQUEST}
        if ask_contact:
            self._add_contact_fields()
        if offer_partner_sharing:
            # Unticked unless ticked: consent is never assumed (privacy.purposes).
            self.fields[SHARE_WITH_PARTNER] = forms.BooleanField(
                label=_("I allow this"), required=False
            )
        if address_matches:
            self.fields["address_choice"] = forms.ChoiceField(
                label=_("Which place do you mean?"),
                choices=[(str(m.public_id), m.shown_label) for m in address_matches],
                widget=forms.RadioSelect,
                # Left unchosen, the view says why it asks (see views_requests.filing).
                required=False,
            )

    def _add_contact_fields(self) -> None:
        self.fields["contact_name"] = forms.CharField(
            label=_("Your name"), max_length=150, required=False,
            widget=forms.TextInput(attrs={"autocomplete": "name"}),
        )  # fmt: skip
        self.fields["contact_email"] = forms.EmailField(
            label=_("Email address"), required=False,
            help_text=_("The city writes to you here about this request."),
            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        )  # fmt: skip
        self.fields["contact_phone"] = forms.CharField(
            label=_("Phone number"), max_length=40, required=False,
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        )  # fmt: skip

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        # The catalog's own check, so that every wrong answer is shown in one round.
        try:
            clean_answers(service=self.service, answers=self.answers(), fields=self.service_fields)
        except InvalidInput as error:
            for code, messages in error.fields.items():
                name = ANSWER_PREFIX + code
                if name in self.fields and name not in self.errors:
                    for message in messages:
                        self.add_error(name, message)
        return cleaned

    def answers(self) -> dict[str, Any]:
        """The answers to the service's questions, keyed by field code, for clean_answers."""
        return {
            name.removeprefix(ANSWER_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(ANSWER_PREFIX)
        }

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(ANSWER_PREFIX)]

    def partner_sharing_field(self) -> forms.BoundField | None:
        """The box to allow sharing contact details with a partner, when it is offered."""
        return self[SHARE_WITH_PARTNER] if SHARE_WITH_PARTNER in self.fields else None

    def contact_fields(self) -> list[forms.BoundField]:
        names = ("contact_name", "contact_email", "contact_phone")
        return [self[name] for name in names if name in self.fields]


def show_intake_error(form: ServiceRequestForm, error: CityHallError) -> None:
    """Put each error of the intake service next to its field, the others on top of the form."""
    if not error.fields:
        form.add_error(None, error.message)
        return
    for name, messages in error.fields.items():
        target = INTAKE_FIELD_NAMES.get(name)
        if name.startswith("answers."):
            target = ANSWER_PREFIX + name.removeprefix("answers.")
        for message in messages:
            form.add_error(target if target in form.fields else None, message)
