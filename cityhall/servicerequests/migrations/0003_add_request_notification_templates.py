"""Seed the notification templates a request's events are told with, in English and French.

The codes match `cityhall.servicerequests.notices`; staff may edit the texts afterwards, so
this migration only creates what is missing and leaves edited texts alone.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

CITIZEN = ["number", "service", "status", "note", "link"]
STAFF = ["number", "service", "due", "link"]

TEMPLATES = {
    "service-request-acknowledged": (
        "my_requests",
        CITIZEN,
        (
            "Request {{ number }}: received by the team",
            "Your request {{ number }} ({{ service }}) has been read by the team in charge. "
            "{{ note }}\nFollow it here: {{ link }}",
        ),
        (
            "Demande {{ number }} : prise en charge",
            "Votre demande {{ number }} ({{ service }}) a été lue par l'équipe responsable. "
            "{{ note }}\nSuivez-la ici : {{ link }}",
        ),
    ),
    "service-request-in-progress": (
        "my_requests",
        CITIZEN,
        (
            "Request {{ number }}: work in progress",
            "Work on your request {{ number }} ({{ service }}) is in progress. {{ note }}\n"
            "Follow it here: {{ link }}",
        ),
        (
            "Demande {{ number }} : travaux en cours",
            "Les travaux pour votre demande {{ number }} ({{ service }}) sont en cours. "
            "{{ note }}\nSuivez-la ici : {{ link }}",
        ),
    ),
    "service-request-on-hold": (
        "my_requests",
        CITIZEN,
        (
            "Request {{ number }}: on hold",
            "Your request {{ number }} ({{ service }}) is on hold for now. {{ note }}\n"
            "Follow it here: {{ link }}",
        ),
        (
            "Demande {{ number }} : en attente",
            "Votre demande {{ number }} ({{ service }}) est en attente pour le moment. "
            "{{ note }}\nSuivez-la ici : {{ link }}",
        ),
    ),
    "service-request-resolved": (
        "my_requests",
        CITIZEN,
        (
            "Request {{ number }}: resolved",
            "Your request {{ number }} ({{ service }}) is resolved. {{ note }}\n"
            "Not fixed after all? You may reopen it within 14 days: {{ link }}",
        ),
        (
            "Demande {{ number }} : résolue",
            "Votre demande {{ number }} ({{ service }}) est résolue. {{ note }}\n"
            "Le problème persiste ? Vous pouvez la rouvrir dans les 14 jours : {{ link }}",
        ),
    ),
    "service-request-closed": (
        "my_requests",
        CITIZEN,
        (
            "Request {{ number }}: closed",
            "Your request {{ number }} ({{ service }}) is closed. {{ note }}\n"
            "See its history here: {{ link }}",
        ),
        (
            "Demande {{ number }} : fermée",
            "Votre demande {{ number }} ({{ service }}) est fermée. {{ note }}\n"
            "Consultez son historique ici : {{ link }}",
        ),
    ),
    "service-request-rejected": (
        "my_requests",
        CITIZEN,
        (
            "Request {{ number }}: not accepted",
            "Your request {{ number }} ({{ service }}) could not be accepted. {{ note }}\n"
            "Details: {{ link }}",
        ),
        (
            "Demande {{ number }} : non retenue",
            "Votre demande {{ number }} ({{ service }}) n'a pas pu être retenue. {{ note }}\n"
            "Détails : {{ link }}",
        ),
    ),
    "service-request-duplicate": (
        "my_requests",
        CITIZEN,
        (
            "Request {{ number }}: already reported",
            "Your request {{ number }} ({{ service }}) describes a problem already reported. "
            "You now follow the earlier request and will hear of its progress. {{ note }}\n"
            "Details: {{ link }}",
        ),
        (
            "Demande {{ number }} : déjà signalée",
            "Votre demande {{ number }} ({{ service }}) décrit un problème déjà signalé. "
            "Vous suivez désormais la demande précédente et serez informé de son avancement. "
            "{{ note }}\nDétails : {{ link }}",
        ),
    ),
    "service-request-update": (
        "my_requests",
        CITIZEN,
        (
            "Request {{ number }}: news",
            "News about request {{ number }} ({{ service }}, {{ status }}): {{ note }}\n"
            "Follow it here: {{ link }}",
        ),
        (
            "Demande {{ number }} : du nouveau",
            "Du nouveau pour la demande {{ number }} ({{ service }}, {{ status }}) : {{ note }}\n"
            "Suivez-la ici : {{ link }}",
        ),
    ),
    "service-request-survey": (
        "my_requests",
        CITIZEN,
        (
            "How did we do with request {{ number }}?",
            "Your request {{ number }} ({{ service }}) is settled. Tell us in one minute how "
            "well it was handled, from 1 to 5: {{ link }}",
        ),
        (
            "Votre avis sur la demande {{ number }}",
            "Votre demande {{ number }} ({{ service }}) est réglée. Dites-nous en une minute "
            "comment elle a été traitée, de 1 à 5 : {{ link }}",
        ),
    ),
    "service-request-sla-warning": (
        "reminders",
        STAFF,
        (
            "Due soon: request {{ number }}",
            "Request {{ number }} ({{ service }}) is due on {{ due }}; 80% of its time has "
            "passed.\nOpen it: {{ link }}",
        ),
        (
            "Échéance proche : demande {{ number }}",
            "La demande {{ number }} ({{ service }}) est due le {{ due }} ; 80 % du délai est "
            "écoulé.\nOuvrir : {{ link }}",
        ),
    ),
    "service-request-sla-breach": (
        "reminders",
        STAFF,
        (
            "Overdue: request {{ number }}",
            "Request {{ number }} ({{ service }}) was due on {{ due }} and is still open.\n"
            "Open it: {{ link }}",
        ),
        (
            "En retard : demande {{ number }}",
            "La demande {{ number }} ({{ service }}) était due le {{ due }} et reste ouverte.\n"
            "Ouvrir : {{ link }}",
        ),
    ),
}


def add_templates(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template_model = apps.get_model("notifications", "Template")
    for code, (topic, variables, english, french) in TEMPLATES.items():
        for language, (subject, body) in (("en", english), ("fr", french)):
            template_model.objects.get_or_create(
                code=code,
                channel="",
                language=language,
                defaults={
                    "topic": topic,
                    "subject": subject,
                    "body": body,
                    "variables": variables,
                },
            )


def remove_templates(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    template_model = apps.get_model("notifications", "Template")
    template_model.objects.filter(code__in=list(TEMPLATES), channel="").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("servicerequests", "0002_add_photos_ratings_assignment_and_open311_fields"),
        ("notifications", "0001_add_notifications"),
    ]

    operations = [migrations.RunPython(add_templates, remove_templates)]
