"""The risk rule tables now belong to the rules app (rules 0001): out of this app's state.

State only: the tables stay where they are, under their names.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0011_kernel_moved_to_core"),
        ("rules", "0001_rule_tables_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="RiskKeyword"),
                migrations.DeleteModel(name="RiskRuleSet"),
                migrations.DeleteModel(name="SpringFestival"),
            ],
        ),
    ]
