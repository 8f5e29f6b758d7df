"""The notice texts as first shipped (editable afterwards in the admin). Copied here,
not imported, so this migration keeps working whatever the code becomes."""

from django.db import migrations

P = "【襄汾县劳动维权】"
TEMPLATES = [
    ("accepted", "worker", P + "{name}：您的案件{case_number}已于{accepted_on}受理。受理通知书：{link} （打开后核对身份证号后4位）"),
    ("rejected", "worker", P + "{name}：您的投诉{case_number}不予受理，理由：{reason}。不予受理通知书：{link}"),
    ("documents_requested", "worker", P + "{name}：您的案件{case_number}需要补正材料：{note}。补正通知：{link}"),
    ("order_to_pay", "worker", P + "{name}：案件{case_number}已责令{employer_name}于{pay_by}前支付拖欠的工资。"),
    ("order_to_pay", "employer", P + "{name}：{employer_name}须于{pay_by}前支付拖欠工资{amount}元（案件{case_number}）。责令改正指令书：{link}"),
    ("hearing_notice", "worker", P + "{name}：案件{case_number}定于{hearing_date} {hearing_time}在{hearing_venue}开庭。{hearing_link}开庭通知书：{link} 无正当理由不到庭的，按撤回仲裁申请处理。"),
    ("hearing_notice", "employer", P + "{name}：{employer_name}被申请仲裁案件{case_number}定于{hearing_date} {hearing_time}在{hearing_venue}开庭。{hearing_link}开庭通知书：{link} 无正当理由不到庭的，可以缺席裁决。"),
    ("hearing_postponed", "worker", P + "{name}：案件{case_number}原定{postponed_from}的开庭改期至{hearing_date} {hearing_time}，地点{hearing_venue}。{hearing_link}开庭通知书：{link}"),
    ("hearing_postponed", "employer", P + "{name}：案件{case_number}原定{postponed_from}的开庭改期至{hearing_date} {hearing_time}，地点{hearing_venue}。{hearing_link}开庭通知书：{link}"),
    ("hearing_reminder", "worker", P + "{name}：提醒您，案件{case_number}明天（{hearing_date}）{hearing_time}在{hearing_venue}开庭，请准时到庭。{hearing_link}"),
    ("hearing_reminder", "employer", P + "{name}：提醒您，案件{case_number}明天（{hearing_date}）{hearing_time}在{hearing_venue}开庭，请准时到庭。{hearing_link}"),
    ("mediation_session", "worker", P + "{name}：您的案件{case_number}已进入调解，调解员{mediator}将与您联系调解时间。"),
    ("mediation_agreement", "worker", P + "{name}：案件{case_number}已达成调解协议（{agreed_amount}元），请打开链接阅读并签名：{link}"),
    ("mediation_agreement", "employer", P + "{name}：案件{case_number}已达成调解协议（{agreed_amount}元），请打开链接阅读并签名：{link}"),
    ("award", "worker", P + "{name}：案件{case_number}已于{awarded_on}作出裁决。裁决书：{link}"),
    ("award", "employer", P + "{name}：{employer_name}被申请仲裁案件{case_number}已于{awarded_on}作出裁决。裁决书：{link}"),
    ("payment_recorded", "worker", P + "{name}：案件{case_number}已登记支付{amount}元，尚欠{outstanding}元。"),
    ("case_closed", "worker", P + "{name}：您的案件{case_number}已结案。如有疑问请拨打12333。"),
    ("subsidy_returned", "applicant", P + "{name}：您的补贴申请{application}被退回补正，理由：{note}。"),
    ("subsidy_approved", "applicant", P + "{name}：您的补贴申请{application}已审批通过，核定金额{amount}元。"),
    ("subsidy_in_notice", "applicant", P + "{name}：您的补贴申请{application}正在公示，公示至{notice_ends_on}止。"),
    ("subsidy_paid", "applicant", P + "{name}：您的补贴申请{application}已拨付{amount}元。"),
]


def seed(apps, schema_editor):
    NoticeTemplate = apps.get_model("notifications", "NoticeTemplate")
    for event, recipient, text in TEMPLATES:
        NoticeTemplate.objects.get_or_create(event=event, recipient=recipient, defaults={"text": text})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0014_notices_and_service")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
