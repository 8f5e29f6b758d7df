"""The rule tables now belong to the rules app (rules 0001): out of this app's state.

State only: the tables stay where they are, under their names.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_kernel_moved_to_core"),
        ("rules", "0001_rule_tables_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(model_name="calendarday", name="calendar_year"),
                migrations.DeleteModel(name="ClockRule"),
                migrations.DeleteModel(name="LegalParameter"),
                migrations.DeleteModel(name="RuleTablesVersion"),
                migrations.DeleteModel(name="CalendarDay"),
                migrations.DeleteModel(name="CalendarYear"),
            ],
        ),
    ]
