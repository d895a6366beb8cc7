from django.db import migrations


class Migration(migrations.Migration):
    """DRF's tokens never expired and were stored in clear: gone with knox's hashed tokens.

    Phones log in again once; their old token stops working either way.
    """

    dependencies = [
        ("disputes", "0014_outbox"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token CASCADE", migrations.RunSQL.noop),
    ]
