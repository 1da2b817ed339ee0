"""Seed the template that tells staff a citizen commented on a request, in English and French.

Only what is missing is created, so texts staff have edited stay as they are.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

CODE = "service-request-comment"
VARIABLES = ["number", "service", "link"]
TEXTS = {
    "en": (
        "Request {{ number }}: a citizen commented",
        "A citizen commented on request {{ number }} ({{ service }}). Read it and answer with an "
        "update on the request's page: {{ link }}",
    ),
    "fr": (
        "Demande {{ number }} : commentaire d'un citoyen",
        "Un citoyen a commenté la demande {{ number }} ({{ service }}). Lisez-le et répondez par "
        "une mise à jour sur la page de la demande : {{ link }}",
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
                "topic": "my_requests",
                "subject": subject,
                "body": body,
                "variables": VARIABLES,
            },
        )


def remove_template(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("notifications", "Template").objects.filter(code=CODE, channel="").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("servicerequests", "0006_add_assigned_team"),
        ("notifications", "0001_add_notifications"),
    ]

    operations = [migrations.RunPython(add_template, remove_template)]
