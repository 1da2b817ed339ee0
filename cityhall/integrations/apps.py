from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "cityhall.integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        # Connecting here, not at import, keeps the receivers to one registration per process.
        from cityhall.integrations.events import connect_receivers

        connect_receivers()
