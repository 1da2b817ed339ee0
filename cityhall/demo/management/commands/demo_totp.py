"""`manage.py demo_totp`: the current two-factor codes of the demo staff accounts."""

from __future__ import annotations

import time
from typing import Any

import pyotp
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cityhall.demo.selectors import demo_sign_ins

#: RFC 6238's time step, in seconds.
TOTP_STEP = 30


class Command(BaseCommand):
    help = _("Print the current sign-in codes of the demo staff accounts.")

    def handle(self, *args: Any, **options: Any) -> None:
        staff = [sign_in for sign_in in demo_sign_ins() if sign_in.totp_secret]
        if not staff:
            self.stdout.write(_("The demo city is not loaded: run load_demo_city first."))
            return
        for sign_in in staff:
            code = pyotp.TOTP(sign_in.totp_secret).now()
            self.stdout.write(f"{code}  {sign_in.email}  ({sign_in.role})")
        seconds_left = TOTP_STEP - int(time.time()) % TOTP_STEP
        self.stdout.write(_("These codes change in %(seconds)d s.") % {"seconds": seconds_left})
