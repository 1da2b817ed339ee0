"""The back office's alert forms: the draft (texts in both languages, times, area), the
cancellation's texts, and the approver's rejection reason.

The forms only gather what the officer gave; `services.check_content` and `areas` judge it,
and their errors come back onto the fields they name (`show_alert_error`).
"""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityhall.alerts.areas import (
    AlertArea,
    area_error,
    area_from_circle,
    area_from_districts,
    area_from_polygon,
    area_from_upload,
)
from cityhall.alerts.models import ALERT_LANGUAGES, SHORT_TEXT_MAX_LENGTH, Alert
from cityhall.alerts.services import AlertContent, AlertTexts, check_content
from cityhall.core.errors import CityHallError, InvalidInput
from cityhall.core.forms import PublicIdMultipleChoiceField
from cityhall.places.models import District

#: The parts of one language's texts, in the order the form shows them.
TEXT_PARTS = ("event", "headline", "short_text", "description", "instruction", "area_description")
TEXT_LABELS = {
    "event": gettext_lazy("Event (for example: Flood warning)"),
    "headline": gettext_lazy("Headline"),
    "short_text": gettext_lazy("Short text (phones and SMS)"),
    "description": gettext_lazy("Description"),
    "instruction": gettext_lazy("What people should do"),
    "area_description": gettext_lazy("Area, in words"),
}
#: Where the area's errors are shown, by the way the area was given.
AREA_FIELD = {
    Alert.AreaKind.DISTRICTS: "districts",
    Alert.AreaKind.POLYGON: "area_geojson",
    Alert.AreaKind.CIRCLE: "circle_radius_km",
    Alert.AreaKind.UPLOAD: "area_file",
}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def text_field_name(language: str, part: str) -> str:
    return f"{language}_{part}"


def _text_field(language: str, part: str) -> forms.CharField:
    widget: forms.Widget
    if part in ("description", "instruction"):
        widget = forms.Textarea(attrs={"rows": 4, "lang": language})
    elif part == "short_text":
        widget = forms.Textarea(attrs={"rows": 3, "lang": language})
    else:
        widget = forms.TextInput(attrs={"lang": language})
    field = forms.CharField(label=TEXT_LABELS[part], required=False, widget=widget)
    if part == "short_text":
        field.help_text = gettext_lazy("At most %(max)d characters.") % {
            "max": SHORT_TEXT_MAX_LENGTH
        }
    return field


class AlertTextsMixin(forms.Form):
    """One field per part of each language's texts (`en_headline`, `fr_headline`...)."""

    def add_text_fields(self) -> None:
        for language in ALERT_LANGUAGES:
            for part in TEXT_PARTS:
                self.fields[text_field_name(language, part)] = _text_field(language, part)

    def language_fields(self, language: str) -> list[forms.BoundField]:
        return [self[text_field_name(language, part)] for part in TEXT_PARTS]

    @property
    def english_fields(self) -> list[forms.BoundField]:
        return self.language_fields("en")

    @property
    def french_fields(self) -> list[forms.BoundField]:
        return self.language_fields("fr")

    def alert_texts(self) -> dict[str, AlertTexts]:
        data = self.cleaned_data
        return {
            language: AlertTexts(
                **{part: data.get(text_field_name(language, part), "") for part in TEXT_PARTS}
            )
            for language in ALERT_LANGUAGES
        }


