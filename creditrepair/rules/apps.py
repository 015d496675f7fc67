from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "creditrepair.rules"
    label = "rules"
    verbose_name = _("规则集")

    def ready(self):
        from .signals import load_rules_after_migrate

        # Sent once per app after every migrate (and flush); filtering on this
        # app runs the loader once, after this app's table exists.
        post_migrate.connect(load_rules_after_migrate, sender=self, dispatch_uid="rules.load_after_migrate")
