"""The subsidy application's employer and township are core's models now (core 0001).
State only: the columns and their constraints are unchanged."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("workflows", "0005_query_code_hashed"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="subsidyapplication",
                    name="employer",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="subsidy_applications",
                        to="core.employer",
                        verbose_name="登记的用人单位",
                    ),
                ),
                migrations.AlterField(
                    model_name="subsidyapplication",
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
