"""The desk's case list: a township's cases, newest first, read from one index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0019_desk_registration"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["township", "reported_at"], name="disputes_ca_townshi_d9d83e_idx"
            ),
        ),
    ]
