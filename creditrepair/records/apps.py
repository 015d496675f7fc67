from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "creditrepair.records"
    label = "records"
    verbose_name = _("失信记录与公示")
