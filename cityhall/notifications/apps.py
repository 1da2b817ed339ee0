from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cityhall.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The topics' purposes join the privacy register before any request, and consent
        # decisions about topics reach the receivers that stop or resume them.
        from cityhall.notifications import events, purposes  # noqa: F401
        from cityhall.privacy.signals import consent_given, consent_withdrawn

        consent_withdrawn.connect(events.stop_withdrawn_topic, dispatch_uid="notifications.stop")
        consent_given.connect(events.resume_given_topic, dispatch_uid="notifications.resume")
