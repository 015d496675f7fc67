"""Admin bases the areas share: their rows change only through the services (history, audit, notices together),
so the admin shows them and never adds, edits or deletes them itself."""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class _NoAddOrDeleteAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(_NoAddOrDeleteAdmin):
    """Shown only: no add, change or delete."""

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyFieldsAdmin(_NoAddOrDeleteAdmin):
    """No add or delete; the change form shows every field read-only."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class ReadOnlyInline(admin.TabularInline):
    """Related rows listed under their parent, read-only: no extra blank rows, no add, change or delete."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OutgoingMailAdmin(ReadOnlyAdmin):
    """An outbox of e-mails (``core.models.OutgoingMail``): the operator filters the ones given up after their
    last attempt ("发送失败时间" not empty) and those not sent yet."""

    MAIL_COLUMNS = ["created_at", "sent_at", "attempts", "next_attempt_at", "failed_at", "last_error"]
    list_filter = [("failed_at", admin.EmptyFieldListFilter), ("sent_at", admin.EmptyFieldListFilter)]


FILE_DISPLAY = "stored_file"


def _file_shown(names):
    """``names`` with the ``file`` field replaced by its display, once."""
    shown = []
    for name in names:
        name = FILE_DISPLAY if name == "file" else name
        if name not in shown:
            shown.append(name)
    return shown


class PrivateFileAdmin(admin.ModelAdmin):
    """For a model whose ``file`` is kept outside the web root: it has no URL (``MEDIA_URL`` is unset), so Django's
    read-only display of it (a link to ``file.url``) fails. The file is shown as its stored name and size instead,
    linked to the page that hands it out to those who may see its case (``file_url``) where there is one."""

    def get_readonly_fields(self, request, obj=None):
        return _file_shown([*super().get_readonly_fields(request, obj), "file"])

    def get_fields(self, request, obj=None):
        return _file_shown(super().get_fields(request, obj))

    @admin.display(description=_("文件"))
    def stored_file(self, obj):
        if not obj.file:
            return self.get_empty_value_display()
        try:
            text = f"{obj.file.name} ({filesizeformat(obj.file.size)})"
        except OSError:  # missing from the storage: its name still tells which file
            text = obj.file.name
        url = self.file_url(obj)
        return format_html('<a href="{}">{}</a>', url, text) if url else text

    def file_url(self, obj) -> str | None:
        """The private download of ``obj``'s file for those who may see it (checked there), or None."""
        return None
