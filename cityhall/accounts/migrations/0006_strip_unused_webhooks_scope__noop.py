"""Take the `webhooks:manage` scope, which no endpoint ever checked, off existing API keys."""

from django.db import migrations

UNUSED_SCOPE = "webhooks:manage"


def strip_unused_webhooks_scope(apps, schema_editor):
    ApiKey = apps.get_model("accounts", "ApiKey")
    for api_key in ApiKey.objects.only("id", "scopes"):
        if UNUSED_SCOPE in api_key.scopes:
            scopes = [scope for scope in api_key.scopes if scope != UNUSED_SCOPE]
            ApiKey.objects.filter(id=api_key.id).update(scopes=scopes)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_forget_passwords_of_unconfirmed_accounts"),
    ]

    operations = [
        migrations.RunPython(strip_unused_webhooks_scope, migrations.RunPython.noop),
    ]
