"""API tokens moved from DRF's authtoken (the key stored in clear, never expiring) to
django-rest-knox (a digest, expiring). The old table is dropped with every token in it:
API clients sign in again. Its rows in django_migrations go too, so that the state
stays true should the app ever be installed again."""

from django.db import migrations

DROP = "DROP TABLE IF EXISTS authtoken_token"
FORGET = "DELETE FROM django_migrations WHERE app = 'authtoken'"


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_idempotency_keys_per_caller"),
    ]

    operations = [
        migrations.RunSQL(DROP, migrations.RunSQL.noop),
        migrations.RunSQL(FORGET, migrations.RunSQL.noop),
    ]
