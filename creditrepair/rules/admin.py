"""Rule sets are shown, never edited here: the TOML files are the source (``manage.py load_rules``)."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from creditrepair.core.admin import ReadOnlyAdmin

from .models import RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "jurisdiction", "effective_from", "effective_to", "source_file", "loaded_at")
    list_filter = ("jurisdiction",)
    search_fields = ("code", "name", "basis")
    ordering = ("jurisdiction", "-effective_from")
    fields = (
        "code",
        "name",
        "jurisdiction",
        "effective_from",
        "effective_to",
        "basis",
        "source_file",
        "sha256",
        "loaded_at",
        "document",
    )
    readonly_fields = fields

    @admin.display(description=_("规则内容"))
    def document(self, obj):
        return format_html(
            '<pre style="white-space: pre-wrap">{}</pre>', json.dumps(obj.data, ensure_ascii=False, indent=2)
        )
