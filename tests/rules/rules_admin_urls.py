"""URLs for the rule-set admin tests only (the project's urls.py is not ours to rely on)."""

from django.contrib import admin
from django.urls import path

urlpatterns = [path("admin/", admin.site.urls)]
