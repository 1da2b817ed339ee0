from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cityhall.core"
    label = "core"
    verbose_name = _("Core building blocks")

    def ready(self) -> None:
        from cityhall.core.counting_cache import create_counting_cache_tables

        # The rate-limit counts' table (embedded tier) comes with `migrate`, like every table.
        post_migrate.connect(create_counting_cache_tables, sender=self)
