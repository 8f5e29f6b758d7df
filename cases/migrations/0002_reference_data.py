from django.db import migrations


def load_reference(apps, schema_editor):
    from cases import reference

    reference.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load_reference, migrations.RunPython.noop)]
