from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("导入文件"),
        help_text=_("CSV（UTF-8 或 GB18030 编码）或 Excel（.xlsx）文件，按模板填写。"),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }),
    )
