"""Admin bases the areas share: their rows change only through the services (history, audit, notices together),
so the admin shows them and never adds, edits or deletes them itself."""

from django.contrib import admin


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
