"""The record of every showing of a full ID number or phone; PostgreSQL keeps it append-only
(the same kind of trigger as case events, migration 0004)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

REFUSE = """
CREATE OR REPLACE FUNCTION personaldataaccess_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'cases_personaldataaccess is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS personaldataaccess_append_only ON cases_personaldataaccess;
CREATE TRIGGER personaldataaccess_append_only BEFORE UPDATE OR DELETE ON cases_personaldataaccess
    FOR EACH ROW EXECUTE FUNCTION personaldataaccess_append_only();
"""

ALLOW = """
DROP TRIGGER IF EXISTS personaldataaccess_append_only ON cases_personaldataaccess;
DROP FUNCTION IF EXISTS personaldataaccess_append_only();
"""


def trigger_install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(REFUSE)


def trigger_remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_personal_data_encrypted"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonalDataAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "field",
                    models.CharField(
                        choices=[("id_number", "身份证号"), ("phone", "手机号")],
                        max_length=20,
                        verbose_name="查看内容",
                    ),
                ),
                ("purpose", models.CharField(blank=True, max_length=200, verbose_name="用途")),
                (
                    "ip_address",
                    models.GenericIPAddressField(blank=True, null=True, verbose_name="IP地址"),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="查看时间"),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="cases.case",
                        verbose_name="案件",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="cases.person",
                        verbose_name="劳动者",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="查看人",
                    ),
                ),
            ],
            options={
                "verbose_name": "个人信息查看记录",
                "verbose_name_plural": "个人信息查看记录",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.RunPython(trigger_install, trigger_remove),
    ]
