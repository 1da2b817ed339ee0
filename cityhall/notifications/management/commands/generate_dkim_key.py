"""`manage.py generate_dkim_key`: a new DKIM private key and the DNS record that publishes it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cityhall.notifications.channels.dkim_signing import (
    ALGORITHMS,
    dns_record,
    generate_private_key,
)


class Command(BaseCommand):
    help = (
        "Print a new DKIM private key (PEM, for DKIM_PRIVATE_KEY or the file DKIM_PRIVATE_KEY_FILE "
        "names) and the TXT record to publish at <selector>._domainkey.<domain>. RSA is "
        "checked by every receiver; Ed25519 signs far faster but not every receiver checks it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--algorithm", choices=ALGORITHMS, default="rsa")
        parser.add_argument("--rsa-bits", type=int, choices=(2048, 3072, 4096), default=2048)
        parser.add_argument("--selector", default="cityhall", help="DKIM_SELECTOR to publish under")
        parser.add_argument("--domain", default="", help="DKIM_DOMAIN, to print the record's name")

    def handle(self, *args: Any, **options: Any) -> None:
        private_key = generate_private_key(options["algorithm"], rsa_bits=options["rsa_bits"])
        name = f"{options['selector']}._domainkey"
        if options["domain"]:
            name = f"{name}.{options['domain']}."
        self.stdout.write(private_key, ending="")
        # A TXT record's strings hold 255 bytes each; an RSA key's record needs several.
        record = dns_record(private_key)
        strings = " ".join(f'"{record[at : at + 255]}"' for at in range(0, len(record), 255))
        self.stdout.write(f"\n{name} IN TXT {strings}")
