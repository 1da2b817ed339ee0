from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    """The GeoReport v2 API over the catalog and service requests; it owns no data."""

    name = "cityhall.open311"
    label = "open311"
    verbose_name = _("Open311")

    def ready(self) -> None:
        from cityhall.open311.events import connect_receivers  # the models must be loaded first

        connect_receivers()
