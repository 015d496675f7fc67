from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "role", "subject", "department", "is_active", "last_login"]
    list_filter = ["role", "is_active", "department"]
    search_fields = ["username", "subject__code", "subject__name", "department__name"]
    autocomplete_fields = ["subject", "department"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("角色与归属"), {"fields": ["role", "subject", "department"]}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("角色与归属"), {"fields": ["role", "subject", "department"]}),)
