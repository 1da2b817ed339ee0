"""What makes stored GeoReport v2 answers stale: every receiver of this app, in one place.

Model signals are used rather than the domains' own events because every per-row write must
count, including deletions, imports and erasure, which have no domain event. Each receiver
bumps the version at once (the writer's own process sees the change) and again after commit:
a GET running between the two may store the old data under the first new version, and the
second bump makes that entry unreachable.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from cityhall.catalog.models import Department, Service, ServiceField, ServiceFieldChoice, Topic
from cityhall.open311.caching import CATALOG, PLACES, REQUESTS, bump_version
from cityhall.places.models import District
from cityhall.servicerequests.models import ServiceRequest, StatusChange

#: The models each cached data set is read from.
SOURCES = {
    CATALOG: (Service, Topic, ServiceField, ServiceFieldChoice, Department),
    REQUESTS: (ServiceRequest, StatusChange),
    PLACES: (District,),
}


def connect_receivers() -> None:
    """Bump a data set's version whenever one of its rows is saved or deleted."""
    for scope, models in SOURCES.items():
        receiver = partial(_changed, scope=scope)
        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(
                    receiver,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"open311:{scope}:{signal is post_save}:{model.__name__}",
                )


def _changed(*, scope: str, **_signal_arguments: Any) -> None:
    bump_version(scope)
    transaction.on_commit(partial(bump_version, scope))
