from django.db import migrations, models

# Written out here, not imported: a migration must not change when live code does.
# The seed funding source of each policy, by its nature (docs/statistics.md).
FUNDING = {
    "post": "employment_fund",
    "absorption": "unemployment_insurance",
    "social_insurance": "employment_fund",
    "job_placement": "employment_fund",
    "startup": "employment_fund",
    "rent": "local_budget",
    "startup_loan": "loan_guarantee",
}


def seed(apps, schema_editor):
    # Every version of a policy (effective-dated rows stay as they are) gets its fund.
    SubsidyPolicy = apps.get_model("rules", "SubsidyPolicy")
    for code, source in FUNDING.items():
        SubsidyPolicy.objects.filter(code=code).update(funding_source=source)


class Migration(migrations.Migration):
    dependencies = [
        ("rules", "0002_effective_dated_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="subsidypolicy",
            name="funding_source",
            field=models.CharField(
                choices=[
                    ("employment_fund", "就业补助资金"),
                    ("unemployment_insurance", "失业保险基金"),
                    ("local_budget", "地方财政"),
                    ("loan_guarantee", "创业担保贷款担保基金及贴息资金"),
                ],
                default="employment_fund",
                help_text="补贴从哪项资金列支；统计按资金来源汇总。",
                max_length=30,
                verbose_name="资金来源",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
