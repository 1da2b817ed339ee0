"""Per-process tables of what GeoReport v2 lists show of the catalog: service codes and names,
department names.

Request lists join nothing: a page of 1000 requests would otherwise repeat the same few dozen
names in every row, and each join makes the database plan longer. The tables are read again
when the catalog's data version changes (a write in this process, or in any process with a
shared cache), after `ENTRY_TIMEOUT` seconds (a write in another process with a local cache,
the same delay as for cached answers), and when a row names an id they lack (a service or
department created since).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from cityhall.catalog.models import Department, Service
from cityhall.open311.caching import CATALOG, ENTRY_TIMEOUT, current_versions


@dataclass(frozen=True, slots=True)
class ServiceName:
    """A service as request lists show it; `is_sensitive` services' points are coarsened."""

    code: str
    name_en: str
    name_fr: str
    is_sensitive: bool


@dataclass(frozen=True)
class CatalogNames:
    """Every service (withdrawn ones too: their requests remain) and department, by id."""

    services: dict[int, ServiceName]
    service_ids: dict[str, int]
    departments: dict[int, tuple[str, str]]
    version: int
    read_at: float

    def lacks(self, service_ids: set[int], department_ids: set[int]) -> bool:
        """Whether any of these ids is missing (created after the tables were read)."""
        return not (
            service_ids <= self.services.keys() and department_ids <= self.departments.keys()
        )


_current: CatalogNames | None = None


def catalog_names(*, refresh: bool = False) -> CatalogNames:
    """The current tables; `refresh` reads them again whatever their age."""
    global _current
    version = current_versions((CATALOG,))[0]
    names = _current
    if (
        refresh
        or names is None
        or names.version != version
        or time.monotonic() - names.read_at > ENTRY_TIMEOUT
    ):
        names = _current = _read(version)
    return names


def _read(version: int) -> CatalogNames:
    rows = Service.objects.order_by().values_list(
        "id", "code", "name_en", "name_fr", "is_sensitive"
    )
    services = {
        service_id: ServiceName(code, name_en, name_fr, is_sensitive)
        for service_id, code, name_en, name_fr, is_sensitive in rows
    }
    departments = {
        department_id: (name_en, name_fr)
        for department_id, name_en, name_fr in Department.objects.order_by().values_list(
            "id", "name_en", "name_fr"
        )
    }
    return CatalogNames(
        services=services,
        service_ids={service.code: service_id for service_id, service in services.items()},
        departments=departments,
        version=version,
        read_at=time.monotonic(),
    )
