from datetime import timedelta

from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

#: Longer than the sweep's window (services.follow_up.FOLLOW_UP_WINDOW): older filings are
#: never swept, so only recent ones need marking.
RECENT = timedelta(days=2)


def mark_recent_filings_followed_up(apps, schema_editor):
    """Filings already made were followed up by the tasks queued with them."""
    ServiceRequest = apps.get_model("servicerequests", "ServiceRequest")
    ServiceRequest.objects.filter(created_at__gte=timezone.now() - RECENT).update(
        followed_up_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("servicerequests", "0008_clean_photos_off_the_request_path"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="follow_up_claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="follow-up taken on"),
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="followed_up_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="followed up"),
        ),
        migrations.RunPython(mark_recent_filings_followed_up, migrations.RunPython.noop),
    ]
