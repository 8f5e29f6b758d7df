"""Demo subsidy applications at every step of the approval flow (run after seed_demo).

    python manage.py seed_demo_subsidies

Applications are entered by township1b through the real submission service and moved
only by the real decisions of the demo users (township1 reviews them: whoever enters an
application decides none of its steps), so amounts, reasons and history are the
ones the system computes. To show the later steps at once, the public notice of two
applications is dated back by its length (demo data only, marked is_demo). People are
fictional; their ID numbers carry valid check digits. Safe to run again: nothing is
created when demo applications exist.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.models import Employer, Township
from demo.base import Demo
from rules.calendar import WorkingCalendar, add_period
from workflows import eligibility, services
from workflows.flows import SubsidyFlow
from workflows.models import SubsidyApplication

NAMES = (
    "王建军 李秀兰 张志强 刘丽萍 杨海军 赵红霞 郭晓东 贾春梅 陈永平 吕海燕 柴俊杰 史玉莲".split()
)


def demo_id(index: int) -> str:
    body = f"142623{1975 + index % 20}{index % 12 + 1:02d}{index % 28 + 1:02d}{index:03d}"
    return body + ric.calc_check_digit(body + "0")


def people(start, count, **fields):
    return [
        eligibility.Person(
            name=NAMES[(start + i) % len(NAMES)],
            id_number=demo_id(start + i),
            **fields,
        )
        for i in range(count)
    ]


def run(demo: Demo) -> None:
    if SubsidyApplication.objects.filter(is_demo=True).exists():
        demo.stdout.write("演示补贴申请已存在，未重复创建。")
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["township1", "township1b", "county", "supervisor", "finance"]
        )
    }
    if len(users) < 5:
        raise CommandError("缺少演示用户，请先运行 seed_demo。")
    with transaction.atomic():
        made = _seed(users)
    demo.stdout.write(f"已创建{len(made)}件演示补贴申请：" + "、".join(a.number for a in made))
    # The numbers and codes an applicant would be given, to try /subsidies/status/:
    # only now, as each was issued (the database keeps only their hashes).
    demo.stdout.write(
        "申请人查询（/subsidies/status/）："
        + "、".join(f"{a.number} 查询码 {a.query_code}" for a in made)
    )


def _seed(users):
    year = timezone.localdate().year - 1
    xincheng = Township.objects.get(code="xincheng")
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def enterprise(name, size):
        employer = Employer.objects.filter(name=name).first()
        if employer is None or not employer.uscc:
            raise CommandError(f"找不到演示用人单位“{name}”，请先运行 seed_demo。")
        return services.Applicant(
            kind="enterprise",
            name=employer.name,
            township=employer.township or xincheng,
            uscc=employer.uscc,
            size_class=employer.size_class or size,
        )

    def submit(policy, applicant, beneficiaries, requested=None):
        data = services.ApplicationData(
            policy_code=policy,
            applicant=applicant,
            period_start=start,
            period_end=end,
            beneficiaries=beneficiaries,
            requested_amount=requested,
        )
        return services.application_submit(data=data, actor=users["township1b"], is_demo=True)

    def approve(application, *names, **payment):
        for name in names:
            task = services_task(application)
            services.task_decide(task_id=task.pk, actor=users[name], decision="approve", **payment)

    hard = {"hire_date": dt.date(year, 3, 1), "contract_months": 24, "hard_to_employ": True}
    made = []

    # 1. waiting for the township: post subsidy, one person hired in March
    post = submit("post", enterprise("襄汾县鑫源商贸有限公司", "small"), people(0, 2, **hard))
    made.append(post)

    # 2. waiting for the county: one-time absorption subsidy
    absorbed = people(2, 3, hire_date=dt.date(year, 2, 15), contract_months=12)
    absorption = submit("absorption", enterprise("襄汾县丰禾面粉有限公司", "small"), absorbed)
    approve(absorption, "township1")
    made.append(absorption)

    # 3. in public notice: social-insurance subsidy for a hard-to-employ person
    insured = people(5, 1, insurance_months=10, insurance_paid=Decimal("8650.40"), **hard)
    insurance = submit("social_insurance", enterprise("襄汾县悦来大酒店有限公司", "small"), insured)
    approve(insurance, "township1", "county")
    made.append(insurance)

    # 4. returned for correction: contract too short
    short = people(6, 1, hire_date=dt.date(year, 5, 1), contract_months=6, hard_to_employ=True)
    returned = submit(
        "post", enterprise("襄汾县顺通物流有限公司", "small"), short + people(7, 1, **hard)
    )
    task = services_task(returned)
    services.task_decide(
        task_id=task.pk,
        actor=users["township1"],
        decision="return",
        note="第1名人员劳动合同不足1年，请补充续签合同后重新提交。",
    )
    made.append(returned)

    # 5. refused at once: a blacklisted employer
    listed = Employer.objects.filter(blacklisted_until__gte=timezone.localdate()).first()
    if listed and listed.uscc:
        refused = submit(
            "post",
            services.Applicant(
                kind="enterprise",
                name=listed.name,
                township=listed.township or xincheng,
                uscc=listed.uscc,
                size_class=listed.size_class or "micro",
            ),
            people(8, 1, **hard),
        )
        made.append(refused)

    # 6. notice over, waiting for the supervisor; 7. approved, waiting for finance
    for index, name in ((9, "襄汾县鑫源商贸有限公司"), (10, "襄汾县丰禾面粉有限公司")):
        application = submit("post", enterprise(name, "small"), people(index, 1, **hard))
        approve(application, "township1", "county")
        _end_notice_now(application)
        made.append(application)
    approve(SubsidyApplication.objects.get(number=made[-1].number), "supervisor")
    return made


def services_task(application):
    task = (
        Task.objects.filter(
            process__subsidyprocess__application=application,
            process__flow_class=SubsidyFlow,
            flow_task_type="HUMAN",
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
        )
        .order_by("-id")
        .first()
    )
    if task is None:
        raise CommandError(f"{application.number} 没有待办任务。")
    return task


def _end_notice_now(application):
    """Date the demo notice back by its length, so that it ends today."""
    application.refresh_from_db()
    days = int(application.policy.parameters.get(key="notice_working_days").value)
    calendar = WorkingCalendar()
    started = timezone.localdate()
    while add_period(started, days, "working", calendar) >= timezone.localdate():
        started -= dt.timedelta(days=1)
    ends = add_period(started, days, "working", calendar)
    SubsidyApplication.objects.filter(pk=application.pk).update(
        notice_started_on=started, notice_ends_on=ends
    )
    Task.objects.filter(
        process__subsidyprocess__application=application, flow_task_type="TIMER"
    ).update(scheduled=timezone.now() - dt.timedelta(minutes=1))
    services.notices_close_due()
