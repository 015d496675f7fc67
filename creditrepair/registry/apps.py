from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "creditrepair.registry"
    label = "registry"
    verbose_name = _("主体与单位")
