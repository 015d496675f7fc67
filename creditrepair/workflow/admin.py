from django.contrib import admin

from .models import Deadline


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["case_no", "step", "responsible", "started_on", "due_on", "extended", "met_at",
                    "reminded_at", "escalated_at"]
    list_filter = ["step", "extended", "responsible"]
    search_fields = ["case_no"]
    date_hierarchy = "due_on"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
