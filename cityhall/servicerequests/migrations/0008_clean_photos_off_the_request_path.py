"""Photos wait in quarantine until the worker cleans them; the ones stored before were clean."""

import cityhall.servicerequests.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('servicerequests', '0007_add_comment_notification_template'),
    ]

    operations = [
        migrations.AddField(
            model_name='requestphoto',
            name='raw_upload',
            field=models.FileField(blank=True, upload_to=cityhall.servicerequests.models.quarantine_upload_path),
        ),
        # Photos stored before this were cleaned when filed.
        migrations.AddField(
            model_name='requestphoto',
            name='status',
            field=models.CharField(choices=[('awaiting_cleaning', 'Being prepared'), ('clean', 'Clean'), ('rejected', 'Could not be read')], default='clean', max_length=20),
        ),
        migrations.AlterField(
            model_name='requestphoto',
            name='status',
            field=models.CharField(choices=[('awaiting_cleaning', 'Being prepared'), ('clean', 'Clean'), ('rejected', 'Could not be read')], default='awaiting_cleaning', max_length=20),
        ),
        migrations.AlterField(
            model_name='requestphoto',
            name='image',
            field=models.ImageField(blank=True, upload_to=cityhall.servicerequests.models.photo_upload_path, verbose_name='photo'),
        ),
    ]
