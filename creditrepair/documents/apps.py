from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "creditrepair.documents"
    label = "documents"
    verbose_name = _("电子文书")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from .checks import check_cjk_fonts, check_weasyprint

        checks.register(check_weasyprint, "documents")
        checks.register(check_cjk_fonts, "documents")
