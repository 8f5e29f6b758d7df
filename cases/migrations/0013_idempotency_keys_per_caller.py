"""Idempotency keys belong to their caller (user or client address) and lapse after a
day. Records stored before this had no owner: they are deleted (a retry of such a
request within the day becomes a new request, which the duplicate check still links)."""

from django.db import migrations, models


def unowned_records_delete(apps, schema_editor):
    apps.get_model("cases", "IdempotencyRecord").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0012_pending_followup'),
    ]

    operations = [
        migrations.RunPython(unowned_records_delete, migrations.RunPython.noop),
        migrations.AddField(
            model_name='idempotencyrecord',
            name='scope',
            field=models.CharField(default='', max_length=64),
        ),
        migrations.AlterField(
            model_name='idempotencyrecord',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, db_index=True),
        ),
        migrations.AlterField(
            model_name='idempotencyrecord',
            name='key',
            field=models.CharField(max_length=200),
        ),
        migrations.AddConstraint(
            model_name='idempotencyrecord',
            constraint=models.UniqueConstraint(fields=('scope', 'key'), name='idempotency_scope_key_uniq'),
        ),
    ]
