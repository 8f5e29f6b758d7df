"""Forms of the ledger pages; the API validates the same inputs with its serializers."""

from django import forms
from django.utils import timezone

from core.models import Employer, Township, Village
from employment.models import (
    Category,
    ClosedPlant,
    JobPosting,
    Mode,
    Referral,
    Status,
    Target,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EntryForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=18)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    category = forms.ChoiceField(label="人员类别", choices=Category.choices)
    village = forms.ModelChoiceField(label="村（社区）", queryset=Village.objects.none())
    plant = forms.ModelChoiceField(
        label="原关停企业", queryset=ClosedPlant.objects.all(), required=False
    )
    wants_work = forms.BooleanField(label="有就业意愿", required=False, initial=True)
    training_needs = forms.CharField(label="培训需求", max_length=200, required=False)
    entered_on = forms.DateField(label="登记日期", required=False, widget=DateInput())

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"].queryset = villages


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="就业状态", choices=Status.choices)
    mode = forms.ChoiceField(label="就业方式", choices=[("", "—")] + Mode.choices, required=False)
    employer_name = forms.CharField(label="就业单位", max_length=200, required=False)
    employed_on = forms.DateField(label="就业日期", required=False, widget=DateInput())
    note = forms.CharField(label="说明", max_length=500, required=False)


class ServiceDoneForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label="完成日期", required=False, widget=DateInput())
    note = forms.CharField(label="说明", max_length=500, required=False)


class ReferralForm(forms.Form):
    posting = forms.ModelChoiceField(label="岗位", queryset=JobPosting.objects.none())
    send_sms = forms.BooleanField(label="短信通知本人", required=False, initial=True)
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, postings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if postings is not None:
            self.fields["posting"].queryset = postings


class OutcomeForm(forms.Form):
    referral = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label="结果", choices=[c for c in Referral.Outcome.choices if c[0] != "pending"]
    )
    on = forms.DateField(label="日期", required=False, widget=DateInput())


class PlantForm(forms.Form):
    name = forms.CharField(label="企业名称", max_length=200)
    uscc = forms.CharField(label="统一社会信用代码", max_length=18)
    township = forms.ModelChoiceField(label="所在乡镇", queryset=Township.objects.all())
    closed_on = forms.DateField(label="关停日期", widget=DateInput())
    sector = forms.ChoiceField(
        label="行业", choices=Employer.Sector.choices, initial=Employer.Sector.STEEL_COKE
    )
    laid_off = forms.IntegerField(label="下岗职工人数", min_value=0, initial=0)
    severance_owed = forms.DecimalField(
        label="尚欠经济补偿（元）", min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    wages_owed = forms.DecimalField(
        label="尚欠工资（元）", min_value=0, max_digits=14, decimal_places=2, initial=0
    )

    def __init__(self, *args, townships=None, **kwargs):
        super().__init__(*args, **kwargs)
        if townships is not None:
            self.fields["township"].queryset = townships


class RosterForm(forms.Form):
    file = forms.FileField(label="花名册（.xlsx）")


class PostingForm(forms.ModelForm):
    employer = forms.ModelChoiceField(
        label="用人单位", queryset=Employer.objects.filter(closed_under_policy=False)
    )

    class Meta:
        model = JobPosting
        fields = [
            "employer",
            "title",
            "pay",
            "place",
            "township",
            "openings",
            "prefers_closed_plant",
            "posted_on",
        ]
        widgets = {"posted_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posted_on"].initial = timezone.localdate()


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["year", "reemployment_rate", "urban_new", "rural_transfer", "note"]
