import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import disputes.storage


def _move(apps, source, target):
    for name in apps.get_model("disputes", "Attachment").objects.values_list("file", flat=True):
        old = Path(source) / name if name else None
        if old and old.is_file():
            new = Path(target) / name
            new.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(old, new)


def to_private(apps, schema_editor):
    """Photos and agreements stored before: out of MEDIA_ROOT, which a URL could reach."""
    _move(apps, settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)


def to_public(apps, schema_editor):
    _move(apps, settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT)


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0011_private_documents"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(
                storage=disputes.storage.PrivateStorage(),
                upload_to="cases/%Y/%m/",
                verbose_name="file",
            ),
        ),
        migrations.RunPython(to_private, to_public),
    ]
