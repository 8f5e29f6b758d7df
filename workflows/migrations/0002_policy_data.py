"""The plan's subsidy policies (襄政发〔2024〕2号 三(三)), editable in the admin afterwards."""

from django.db import migrations


def load(apps, schema_editor):
    from workflows import policies

    policies.load(apps)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
