"""Seed the notification templates a booking's events are told with, in English and French.

The codes match `cityhall.appointments.notices.TEMPLATES`; staff may edit the texts afterwards,
so this migration only creates what is missing and leaves edited texts alone.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

VARIABLES = ["service", "place", "address", "when", "documents", "link"]

TEMPLATES = {
    "appointment-confirmed": (
        (
            "Appointment confirmed: {{ when }}",
            "Your appointment is confirmed: {{ service }}, {{ when }}, at {{ place }} "
            "({{ address }}). Bring: {{ documents }}\nSee or change it: {{ link }}",
        ),
        (
            "Rendez-vous confirmé : {{ when }}",
            "Votre rendez-vous est confirmé : {{ service }}, {{ when }}, à {{ place }} "
            "({{ address }}). À apporter : {{ documents }}\nLe voir ou le modifier : {{ link }}",
        ),
    ),
    "appointment-rescheduled": (
        (
            "Appointment moved: {{ when }}",
            "Your appointment ({{ service }}) is now on {{ when }}, at {{ place }}.\n"
            "See or change it: {{ link }}",
        ),
        (
            "Rendez-vous déplacé : {{ when }}",
            "Votre rendez-vous ({{ service }}) a lieu maintenant le {{ when }}, à {{ place }}.\n"
            "Le voir ou le modifier : {{ link }}",
        ),
    ),
    "appointment-cancelled": (
        (
            "Appointment cancelled",
            "Your appointment ({{ service }}) on {{ when }} at {{ place }} is cancelled.\n"
            "Book another: {{ link }}",
        ),
        (
            "Rendez-vous annulé",
            "Votre rendez-vous ({{ service }}) du {{ when }} à {{ place }} est annulé.\n"
            "En prendre un autre : {{ link }}",
        ),
    ),
    "appointment-reminder": (
        (
            "Reminder: appointment on {{ when }}",
            "A reminder of your appointment: {{ service }}, {{ when }}, at {{ place }} "
            "({{ address }}). Bring: {{ documents }}\nSee or change it: {{ link }}",
        ),
        (
            "Rappel : rendez-vous le {{ when }}",
            "Rappel de votre rendez-vous : {{ service }}, {{ when }}, à {{ place }} "
            "({{ address }}). À apporter : {{ documents }}\nLe voir ou le modifier : {{ link }}",
        ),
    ),
}


def add_templates(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template_model = apps.get_model("notifications", "Template")
    for code, (english, french) in TEMPLATES.items():
        for language, (subject, body) in (("en", english), ("fr", french)):
            template_model.objects.get_or_create(
                code=code,
                channel="",
                language=language,
                defaults={
                    "topic": "appointments",
                    "subject": subject,
                    "body": body,
                    "variables": VARIABLES,
                },
            )


def remove_templates(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template_model = apps.get_model("notifications", "Template")
    template_model.objects.filter(code__in=list(TEMPLATES), channel="").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_add_counter_services_and_bookings"),
        ("notifications", "0006_claim_digest_items"),
    ]

    operations = [migrations.RunPython(add_templates, remove_templates)]
