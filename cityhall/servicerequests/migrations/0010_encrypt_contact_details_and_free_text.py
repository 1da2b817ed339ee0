"""Contact details and free text become encrypted columns; the contact email gets a digest.

The columns become `text` (ciphertext is longer than the plaintext); 0011 encrypts what they
hold, and 0012 then requires a digest for each contact email.
"""

import django.core.validators
from django.db import migrations

import cityhall.core.encrypted_fields


class Migration(migrations.Migration):
    dependencies = [
        ("servicerequests", "0009_follow_up_each_filing_once"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="contact_email_digest",
            field=cityhall.core.encrypted_fields.KeyedHashField(
                blank=True, db_index=True, editable=False, max_length=90, source="contact_email"
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="body",
            field=cityhall.core.encrypted_fields.EncryptedTextField(verbose_name="comment"),
        ),
        migrations.AlterField(
            model_name="satisfactionrating",
            name="comment",
            field=cityhall.core.encrypted_fields.EncryptedTextField(
                blank=True, verbose_name="comment"
            ),
        ),
        migrations.AlterField(
            model_name="servicerequest",
            name="contact_email",
            field=cityhall.core.encrypted_fields.EncryptedTextField(
                blank=True,
                max_length=254,
                validators=[django.core.validators.EmailValidator()],
                verbose_name="contact email",
            ),
        ),
        migrations.AlterField(
            model_name="servicerequest",
            name="contact_name",
            field=cityhall.core.encrypted_fields.EncryptedTextField(
                blank=True, max_length=150, verbose_name="contact name"
            ),
        ),
        migrations.AlterField(
            model_name="servicerequest",
            name="contact_phone",
            field=cityhall.core.encrypted_fields.EncryptedTextField(
                blank=True, max_length=40, verbose_name="contact phone"
            ),
        ),
        migrations.AlterField(
            model_name="servicerequest",
            name="description",
            field=cityhall.core.encrypted_fields.EncryptedTextField(verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="internal_note",
            field=cityhall.core.encrypted_fields.EncryptedTextField(
                blank=True, verbose_name="internal note"
            ),
        ),
    ]
