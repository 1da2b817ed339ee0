"""Drop the passwords of accounts whose address was never confirmed, then forbid them.

Such a password may have been set by someone else than the owner of the address (account
pre-hijacking). The owner signs in by emailed link or resets the password instead.
"""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import migrations, models


def forget_passwords_of_unconfirmed_accounts(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    unconfirmed = User.objects.filter(email_verified_at__isnull=True).exclude(password="")
    for user in unconfirmed.exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX).only("id"):
        User.objects.filter(id=user.id).update(password=make_password(None))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_add_staff_verified_to_access_token"),
    ]

    operations = [
        migrations.RunPython(forget_passwords_of_unconfirmed_accounts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("email_verified_at__isnull", False),
                    ("password", ""),
                    ("password__startswith", "!"),
                    _connector="OR",
                ),
                name="unverified_account_has_no_usable_password",
            ),
        ),
    ]
