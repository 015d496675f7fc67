"""Forms of the court's back-office pages (Chinese labels, gettext)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AppliesTo, DeletionGround, ListingGround, Measure


class DateInput(forms.DateInput):
    input_type = "date"


class ListingForm(forms.Form):
    subject_type = forms.ChoiceField(label=_("被执行人类型"), choices=[
        ("legal_person", _("法人")), ("individual_business", _("个体工商户")), ("other_org", _("其他组织")),
        ("natural_person", _("自然人"))])
    subject_name = forms.CharField(label=_("被执行人名称/姓名"), max_length=200)
    subject_code = forms.CharField(label=_("统一社会信用代码/身份证号码"), max_length=18)
    legal_representative = forms.CharField(label=_("法定代表人（单位）"), max_length=100, required=False)
    court_case_no = forms.CharField(label=_("执行案号"), max_length=64, help_text=_("如（2025）川18执123号"))
    decision_no = forms.CharField(label=_("失信决定书文号"), max_length=100)
    decision_date = forms.DateField(label=_("决定日期"), widget=DateInput)
    executing_basis = forms.CharField(label=_("执行依据"), max_length=200)
    obligation = forms.CharField(label=_("生效法律文书确定的义务"), widget=forms.Textarea(attrs={"rows": 2}))
    ground = forms.ChoiceField(label=_("纳入失信名单情形"), choices=ListingGround.choices)
    summary = forms.CharField(label=_("失信情形说明（公开）"), widget=forms.Textarea(attrs={"rows": 2}))
    grace_months = forms.IntegerField(label=_("宽限期（月，0 为不设）"), min_value=0, initial=0)
    extension_months = forms.IntegerField(label=_("延长期限（月，0 为不延长）"), min_value=0, initial=0)
    creditor_name = forms.CharField(label=_("申请执行人"), max_length=200, required=False)
    creditor_email = forms.EmailField(label=_("申请执行人电子邮箱"), required=False)
    at_creditor_request = forms.BooleanField(label=_("依申请执行人申请纳入"), required=False)
    measures = forms.MultipleChoiceField(label=_("限制消费措施"), choices=Measure.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def restrictions(self):
        data = self.cleaned_data
        rows = [{"measure": m} for m in data["measures"]]
        name = (data.get("legal_representative") or "").strip()
        if name and data["subject_type"] != "natural_person":
            rows += [{"measure": m, "applies_to": AppliesTo.LEGAL_REPRESENTATIVE, "person_name": name}
                     for m in data["measures"]]
        return rows


class SuspensionForm(forms.Form):
    agreement_no = forms.CharField(label=_("和解协议编号"), max_length=64)
    total_amount = forms.DecimalField(label=_("和解总金额（元）"), max_digits=14, decimal_places=2)
    instalments = forms.CharField(
        label=_("分期安排"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一期：履行期限 金额，例如 2026-12-31 50000.00"),
    )
    creditor_consent = forms.BooleanField(label=_("申请执行人已书面同意暂停信用惩戒"), required=True)

    def clean_instalments(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["instalments"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                day, amount = line.split()
                rows.append({"due_date": dt.date.fromisoformat(day), "amount": Decimal(amount)})
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(_("第 %(n)s 行格式不对，应为“履行期限 金额”。") % {"n": n}) from None
        if not rows:
            raise forms.ValidationError(_("至少应有一期。"))
        return rows


class PaymentForm(forms.Form):
    instalment = forms.TypedChoiceField(label=_("期次"), coerce=int)
    paid_on = forms.DateField(label=_("付款日期"), widget=DateInput)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=14, decimal_places=2)

    def __init__(self, *args, instalments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instalment"].choices = [
            (i.pk, _("第 %(n)s 期（%(due)s，%(amount)s 元）") % {"n": i.number, "due": i.due_date, "amount": i.amount})
            for i in instalments if not i.is_paid
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class GrantForm(forms.Form):
    new_due_date = forms.DateField(label=_("新的履行期限"), widget=DateInput)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class DeletionForm(forms.Form):
    ground = forms.ChoiceField(label=_("删除事由"), choices=DeletionGround.choices)
    reason = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
