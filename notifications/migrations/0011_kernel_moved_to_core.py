"""An alert's township is core's model now (core 0001). State only: no SQL."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("notifications", "0010_alert_acknowledgement_note"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="alert",
                    name="township",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="core.township",
                        verbose_name="乡镇",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
