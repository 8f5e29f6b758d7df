"""The conditions of the enforcement lists as a rule table (the wage-arrears blacklist of
人社部令45号 and the publication of major violations of 人社部令29号), their starting
rows, and the two legal figures they use (the listing period; whether the publication
names the responsible person).

The rows and the trigger SQL are frozen here as they were when this migration was
written (rules.reference and rules.triggers may change later).
"""

import datetime as dt

from django.db import migrations, models

ORDER45 = "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》(人社部令第45号)"
ORDER29 = "《重大劳动保障违法行为社会公布办法》(人社部令第29号)"
SINCE45 = dt.date(2022, 1, 1)
SINCE29 = dt.date(2017, 1, 1)

CRITERIA = [
    ("blacklist", "order_ignored", 1, None, f"{ORDER45}第五条", True, SINCE45),
    ("blacklist", "wage_refusal_amount", 2, None, f"{ORDER45}第五条第（一）项", True, SINCE45),
    ("blacklist", "incident", 2, None, f"{ORDER45}第五条第（二）项", True, SINCE45),
    ("publication", "blacklisted", 1, None, f"{ORDER29}第五条 [CONFIG]", False, SINCE29),
    ("publication", "transferred_police", 1, None, f"{ORDER29}第五条第（二）项", True, SINCE29),
    (
        "publication",
        "amount_over",
        1,
        100000,
        f"{ORDER29}第五条第（一）项；“数额较大”的本县标准待确认 [CONFIG]",
        False,
        SINCE29,
    ),
]
PARAMETERS = [
    (
        "blacklist_listing_years",
        "失信联合惩戒名单列入期限",
        3,
        "年",
        f"{ORDER45}（列入期限3年）",
        True,
        SINCE45,
    ),
    (
        "publication_names_responsible_person",
        "社会公布：公布法定代表人或负责人姓名（1公布，0不公布）",
        1,
        "",
        f"{ORDER29}第六条",
        True,
        SINCE29,
    ),
]
TABLE = "rules_listingcriterion"
SQLITE_OPS = ("INSERT", "UPDATE", "DELETE")
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION rule_tables_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases_ruletablesversion SET generation = (random() * 9.2e18)::bigint;
    RETURN NULL;
END $$;
"""
PG_TRIGGER = """
DROP TRIGGER IF EXISTS rule_tables_changed ON {table};
CREATE TRIGGER rule_tables_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION rule_tables_changed();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS {table}_changed_{op} AFTER {op} ON {table}
BEGIN UPDATE cases_ruletablesversion SET generation = random(); END;
"""


def triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [PG_FUNCTION, PG_TRIGGER.format(table=TABLE)]
    elif vendor == "sqlite":
        statements = [SQLITE_TRIGGER.format(table=TABLE, op=op) for op in SQLITE_OPS]
    else:
        raise NotImplementedError(f"no rule-table triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)


def triggers_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS rule_tables_changed ON {TABLE}"]
    else:
        statements = [f"DROP TRIGGER IF EXISTS {TABLE}_changed_{op}" for op in SQLITE_OPS]
    for statement in statements:
        schema_editor.execute(statement)


def rows_load(apps, schema_editor):
    ListingCriterion = apps.get_model("rules", "ListingCriterion")
    LegalParameter = apps.get_model("rules", "LegalParameter")
    for listing, condition, group, amount, citation, confirmed, since in CRITERIA:
        ListingCriterion.objects.get_or_create(
            listing=listing,
            condition=condition,
            effective_from=since,
            defaults={
                "group": group,
                "amount": amount,
                "citation": citation,
                "confirmed": confirmed,
            },
        )
    for code, label, value, unit, citation, confirmed, since in PARAMETERS:
        LegalParameter.objects.get_or_create(
            code=code,
            effective_from=since,
            defaults={
                "label": label,
                "value": value,
                "unit": unit,
                "citation": citation,
                "confirmed": confirmed,
            },
        )


def parameters_remove(apps, schema_editor):
    LegalParameter = apps.get_model("rules", "LegalParameter")
    LegalParameter.objects.filter(code__in=[row[0] for row in PARAMETERS]).delete()



class Migration(migrations.Migration):

    dependencies = [
        ('rules', '0003_policy_funding_source'),
    ]

    operations = [
        migrations.CreateModel(
            name='ListingCriterion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('citation', models.CharField(max_length=200, verbose_name='依据')),
                ('confirmed', models.BooleanField(default=True, help_text='未确认的为默认值 [CONFIG]，需由管理员核实。', verbose_name='已确认')),
                ('effective_from', models.DateField(verbose_name='生效日期')),
                ('effective_to', models.DateField(blank=True, null=True, verbose_name='失效日期')),
                ('listing', models.CharField(choices=[('blacklist', '拖欠农民工工资失信联合惩戒对象名单'), ('publication', '重大劳动保障违法行为社会公布')], max_length=20, verbose_name='名单')),
                ('condition', models.CharField(choices=[('order_ignored', '经责令限期支付工资，逾期未支付'), ('wage_refusal_amount', '拖欠数额达到拒不支付劳动报酬罪数额标准'), ('incident', '因拖欠工资引发群体性事件、极端事件'), ('blacklisted', '已列入拖欠农民工工资失信联合惩戒对象名单'), ('transferred_police', '涉嫌拒不支付劳动报酬罪移送公安机关'), ('amount_over', '拖欠劳动报酬数额较大')], max_length=30, verbose_name='条件')),
                ('group', models.PositiveSmallIntegerField(default=1, help_text='同一组内的条件满足其一即可；各组都须满足。', verbose_name='条件组')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, help_text='仅“数额较大”条件：拖欠（请求）金额达到该数额。', max_digits=14, null=True, verbose_name='数额(元)')),
            ],
            options={
                'verbose_name': '失信名单与社会公布条件',
                'verbose_name_plural': '失信名单与社会公布条件',
                'ordering': ['listing', 'group', 'condition', '-effective_from'],
                'constraints': [models.UniqueConstraint(fields=('listing', 'condition', 'effective_from'), name='listing_criterion_unique')],
            },
        ),
        migrations.RunPython(triggers, triggers_drop),
        migrations.RunPython(rows_load, parameters_remove),
    ]
