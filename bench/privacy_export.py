"""Time to export everything the city holds about one citizen with 10,000 records.

Run: .venv/bin/python bench/privacy_export.py [--database-url URL] [--records 10000] [--repeat 3]

Without `--database-url`, a fresh SQLite file under /tmp is migrated for the run; a
PostgreSQL URL must name a database whose name contains `bench` (its tables are emptied of
the benchmark's citizen, not dropped). The citizen's `--records` rows come in six equal parts:
requests, a public status change of each, notifications, an email delivery of each, comments
and audit lines, so that they spread over every large source. The figure is the wall time of
`privacy.services.exports.build_export_file` (every source's `export`, the ZIP of a JSON and a
CSV per table, saved to the media storage, a temporary folder here), the median of `--repeat`
runs, with the ZIP's size.
Goal: under 5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]


def set_up_django(database_url: str, media_root: str) -> None:
    os.environ["CITYHALL_ENV"] = "test"
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = media_root
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(REPOSITORY))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)


def make_citizen(records: int) -> Any:
    """The benchmark's citizen and `records` rows about them, written in bulk."""
    from django.utils import timezone

    from cityhall.accounts.models import User
    from cityhall.catalog.models import Department, Service
    from cityhall.core.models import AuditEvent
    from cityhall.notifications.models import ChannelKind, Delivery, Notification, Topic
    from cityhall.privacy.models import DataExport
    from cityhall.servicerequests.models import Comment, ServiceRequest, StatusChange

    User.objects.filter(email="bench.export@example.org").delete()
    user = User.objects.create_user(
        "bench.export@example.org", full_name="Béatrice Export", email_verified_at=timezone.now()
    )
    department, _ = Department.objects.get_or_create(
        code="bench-works", defaults={"name_en": "Works", "name_fr": "Travaux"}
    )
    service, _ = Service.objects.get_or_create(
        code="bench-potholes",
        defaults={"name_en": "Potholes", "name_fr": "Nids-de-poule", "department": department},
    )
    sixth = records // 6
    ServiceRequest.objects.filter(tracking_number__startswith="BEX-").delete()
    requests = ServiceRequest.objects.bulk_create(
        ServiceRequest(
            tracking_number=f"BEX-{number:07d}",
            service=service,
            department=department,
            reporter=user,
            channel=ServiceRequest.Channel.PORTAL,
            description=f"Pothole number {number} in front of the bakery, about 30 cm wide.",
            answers={"depth": "deep", "lane": "right"},
            address_text=f"{number} rue des Saules",
            contact_name="Béatrice Export",
            contact_email="bench.export@example.org",
            contact_phone="+15145550100",
        )
        for number in range(sixth)
    )
    StatusChange.objects.bulk_create(
        StatusChange(
            service_request=service_request,
            from_status="submitted",
            to_status="acknowledged",
            public_note="A crew will come this week.",
        )
        for service_request in requests
    )
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            topic=Topic.MY_REQUESTS,
            template_code="request-updated",
            event_key=f"bench-{number}",
            language="en",
            subject="Your request was updated",
            body="A crew will come this week to fix the pothole you reported.",
        )
        for number in range(sixth)
    )
    Delivery.objects.bulk_create(
        Delivery(
            notification=notification,
            channel=ChannelKind.EMAIL,
            address=user.email,
            body=notification.body,
            status=Delivery.Status.SENT,
        )
        for notification in notifications
    )
    Comment.objects.bulk_create(
        Comment(service_request=requests[number % len(requests)], author=user, body="Still there.")
        for number in range(sixth)
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=user, action="accounts.signed_in", ip_address="203.0.113.9")
        for _ in range(records - 5 * sixth)
    )
    DataExport.objects.filter(user=user).delete()
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="cityhall-export-bench-")
    database_url = options.database_url or f"sqlite:///{scratch}/bench.sqlite3"
    if options.database_url and "bench" not in database_url.rsplit("/", 1)[-1]:
        parser.error("the PostgreSQL database's name must contain 'bench'")
    set_up_django(database_url, f"{scratch}/media")

    from django.core.files.storage import default_storage

    from cityhall.privacy.models import DataExport
    from cityhall.privacy.services.exports import build_export_file

    user = make_citizen(options.records)
    times = []
    for _ in range(options.repeat):
        export = DataExport.objects.create(user=user)
        started = time.perf_counter()
        built = build_export_file(export_id=export.id)
        times.append(time.perf_counter() - started)
        assert built is not None
        size = default_storage.size(built.file_name)
    vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(
        f"{options.records} records on {vendor}: export built in {statistics.median(times):.2f} s"
    )
    print(f"  runs: {', '.join(f'{seconds:.2f}' for seconds in times)} s; ZIP {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
