from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourtsConfig(AppConfig):
    name = "creditrepair.courts"
    label = "courts"
    verbose_name = _("法院失信被执行人")
    default_auto_field = "django.db.models.BigAutoField"
