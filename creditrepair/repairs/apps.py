from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    name = "creditrepair.repairs"
    label = "repairs"
    verbose_name = _("信用修复")
    default_auto_field = "django.db.models.BigAutoField"
