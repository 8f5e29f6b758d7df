from django.db import migrations


def load(apps, schema_editor):
    from notifications import risk_reference

    risk_reference.load(apps)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_risk_and_alerts")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
