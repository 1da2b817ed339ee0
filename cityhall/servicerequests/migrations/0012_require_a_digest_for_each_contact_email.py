"""An emptied contact email cannot leave its digest behind, nor a digest outlive its email."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("servicerequests", "0011_encrypt_stored_contact_details__noop"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="servicerequest",
            constraint=models.CheckConstraint(
                condition=models.Q(contact_email="", contact_email_digest="")
                | (~models.Q(contact_email="") & ~models.Q(contact_email_digest="")),
                name="sr_contact_email_digest_iff_email",
            ),
        ),
    ]
