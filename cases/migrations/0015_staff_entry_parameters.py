from django.db import migrations


def load_reference(apps, schema_editor):
    # Adds the limitation and back-dating figures (cases.staff_entry); existing rows
    # are left as the administrator set them.
    from cases import reference

    reference.load(apps)


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_drop_clear_api_tokens")]

    operations = [migrations.RunPython(load_reference, migrations.RunPython.noop)]
