"""Township, StaffProfile, Employer and Person move from cases to core, in the migration
state only: their tables keep their names (Meta.db_table) and no data moves. The content
types follow, so permissions and admin history stay attached."""

import core.pii
import core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["township", "staffprofile", "employer", "person"]


def _relabel(apps, old, new):
    # A database migrated before the move has these rows under cases; an empty one gets
    # them under core after migrate (post_migrate), and then there is nothing to do here.
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label=new, model__in=MOVED).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label=old, model__in=set(MOVED) - taken).update(app_label=new)


def content_types_to_core(apps, schema_editor):
    _relabel(apps, "cases", "core")


def content_types_to_cases(apps, schema_editor):
    _relabel(apps, "core", "cases")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("cases", "0017_person_phone_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Person",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=50, verbose_name="姓名")),
                        (
                            "id_number",
                            core.pii.EncryptedTextField(
                                validators=[core.validators.validate_ric], verbose_name="身份证号"
                            ),
                        ),
                        (
                            "id_number_index",
                            core.pii.BlindIndexField(
                                editable=False,
                                max_length=64,
                                source="id_number",
                                unique=True,
                                verbose_name="身份证号索引",
                            ),
                        ),
                        ("phone", core.pii.EncryptedTextField(blank=True, verbose_name="手机号")),
                        (
                            "phone_index",
                            core.pii.BlindIndexField(
                                blank=True,
                                db_index=True,
                                editable=False,
                                max_length=64,
                                source="phone",
                                verbose_name="手机号索引",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "verbose_name": "劳动者",
                        "verbose_name_plural": "劳动者",
                        "db_table": "cases_person",
                    },
                ),
                migrations.CreateModel(
                    name="Township",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.SlugField(max_length=32, unique=True, verbose_name="代码")),
                        ("name", models.CharField(max_length=32, unique=True, verbose_name="名称")),
                        (
                            "sort_order",
                            models.PositiveSmallIntegerField(default=0, verbose_name="排序"),
                        ),
                    ],
                    options={
                        "verbose_name": "乡镇",
                        "verbose_name_plural": "乡镇",
                        "db_table": "cases_township",
                        "ordering": ["sort_order", "code"],
                    },
                ),
                migrations.CreateModel(
                    name="StaffProfile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "county_level",
                            models.BooleanField(default=False, verbose_name="县级(全县可见)"),
                        ),
                        ("phone", core.pii.EncryptedTextField(blank=True, verbose_name="电话")),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="staff_profile",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "townships",
                            models.ManyToManyField(
                                blank=True, to="core.township", verbose_name="所属乡镇"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "工作人员辖区",
                        "verbose_name_plural": "工作人员辖区",
                        "db_table": "cases_staffprofile",
                    },
                ),
                migrations.CreateModel(
                    name="Employer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="名称")),
                        (
                            "normalized_name",
                            models.CharField(db_index=True, editable=False, max_length=200),
                        ),
                        (
                            "uscc",
                            models.CharField(
                                blank=True,
                                max_length=18,
                                validators=[core.validators.validate_uscc],
                                verbose_name="统一社会信用代码",
                            ),
                        ),
                        (
                            "address",
                            models.CharField(blank=True, max_length=300, verbose_name="地址"),
                        ),
                        (
                            "sector",
                            models.CharField(
                                choices=[
                                    ("construction", "建筑施工"),
                                    ("steel_coke", "钢铁焦化"),
                                    ("mining", "采矿"),
                                    ("manufacturing", "制造业"),
                                    ("services", "服务业"),
                                    ("agriculture", "农业"),
                                    ("transport", "交通运输物流"),
                                    ("other", "其他"),
                                ],
                                default="other",
                                max_length=20,
                                verbose_name="行业",
                            ),
                        ),
                        (
                            "size_class",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("micro", "微型"),
                                    ("small", "小型"),
                                    ("medium", "中型"),
                                    ("large", "大型"),
                                ],
                                max_length=10,
                                verbose_name="规模",
                            ),
                        ),
                        (
                            "state_owned_or_government_project",
                            models.BooleanField(default=False, verbose_name="政府投资或国企项目"),
                        ),
                        (
                            "closed_under_policy",
                            models.BooleanField(default=False, verbose_name="产业政策关停企业"),
                        ),
                        (
                            "blacklisted_until",
                            models.DateField(
                                blank=True, null=True, verbose_name="欠薪黑名单截止日"
                            ),
                        ),
                        ("is_demo", models.BooleanField(default=False, verbose_name="演示数据")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "township",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="core.township",
                                verbose_name="乡镇",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "用人单位",
                        "verbose_name_plural": "用人单位",
                        "db_table": "cases_employer",
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("uscc", ""), _negated=True),
                                fields=("uscc",),
                                name="employer_uscc_unique",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_core, content_types_to_cases),
    ]
