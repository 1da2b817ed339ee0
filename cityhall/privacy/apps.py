from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "cityhall.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        # Each domain declares its personal data in `<app>/personal_data.py` and its retention
        # rules in `<app>/retention.py`; importing them here fills the registers once per
        # process, before any request, so privacy itself imports no domain.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("personal_data")
        autodiscover_modules("retention")
