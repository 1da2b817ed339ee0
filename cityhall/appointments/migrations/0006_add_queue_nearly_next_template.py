"""Seed the "nearly your turn" notification of the queue, in English and French.

The code matches `cityhall.appointments.services_queue.nearly_next.TEMPLATE`; staff may edit
the texts afterwards, so this migration only creates what is missing.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

CODE = "queue-nearly-next"
VARIABLES = ["number", "service", "place", "link"]
TEXTS = {
    "en": (
        "Ticket {{ number }}: nearly your turn",
        "Ticket {{ number }} ({{ service }}) at {{ place }}: it is nearly your turn. "
        "Please come back to the waiting room now.\nYour place in the queue: {{ link }}",
    ),
    "fr": (
        "Billet {{ number }} : bientôt votre tour",
        "Billet {{ number }} ({{ service }}) à {{ place }} : c'est bientôt votre tour. "
        "Revenez dès maintenant dans la salle d'attente.\nVotre place dans la file : {{ link }}",
    ),
}


def add_template(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template_model = apps.get_model("notifications", "Template")
    for language, (subject, body) in TEXTS.items():
        template_model.objects.get_or_create(
            code=CODE,
            channel="",
            language=language,
            defaults={
                "topic": "appointments",
                "subject": subject,
                "body": body,
                "variables": VARIABLES,
            },
        )


def remove_template(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("notifications", "Template").objects.filter(code=CODE, channel="").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0005_add_waiting_list"),
        ("notifications", "0006_claim_digest_items"),
    ]

    operations = [migrations.RunPython(add_template, remove_template)]
