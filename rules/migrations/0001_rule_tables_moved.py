"""The rule tables move to the rules app: in Django's state only.

Each keeps its table (cases_clockrule, notifications_riskruleset, workflows_subsidypolicy
...), so no row moves and this migration runs no SQL; cases 0019, notifications 0012
and workflows 0007 take them out of their apps' state.
"""

import django.db.models.deletion
from django.db import migrations, models

import rules.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cases", "0018_kernel_moved_to_core"),
        ("notifications", "0011_kernel_moved_to_core"),
        ("workflows", "0006_kernel_moved_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="CalendarYear",
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
                            "year",
                            models.PositiveSmallIntegerField(unique=True, verbose_name="年份"),
                        ),
                        (
                            "source",
                            models.CharField(max_length=200, verbose_name="依据(国务院办公厅通知)"),
                        ),
                    ],
                    options={
                        "verbose_name": "官方节假日年度",
                        "verbose_name_plural": "官方节假日年度",
                        "db_table": "cases_calendaryear",
                        "ordering": ["-year"],
                    },
                ),
                migrations.CreateModel(
                    name="RiskKeyword",
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
                        ("word", models.CharField(max_length=30, unique=True, verbose_name="词语")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("distress", "极端言辞（加分并人工研判）"),
                                    ("threat", "以自伤或极端行为相威胁（直接红色并人工研判）"),
                                    ("petition", "已到信访部门（直接红色）"),
                                ],
                                max_length=10,
                                verbose_name="类别",
                            ),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="启用")),
                    ],
                    options={
                        "verbose_name": "风险关键词",
                        "verbose_name_plural": "风险关键词",
                        "db_table": "notifications_riskkeyword",
                        "ordering": ["kind", "word"],
                    },
                ),
                migrations.CreateModel(
                    name="RuleTablesVersion",
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
                        ("generation", models.BigIntegerField(default=rules.models.new_generation)),
                    ],
                    options={
                        "verbose_name": "规则表版本",
                        "verbose_name_plural": "规则表版本",
                        "db_table": "cases_ruletablesversion",
                    },
                ),
                migrations.CreateModel(
                    name="SpringFestival",
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
                            "year",
                            models.PositiveSmallIntegerField(unique=True, verbose_name="公历年份"),
                        ),
                        ("date", models.DateField(verbose_name="春节（正月初一）")),
                    ],
                    options={
                        "verbose_name": "春节日期",
                        "verbose_name_plural": "春节日期",
                        "db_table": "notifications_springfestival",
                        "ordering": ["year"],
                    },
                ),
                migrations.CreateModel(
                    name="CalendarDay",
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
                        ("date", models.DateField(unique=True, verbose_name="日期")),
                        (
                            "is_working_day",
                            models.BooleanField(
                                help_text="勾选：调休上班日；不勾选：放假。", verbose_name="上班"
                            ),
                        ),
                        ("name", models.CharField(blank=True, max_length=50, verbose_name="说明")),
                        (
                            "calendar_year",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="days",
                                to="rules.calendaryear",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "节假日/调休日",
                        "verbose_name_plural": "节假日/调休日",
                        "db_table": "cases_calendarday",
                        "ordering": ["date"],
                    },
                ),
                migrations.CreateModel(
                    name="ClockRule",
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
                        ("effective_from", models.DateField(verbose_name="生效日期")),
                        (
                            "effective_to",
                            models.DateField(blank=True, null=True, verbose_name="失效日期"),
                        ),
                        ("stage", models.CharField(max_length=40, verbose_name="环节")),
                        ("label", models.CharField(max_length=100, verbose_name="名称")),
                        ("days", models.PositiveSmallIntegerField(verbose_name="期限(日)")),
                        (
                            "day_kind",
                            models.CharField(
                                choices=[("working", "工作日"), ("calendar", "自然日")],
                                max_length=10,
                                verbose_name="计日方式",
                            ),
                        ),
                        (
                            "approver_role",
                            models.CharField(
                                blank=True,
                                help_text="仅延长类规则：谁可以批准延长。",
                                max_length=30,
                                verbose_name="延长审批角色",
                            ),
                        ),
                        ("citation", models.CharField(max_length=200, verbose_name="法律依据")),
                    ],
                    options={
                        "verbose_name": "法定时限规则",
                        "verbose_name_plural": "法定时限规则",
                        "db_table": "cases_clockrule",
                        "ordering": ["stage", "-effective_from"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("stage", "effective_from"), name="clock_rule_unique"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="LegalParameter",
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
                        ("citation", models.CharField(max_length=200, verbose_name="依据")),
                        (
                            "confirmed",
                            models.BooleanField(
                                default=True,
                                help_text="未确认的为默认值 [CONFIG]，需由管理员核实。",
                                verbose_name="已确认",
                            ),
                        ),
                        ("effective_from", models.DateField(verbose_name="生效日期")),
                        ("code", models.CharField(max_length=60, verbose_name="代码")),
                        ("label", models.CharField(max_length=120, verbose_name="名称")),
                        (
                            "value",
                            models.DecimalField(
                                decimal_places=2, max_digits=14, verbose_name="数值"
                            ),
                        ),
                        ("unit", models.CharField(blank=True, max_length=20, verbose_name="单位")),
                    ],
                    options={
                        "verbose_name": "法定参数",
                        "verbose_name_plural": "法定参数",
                        "db_table": "cases_legalparameter",
                        "ordering": ["code", "-effective_from"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("code", "effective_from"), name="parameter_unique"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RiskRuleSet",
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
                            "version",
                            models.PositiveIntegerField(unique=True, verbose_name="版本号"),
                        ),
                        (
                            "note",
                            models.CharField(blank=True, max_length=200, verbose_name="修订说明"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="创建时间"),
                        ),
                        (
                            "created_by",
                            models.CharField(blank=True, max_length=150, verbose_name="创建人"),
                        ),
                        (
                            "workers_tier1_min",
                            models.PositiveIntegerField(default=10, verbose_name="涉及人数档1起点"),
                        ),
                        (
                            "workers_tier1_points",
                            models.PositiveSmallIntegerField(
                                default=15, verbose_name="涉及人数档1分值"
                            ),
                        ),
                        (
                            "workers_tier2_min",
                            models.PositiveIntegerField(default=30, verbose_name="涉及人数档2起点"),
                        ),
                        (
                            "workers_tier2_points",
                            models.PositiveSmallIntegerField(
                                default=25, verbose_name="涉及人数档2分值"
                            ),
                        ),
                        (
                            "workers_tier3_min",
                            models.PositiveIntegerField(
                                default=100, verbose_name="涉及人数档3起点"
                            ),
                        ),
                        (
                            "workers_tier3_points",
                            models.PositiveSmallIntegerField(
                                default=35, verbose_name="涉及人数档3分值"
                            ),
                        ),
                        (
                            "amount_threshold_points",
                            models.PositiveSmallIntegerField(
                                default=10, verbose_name="金额达到拒不支付罪(276-1)标准"
                            ),
                        ),
                        (
                            "project_points",
                            models.PositiveSmallIntegerField(
                                default=10, verbose_name="建筑施工、政府投资/国企项目或关停钢焦企业"
                            ),
                        ),
                        (
                            "pressure_investigation_days",
                            models.PositiveSmallIntegerField(
                                default=40, verbose_name="期限压力：监察调查已用工作日超过"
                            ),
                        ),
                        (
                            "pressure_award_days",
                            models.PositiveSmallIntegerField(
                                default=35, verbose_name="期限压力：仲裁审理已用日数超过"
                            ),
                        ),
                        (
                            "pressure_points",
                            models.PositiveSmallIntegerField(
                                default=5, verbose_name="期限压力分值"
                            ),
                        ),
                        (
                            "overdue_points",
                            models.PositiveSmallIntegerField(default=10, verbose_name="已超期分值"),
                        ),
                        (
                            "season_start_month",
                            models.PositiveSmallIntegerField(
                                default=11, verbose_name="节前高峰期起始月"
                            ),
                        ),
                        (
                            "season_start_day",
                            models.PositiveSmallIntegerField(
                                default=15, verbose_name="节前高峰期起始日"
                            ),
                        ),
                        (
                            "season_points",
                            models.PositiveSmallIntegerField(
                                default=10, verbose_name="节前高峰期（起始日至元宵节）分值"
                            ),
                        ),
                        (
                            "repeat_min_complaints",
                            models.PositiveSmallIntegerField(
                                default=2, verbose_name="重复投诉：同一单位投诉数达到"
                            ),
                        ),
                        (
                            "repeat_window_days",
                            models.PositiveSmallIntegerField(
                                default=90, verbose_name="重复投诉：统计天数"
                            ),
                        ),
                        (
                            "repeat_points",
                            models.PositiveSmallIntegerField(
                                default=10, verbose_name="重复投诉分值"
                            ),
                        ),
                        (
                            "history_points",
                            models.PositiveSmallIntegerField(
                                default=10,
                                verbose_name="单位不良记录（黑名单或拒不履行限期支付）分值",
                            ),
                        ),
                        (
                            "distress_points",
                            models.PositiveSmallIntegerField(
                                default=15, verbose_name="极端言辞分值（并提交人工研判）"
                            ),
                        ),
                        (
                            "yellow_from",
                            models.PositiveSmallIntegerField(default=30, verbose_name="黄色起点"),
                        ),
                        (
                            "orange_from",
                            models.PositiveSmallIntegerField(default=50, verbose_name="橙色起点"),
                        ),
                        (
                            "red_from",
                            models.PositiveSmallIntegerField(default=70, verbose_name="红色起点"),
                        ),
                        (
                            "deadline_warn_days",
                            models.PositiveSmallIntegerField(
                                default=3, verbose_name="期限预警：提前天数(第一次)"
                            ),
                        ),
                        (
                            "deadline_final_warn_days",
                            models.PositiveSmallIntegerField(
                                default=1, verbose_name="期限预警：提前天数(第二次)"
                            ),
                        ),
                        (
                            "escalate_after_minutes",
                            models.PositiveSmallIntegerField(
                                default=60, verbose_name="红色预警未确认上报主管领导(分钟)"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "风险评分规则",
                        "verbose_name_plural": "风险评分规则",
                        "db_table": "notifications_riskruleset",
                        "ordering": ["-version"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("yellow_from__lt", models.F("orange_from")),
                                    ("orange_from__lt", models.F("red_from")),
                                ),
                                name="risk_rules_levels_ascending",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SubsidyPolicy",
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
                            "code",
                            models.CharField(
                                choices=[
                                    ("post", "岗位补贴"),
                                    ("absorption", "一次性吸纳就业补贴"),
                                    ("social_insurance", "社会保险补贴"),
                                    ("job_placement", "职业介绍补贴"),
                                    ("startup", "一次性创业补贴"),
                                    ("rent", "创业场地租赁补贴"),
                                    ("startup_loan", "创业担保贷款"),
                                ],
                                max_length=30,
                                verbose_name="政策代码",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="名称")),
                        (
                            "applicant_kinds",
                            models.JSONField(
                                default=list,
                                help_text='例如 ["enterprise"]；取值 enterprise/agency/individual',
                                verbose_name="可申请主体",
                            ),
                        ),
                        (
                            "applicant_sizes",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text='企业、机构申请时的规模要求，例如 ["micro", "small"]；留空为不限。',
                                verbose_name="企业规模限制",
                            ),
                        ),
                        ("rule_text", models.TextField(verbose_name="政策条文摘要")),
                        ("citation", models.CharField(max_length=300, verbose_name="依据")),
                        ("effective_from", models.DateField(verbose_name="生效日期")),
                        (
                            "effective_to",
                            models.DateField(
                                blank=True,
                                help_text="含当日；之后的补贴期间不予补贴。",
                                null=True,
                                verbose_name="终止日期",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "补贴政策",
                        "verbose_name_plural": "补贴政策",
                        "db_table": "workflows_subsidypolicy",
                        "ordering": ["code", "-effective_from"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("code", "effective_from"), name="policy_version_unique"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PolicyParameter",
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
                            "key",
                            models.CharField(
                                help_text="程序按代码读取；职业介绍补贴的去向标准以 rate: 开头，如 rate:in_county。",
                                max_length=60,
                                verbose_name="参数代码",
                            ),
                        ),
                        ("label", models.CharField(max_length=120, verbose_name="名称")),
                        (
                            "value",
                            models.DecimalField(
                                decimal_places=2, max_digits=14, verbose_name="数值"
                            ),
                        ),
                        ("unit", models.CharField(blank=True, max_length=20, verbose_name="单位")),
                        (
                            "confirmed",
                            models.BooleanField(
                                default=True,
                                help_text="未确认的为默认值 [CONFIG]，需由管理员核实。",
                                verbose_name="已确认",
                            ),
                        ),
                        (
                            "note",
                            models.CharField(blank=True, max_length=300, verbose_name="依据/说明"),
                        ),
                        (
                            "policy",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="parameters",
                                to="rules.subsidypolicy",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "补贴政策参数",
                        "verbose_name_plural": "补贴政策参数",
                        "db_table": "workflows_policyparameter",
                        "ordering": ["policy", "key"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("policy", "key"), name="policy_parameter_unique"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
