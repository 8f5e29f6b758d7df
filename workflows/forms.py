"""Browser forms of the subsidy pages. They only collect input: the API's serializer
validates it (one set of rules for both) and the services do the work."""

from django import forms
from django.forms import formset_factory

from core import roles
from core.models import Township
from rules.models import ApplicantKind, FundingSource, PolicyCode
from workflows import statistics
from workflows.models import Destination, SizeClass
from workflows.steps import SubsidyState

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class ApplicationForm(forms.Form):
    policy = forms.ChoiceField(label="补贴政策", choices=PolicyCode.choices)
    applicant_kind = forms.ChoiceField(label="申请主体类型", choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label="申请人/单位名称", max_length=200)
    uscc = forms.CharField(label="统一社会信用代码", max_length=30, required=False)
    size_class = forms.ChoiceField(
        label="企业规模", choices=[("", "—")] + SizeClass.choices, required=False
    )
    id_number = forms.CharField(label="申请人身份证号（个人申请）", max_length=30, required=False)
    phone = forms.RegexField(
        label="申请人手机号（接收办理进度短信，可不填）", regex=r"^1\d{10}$", required=False
    )
    township = forms.ModelChoiceField(
        label="所在乡镇", queryset=Township.objects.none(), to_field_name="code"
    )
    period_start = forms.DateField(label="补贴期间起", widget=DATE)
    period_end = forms.DateField(label="补贴期间止", widget=DATE)
    requested_amount = forms.DecimalField(
        label="申请金额（贷款、租金，元）", max_digits=12, decimal_places=2, required=False
    )
    note = forms.CharField(
        label="补正说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, correcting=False, **kwargs):
        super().__init__(*args, **kwargs)
        townships = Township.objects.all()
        if user is not None and not roles.is_county_level(user):
            townships = townships.filter(id__in=roles.township_ids(user))
        self.fields["township"].queryset = townships
        if len(townships) == 1:
            self.fields["township"].initial = townships[0].code
        if not correcting:
            del self.fields["note"]

    def payload(self, beneficiaries) -> dict:
        data = self.cleaned_data
        return {
            "policy": data["policy"],
            "applicant": {
                "kind": data["applicant_kind"],
                "name": data["applicant_name"],
                "uscc": data["uscc"],
                "size_class": data["size_class"],
                "township": data["township"].code,
                "id_number": data["id_number"],
                "phone": data.get("phone", ""),
            },
            "period_start": data["period_start"].isoformat(),
            "period_end": data["period_end"].isoformat(),
            "requested_amount": (
                str(data["requested_amount"]) if data["requested_amount"] is not None else None
            ),
            "beneficiaries": beneficiaries,
            "note": data.get("note", ""),
        }


class BeneficiaryForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=30)
    hire_date = forms.DateField(label="入职/创业日期", widget=DATE, required=False)
    contract_months = forms.IntegerField(label="合同期限(月)", min_value=0, required=False)
    hard_to_employ = forms.BooleanField(label="就业困难人员", required=False)
    graduation_year = forms.IntegerField(label="毕业年份", required=False, min_value=1950)
    insurance_months = forms.IntegerField(label="缴社保月数", min_value=0, required=False)
    insurance_paid = forms.DecimalField(
        label="单位实缴社保费(元)", max_digits=12, decimal_places=2, min_value=0, required=False
    )
    destination = forms.ChoiceField(
        label="就业去向（职业介绍）", choices=[("", "—")] + Destination.choices, required=False
    )

    def payload(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "id_number": data["id_number"],
            "hire_date": data["hire_date"].isoformat() if data["hire_date"] else None,
            "contract_months": data["contract_months"] or 0,
            "hard_to_employ": data["hard_to_employ"],
            "graduation_year": data["graduation_year"],
            "insurance_months": data["insurance_months"] or 0,
            "insurance_paid": str(data["insurance_paid"] or 0),
            "destination": data["destination"],
        }


BeneficiaryFormSet = formset_factory(BeneficiaryForm, extra=1)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "同意"), ("return", "退回补正"), ("reject", "不予补贴")]
    )
    note = forms.CharField(
        label="审核意见（退回、不予补贴时必填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PaymentForm(forms.Form):
    paid_amount = forms.DecimalField(label="实际拨付金额（元）", max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label="拨付日期", widget=DATE)
    payment_reference = forms.CharField(label="拨付凭证号", max_length=60)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


def initial_from(application) -> tuple[dict, list[dict]]:
    """The entry form prefilled from a stored application (for its correction)."""
    head = {
        "policy": application.policy.code,
        "applicant_kind": application.applicant_kind,
        "applicant_name": application.applicant_name,
        "uscc": application.applicant_uscc,
        "size_class": application.size_class,
        "id_number": application.applicant_id_number,
        "phone": application.applicant_phone,
        "township": application.township.code,
        "period_start": application.period_start,
        "period_end": application.period_end,
        "requested_amount": application.requested_amount,
    }
    rows = [
        {
            "name": b.name,
            "id_number": b.id_number,
            "hire_date": b.hire_date,
            "contract_months": b.contract_months,
            "hard_to_employ": b.hard_to_employ,
            "graduation_year": b.graduation_year,
            "insurance_months": b.insurance_months,
            "insurance_paid": b.insurance_paid,
            "destination": b.destination,
        }
        for b in application.beneficiaries.all()
    ]
    return head, rows


FIGURE_NEEDS_PERIOD = "按统计指标筛选须同时填写统计期间起止日期。"


class ApplicationFilterForm(forms.Form):
    """The application list's search and filters (the list and its Excel export).

    A value that is not one of the choices or not a date is dropped with a message, and
    the list shows what the valid filters select: a bookmarked list never becomes a 500.
    """

    q = forms.CharField(label="申请人或申请编号", max_length=100, required=False)
    policy = forms.ChoiceField(
        label="补贴政策", choices=[("", "全部")] + PolicyCode.choices, required=False
    )
    state = forms.ChoiceField(label="状态", choices=[], required=False)
    township = forms.ChoiceField(label="乡镇", choices=[], required=False)
    date_from = forms.DateField(label="提交日期起", required=False, widget=DATE)
    date_to = forms.DateField(label="提交日期止", required=False, widget=DATE)
    funding_source = forms.ChoiceField(
        label="资金来源", choices=[("", "全部")] + FundingSource.choices, required=False
    )
    # A figure of the statistics (workflows.statistics.FIGURES) and its period: the list
    # then shows exactly the applications that figure counts (the report links here).
    figure = forms.ChoiceField(
        label="统计指标",
        choices=[("", "不限")] + list(statistics.FIGURES.items()),
        required=False,
    )
    period_from = forms.DateField(label="统计期间起", required=False, widget=DATE)
    period_to = forms.DateField(label="统计期间止", required=False, widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "全部")] + SubsidyState.choices
        townships = Township.objects.order_by("id")
        if user is not None and not roles.is_county_level(user):
            townships = townships.filter(id__in=roles.township_ids(user))
        self.fields["township"].choices = [("", "全部")] + [(t.code, t.name) for t in townships]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "提交日期止不能早于提交日期起。")
        if data.get("figure"):
            start, end = data.get("period_from"), data.get("period_to")
            if not (start and end):
                self.add_error("figure", FIGURE_NEEDS_PERIOD)
            elif start > end:
                self.add_error("period_to", "统计期间止不能早于统计期间起。")
        return data

    def filters(self) -> dict:
        """The valid filters only (cleaned_data without the fields that had errors)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if value not in ("", None) and key not in self.errors
        }
