"""What `make run` prints once the platform is up: where to go and how to sign in.

Call after Django is set up: the demo accounts are read from the database.
"""

from __future__ import annotations

import pyotp
from django.conf import settings
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from cityhall.demo.api_key import issue_demo_api_key
from cityhall.demo.selectors import DemoSignIn, demo_sign_ins

TOTP_COMMAND = ".venv/bin/python manage.py demo_totp"


def demo_banner(base_url: str) -> str:
    """The portal and back-office addresses, then the demo accounts and how to sign in.

    Staff accounts show their TOTP secret (to add to an authenticator app) and the code of
    the moment; a new partner API key for Open311 and the platform API follows (the previous
    one is revoked). Without a loaded demo city (or a database), says how to load it instead.
    Written in the site's default language, whatever language is active.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _banner_text(base_url)


def _banner_text(base_url: str) -> str:
    lines = [
        "",
        _("CityHall is running."),
        _("  Citizen portal: %(url)s/en/  (français : %(url)s/fr/)") % {"url": base_url},
        _("  Back office:    %(url)s/en/staff/") % {"url": base_url},
        "",
    ]
    try:
        sign_ins = demo_sign_ins()
    except DatabaseError:
        sign_ins = []
    if sign_ins:
        lines += _sign_in_lines(sign_ins)
        lines += _api_key_lines(base_url)
    else:
        lines.append(
            _("The demo city is not loaded: run %(command)s to sign in with demo accounts.")
            % {"command": ".venv/bin/python manage.py load_demo_city"}
        )
    lines += ["", _("Press Ctrl-C to stop."), ""]
    return "\n".join(lines)


def _sign_in_lines(sign_ins: list[DemoSignIn]) -> list[str]:
    lines = [_("Demo city Rivière-aux-Saules (Willow River). Sign in as:")]
    for sign_in in sign_ins:
        lines.append(f"  {sign_in.role}: {sign_in.email} / {sign_in.password}")
        if sign_in.totp_secret:
            code = pyotp.TOTP(sign_in.totp_secret).now()
            lines.append(
                "    "
                + _("TOTP secret %(secret)s (code now: %(code)s)")
                % {"secret": sign_in.totp_secret, "code": code}
            )
    lines.append(
        _("Staff confirm sign-in with a code from an authenticator app holding the secret;")
    )
    lines.append(_("for the current codes, run: %(command)s") % {"command": TOTP_COMMAND})
    return lines


def _api_key_lines(base_url: str) -> list[str]:
    try:
        issued = issue_demo_api_key()
    except DatabaseError:
        return []
    if issued is None:
        return []
    return [
        "",
        _("Partner API key of %(partner)s (scopes: %(scopes)s), new at each start:")
        % {
            "partner": issued.api_key.organisation.name,
            "scopes": ", ".join(issued.api_key.scopes),
        },
        f"  {issued.key}",
        _("  Open311: %(url)s/open311/v2/discovery.json · API: %(url)s/api/docs/")
        % {"url": base_url},
    ]
