from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "creditrepair.api"
    label = "api"
    verbose_name = "API v1"
