from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "creditrepair.core"
    label = "core"
    verbose_name = "Core"
