"""`manage.py load_demo_city`: build the demo city, Rivière-aux-Saules, unless it is there."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cityhall.demo.generator.city import DEFAULT_ADDRESSES, DEFAULT_RESIDENTS, DEFAULT_SEED
from cityhall.demo.generator.history import DEFAULT_REQUESTS
from cityhall.demo.services import DemoCityReport, load_demo_city, remove_demo_city


class Command(BaseCommand):
    help = _(
        "Load the demo city Rivière-aux-Saules (Willow River). Does nothing when it is "
        "already loaded; --reset removes what the demo created and loads it again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=_("Seed of the generator.")
        )
        parser.add_argument(
            "--reset", action="store_true", help=_("Remove the demo city first, then rebuild it.")
        )
        parser.add_argument(
            "--residents",
            type=int,
            default=DEFAULT_RESIDENTS,
            help=_("Number of residents with an account."),
        )
        parser.add_argument(
            "--addresses", type=int, default=DEFAULT_ADDRESSES, help=_("Number of addresses.")
        )
        parser.add_argument(
            "--requests",
            type=int,
            default=DEFAULT_REQUESTS,
            help=_("About how many past service requests to create over the last year (0: none)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["reset"] and remove_demo_city():
            self.stdout.write(_("Removed the demo city."))
        report = load_demo_city(
            seed=options["seed"],
            residents=options["residents"],
            addresses=options["addresses"],
            requests=options["requests"],
        )
        if report is None:
            self.stdout.write(
                _("The demo city is already loaded; nothing to do (use --reset to rebuild it).")
            )
            return
        self.stdout.write(self.style.SUCCESS(_summary(report, time.monotonic() - started)))


def _summary(report: DemoCityReport, seconds: float) -> str:
    return _(
        "Loaded the demo city Rivière-aux-Saules (seed %(seed)d) in %(seconds).1f s: "
        "%(districts)d districts, %(streets)d streets, %(addresses)d addresses, "
        "%(facilities)d facilities, %(departments)d departments, %(services)d services, "
        "%(residents)d residents, "
        "%(demo_accounts)d demo accounts, %(partners)d partner organisations and "
        "%(service_requests)d past service requests."
    ) % {
        "seed": report.seed,
        "seconds": seconds,
        "districts": report.districts,
        "streets": report.streets,
        "addresses": report.addresses,
        "facilities": report.facilities,
        "departments": report.departments,
        "services": report.services,
        "residents": report.residents,
        "demo_accounts": report.demo_accounts,
        "partners": report.partners,
        "service_requests": report.service_requests,
    }
