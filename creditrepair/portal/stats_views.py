"""The statistics page and its CSV export: the operator sees every department, a department or court its own."""

import csv
import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creditrepair.accounts.models import Role
from creditrepair.registry.models import Department, DepartmentKind

from .statistics import Period, csv_rows, statistics_for

MAX_SPAN_DAYS = 366 * 5


class StatisticsFilterForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("起始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("截止日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.ModelChoiceField(
        label=gettext_lazy("单位"), required=False, empty_label=gettext_lazy("全部单位"),
        queryset=Department.objects.exclude(kind=DepartmentKind.OPERATOR).order_by("kind", "name"),
    )

    def __init__(self, *args, operator: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not operator:
            del self.fields["department"]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
            if (end - start).days > MAX_SPAN_DAYS:
                raise forms.ValidationError(_("统计期间不能超过五年。"))
        return data


def _is_operator(user) -> bool:
    return user.role == Role.OPERATOR or (user.is_superuser and not user.role)


def _figures(request):
    """(form, figures or None): the caller's scope — its own department unless it is the operator."""
    user = request.user
    operator = _is_operator(user)
    if not operator and (user.role not in (Role.DEPARTMENT, Role.COURT) or user.department_id is None):
        raise PermissionDenied
    form = StatisticsFilterForm(request.GET or None, operator=operator)
    default = Period.current_year()
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else {}
    period = Period(data.get("date_from") or default.start, data.get("date_to") or default.end)
    if period.start > period.end:
        period = Period(period.start, period.start)
    department = data.get("department") if operator else user.department
    if not request.GET:
        form = StatisticsFilterForm(initial={"date_from": period.start, "date_to": period.end}, operator=operator)
    return form, statistics_for(period, department)


@login_required
def statistics_page(request):
    form, figures = _figures(request)
    context = {"form": form, "figures": figures, "query": request.GET.urlencode()}
    if figures is not None:
        context["rows"] = csv_rows(figures)[2:]  # period and scope are in the heading
        context["chart_labels"] = {
            "filed": _("提交"), "decided": _("决定"), "percent": _("百分比"), "objections": _("异议数"),
            "on_time_rate": _("按期办结率"), "repair_rate": _("修复率"), "coverage": _("培训覆盖率"),
            "commitment_rate": _("承诺率"),
        }
    return render(request, "portal/statistics.html", context, status=200 if figures is not None else 400)


@login_required
def statistics_csv(request):
    """The page's figures as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese)."""
    form, figures = _figures(request)
    if figures is None:
        return HttpResponse(_("筛选条件有误。"), status=400, content_type="text/plain; charset=utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("指标"), _("数值")])
    writer.writerows(csv_rows(figures))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"statistics-{figures['period']['start']}-{figures['period']['end']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