class AlertDraftForm(AlertTextsMixin):
    """Everything an officer gives for a new alert or an update."""

    status = forms.ChoiceField(
        label=gettext_lazy("Kind of message"),
        choices=[
            (Alert.Status.ACTUAL, gettext_lazy("A real alert")),
            (Alert.Status.EXERCISE, gettext_lazy("An exercise (test recipients only)")),
            (Alert.Status.TEST, gettext_lazy("A technical test (test recipients only)")),
        ],
        initial=Alert.Status.ACTUAL,
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Alert.Category.choices)
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), choices=Alert.Urgency.choices)
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), choices=Alert.Severity.choices)
    certainty = forms.ChoiceField(label=gettext_lazy("Certainty"), choices=Alert.Certainty.choices)
    onset = forms.DateTimeField(
        label=gettext_lazy("Onset"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    expires = forms.DateTimeField(
        label=gettext_lazy("Expires"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    web = forms.CharField(
        label=gettext_lazy("Web link (optional)"),
        required=False,
        help_text=gettext_lazy("Without one, the alert's page on the portal is given."),
        widget=forms.URLInput(),
    )
    area_kind = forms.ChoiceField(
        label=gettext_lazy("How is the area given?"),
        choices=Alert.AreaKind.choices,
        initial=Alert.AreaKind.DISTRICTS,
        widget=forms.RadioSelect,
    )
    districts = PublicIdMultipleChoiceField(
        label=gettext_lazy("Districts"),
        queryset=District.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area_geojson = forms.CharField(
        label=gettext_lazy("Polygon as GeoJSON"),
        required=False,
        help_text=gettext_lazy(
            "Drawing on the map fills this in; you may also paste or type a GeoJSON polygon "
            "(longitude, latitude)."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    circle_latitude = forms.FloatField(label=gettext_lazy("Centre latitude"), required=False)
    circle_longitude = forms.FloatField(label=gettext_lazy("Centre longitude"), required=False)
    circle_radius_km = forms.FloatField(
        label=gettext_lazy("Radius (km)"), required=False, min_value=0
    )
    area_file = forms.FileField(
        label=gettext_lazy("GeoJSON file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.add_text_fields()

    def area(self) -> AlertArea:
        """The checked area; raises InvalidInput on the `area` field."""
        data = self.cleaned_data
        kind = data.get("area_kind")
        if kind == Alert.AreaKind.DISTRICTS:
            return area_from_districts(data.get("districts") or [])
        if kind == Alert.AreaKind.POLYGON:
            return area_from_polygon(_geojson_geometry(data.get("area_geojson") or ""))
        if kind == Alert.AreaKind.CIRCLE:
            values = [data.get(f"circle_{part}") for part in ("latitude", "longitude", "radius_km")]
            if any(value is None for value in values):
                raise area_error(_("Give the circle's centre and radius, or click on the map."))
            latitude, longitude, radius = (float(value or 0) for value in values)
            return area_from_circle(latitude, longitude, radius)
        upload = data.get("area_file")
        if upload is None:
            raise area_error(_("Choose a GeoJSON file to upload."))
        return area_from_upload(upload.read())

    def content(self) -> AlertContent:
        """What the officer gave, as the services take it. An unusable area raises
        InvalidInput together with every other mistake, so all are shown at once."""
        data = self.cleaned_data
        area_problem: InvalidInput | None = None
        try:
            area = self.area()
        except InvalidInput as error:
            area_problem = error
            area = cast(AlertArea, None)  # check_content does not read the area
        content = AlertContent(
            category=data["category"],
            urgency=data["urgency"],
            severity=data["severity"],
            certainty=data["certainty"],
            onset=data["onset"],
            expires=data["expires"],
            area=area,
            texts=self.alert_texts(),
            status=data["status"],
            web=data.get("web", "").strip(),
        )
        if area_problem is not None:
            fields = dict(area_problem.fields)
            try:
                check_content(content)
            except InvalidInput as error:
                fields.update(error.fields)
            raise InvalidInput(_("The alert cannot be saved as it is."), fields=fields)
        return content


def _geojson_geometry(text: str) -> Any:
    if not text.strip():
        raise area_error(_("Draw the polygon on the map, or type it as GeoJSON."))
    try:
        document = json.loads(text)
    except ValueError as error:
        raise area_error(_("The polygon is not valid GeoJSON.")) from error
    if isinstance(document, dict) and document.get("type") == "Feature":
        return document.get("geometry")
    return document


class AlertCancelForm(AlertTextsMixin):
    """The texts of a cancellation: why the alert is over, in both languages."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.add_text_fields()


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejecting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def show_alert_error(form: forms.Form, error: CityHallError) -> None:
    """Put a service's error next to the fields it names (`texts.fr.headline` → `fr_headline`,
    `area` → the field of the chosen way of giving the area), the rest on top."""
    if not error.fields:
        form.add_error(None, error.message)
        return
    for name, messages in error.fields.items():
        target = _field_for(form, name)
        for message in messages:
            form.add_error(target, message)


def _field_for(form: forms.Form, name: str) -> str | None:
    if name.startswith("texts."):
        parts = name.split(".")
        language = parts[1]
        part = parts[2] if len(parts) > 2 else "headline"
        name = text_field_name(language, part)
    elif name == "area":
        kind = form.cleaned_data.get("area_kind", Alert.AreaKind.DISTRICTS)
        name = AREA_FIELD.get(kind, "area_kind")
    return name if name in form.fields else None


def initial_from_content(content: AlertContent) -> dict[str, Any]:
    """The draft form's initial values for content an alert was saved with."""
    initial: dict[str, Any] = {
        "status": content.status,
        "category": content.category,
        "urgency": content.urgency,
        "severity": content.severity,
        "certainty": content.certainty,
        "onset": content.onset,
        "expires": content.expires,
        "web": content.web,
        "area_kind": content.area.kind,
        "districts": list(content.area.districts),
    }
    if content.area.kind in (Alert.AreaKind.POLYGON, Alert.AreaKind.UPLOAD):
        initial["area_kind"] = Alert.AreaKind.POLYGON
        initial["area_geojson"] = json.dumps(content.area.geojson())
    if content.area.circle is not None:
        initial["circle_latitude"] = content.area.circle.latitude
        initial["circle_longitude"] = content.area.circle.longitude
        initial["circle_radius_km"] = content.area.circle.radius_km
    initial.update(initial_texts(content.texts))
    return initial


def initial_texts(texts: Any) -> dict[str, str]:
    return {
        text_field_name(language, part): getattr(given, part)
        for language, given in texts.items()
        for part in TEXT_PARTS
    }


class PartnerAreaForm(forms.Form):
    """The city's choice of a partner's service area for alerts."""

    districts = PublicIdMultipleChoiceField(
        label=gettext_lazy("Districts"),
        queryset=District.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area_geojson = forms.CharField(
        label=gettext_lazy("Polygon as GeoJSON (optional)"),
        required=False,
        help_text=gettext_lazy(
            "Added to the districts: a (Multi)Polygon, longitude then latitude."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )

    def polygon(self) -> Any:
        text = self.cleaned_data.get("area_geojson", "").strip()
        return _geojson_geometry(text) if text else None
