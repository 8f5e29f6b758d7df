"""The subsidy policy tables now belong to the rules app (rules 0001): out of this app's
state, and the application's policy points there.

State only: the tables, the column and its foreign key stay as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0006_kernel_moved_to_core"),
        ("rules", "0001_rule_tables_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="subsidyapplication",
                    name="policy",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="rules.subsidypolicy",
                        verbose_name="政策版本",
                    ),
                ),
                migrations.DeleteModel(name="PolicyParameter"),
                migrations.DeleteModel(name="SubsidyPolicy"),
            ],
        ),
    ]
