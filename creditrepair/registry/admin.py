from django.contrib import admin

from .models import Department, Subject


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "type", "created_at"]
    list_filter = ["type"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "jurisdiction", "sector", "parent"]
    list_filter = ["kind", "jurisdiction"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
