"""Loading and removing the demo city, Rivière-aux-Saules.

load: generate from the seed → departments → the service catalog (catalog_data.json) →
districts, addresses and facilities through the places importers → residents, demo sign-ins,
roles and partners through the accounts services → teams of demo staff → a year of past service
requests through the servicerequests services, some open ones given to the teams and the most
urgent to the demo agent and supervisor → a DemoCity row listing what was created.
remove: delete what that row lists, past requests first, then teams.
Everything happens in one transaction, so a failed load leaves nothing behind.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from cityhall.accounts.services.residents import delete_demo_accounts
from cityhall.catalog.models import Department
from cityhall.catalog.services import (
    create_department,
    delete_department,
    import_catalog,
    remove_catalog_entries,
)
from cityhall.demo.alerts import (
    create_demo_alerts,
    delete_demo_alerts,
    give_demo_partner_an_alert_area,
)
from cityhall.demo.appointment_history import create_demo_appointment_history
from cityhall.demo.appointments import create_demo_appointments, delete_demo_appointments
from cityhall.demo.caseload import give_requests_to_demo_staff
from cityhall.demo.citizen import follow_a_neighbours_request
from cityhall.demo.consents import give_demo_consents
from cityhall.demo.generator.administration import DEPARTMENTS
from cityhall.demo.generator.city import GeneratedCity, generate_city
from cityhall.demo.generator.formats import addresses_csv, districts_geojson, facilities_geojson
from cityhall.demo.generator.history import DEFAULT_REQUESTS
from cityhall.demo.history import create_demo_history, delete_demo_history
from cityhall.demo.models import DemoCity
from cityhall.demo.people import create_demo_people
from cityhall.demo.privacy import delete_demo_exports, give_demo_citizen_an_export
from cityhall.demo.queue import create_demo_queue, delete_demo_queue
from cityhall.demo.staff_access import give_demo_staff_access_history
from cityhall.demo.teams import create_demo_teams, delete_demo_teams, give_requests_to_demo_teams
from cityhall.places.models import Address, District, Facility
from cityhall.places.services import import_addresses, import_districts, import_facilities

#: The demo city's services, written for it in both languages.
CATALOG_FILE = Path(__file__).resolve().parent / "catalog_data.json"

#: Every demo address's source id starts with this (see generator.addresses).
ADDRESS_PREFIX = "ras-"


@dataclass(frozen=True)
class DemoCityReport:
    """What a load created, for the command's summary."""

    seed: int
    departments: int
    services: int
    districts: int
    streets: int
    addresses: int
    facilities: int
    residents: int
    demo_accounts: int
    partners: int
    service_requests: int = 0


@transaction.atomic
def load_demo_city(
    *, seed: int, residents: int, addresses: int, requests: int = DEFAULT_REQUESTS
) -> DemoCityReport | None:
    """Build the demo city in the database; return None, changing nothing, if one is loaded.

    About `requests` past service requests (0 for none) fill the year before now.
    Departments and accounts that already exist are left as they are and not recorded as
    the demo's own, so that `remove_demo_city` never deletes them.
    """
    if DemoCity.objects.exists():
        return None
    city = generate_city(seed, residents=residents, addresses=addresses)
    department_codes = _create_departments()
    catalog = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    import_catalog(source=catalog, actor=None)
    _import_places(city)
    people = create_demo_people(city)
    team_ids = create_demo_teams()
    tracking_numbers = create_demo_history(
        city, catalog=catalog, count=requests, now=timezone.now()
    )
    give_requests_to_demo_teams(team_ids=team_ids, tracking_numbers=tracking_numbers)
    give_requests_to_demo_staff(tracking_numbers=tracking_numbers)
    follow_a_neighbours_request(tracking_numbers=tracking_numbers)
    give_demo_staff_access_history(tracking_numbers=tracking_numbers)
    give_demo_consents(seed=seed, resident_emails=[r.email for r in city.residents])
    give_demo_citizen_an_export()
    appointments = create_demo_appointments(seed=seed, now=timezone.now())
    create_demo_appointment_history(seed=seed, now=timezone.now())
    alert_identifiers = create_demo_alerts(now=timezone.now())
    give_demo_partner_an_alert_area()
    create_demo_queue(seed=seed, now=timezone.now())
    DemoCity.objects.create(
        seed=seed,
        created={
            "counter_services": appointments["counter_services"],
            "holidays": appointments["holidays"],
            "departments": department_codes,
            "services": [service["code"] for service in catalog["services"]],
            "topics": [topic["slug"] for topic in catalog["topics"]],
            "accounts": people.emails,
            "partners": people.partner_names,
            "teams": team_ids,
            "districts": [district.code for district in city.districts],
            "facilities": [facility.source_id for facility in city.facilities],
            "address_prefix": ADDRESS_PREFIX,
            "service_requests": tracking_numbers,
            "alerts": alert_identifiers,
        },
    )
    return DemoCityReport(
        seed=seed,
        departments=len(department_codes),
        services=len(catalog["services"]),
        districts=len(city.districts),
        streets=len(city.streets),
        addresses=len(city.addresses),
        facilities=len(city.facilities),
        residents=people.residents,
        demo_accounts=people.demo_accounts,
        partners=len(people.partner_names),
        service_requests=len(tracking_numbers),
    )


def _create_departments() -> list[str]:
    existing = set(Department.objects.values_list("code", flat=True))
    created = []
    for department in DEPARTMENTS:
        if department.code in existing:
            continue
        create_department(
            code=department.code,
            name_en=department.name_en,
            name_fr=department.name_fr,
            email=department.email,
            phone=department.phone,
            actor=None,
        )
        created.append(department.code)
    return created


def _import_places(city: GeneratedCity) -> None:
    """Hand the city to the importers exactly as a real city's files would arrive."""
    districts = io.StringIO(json.dumps(districts_geojson(city)))
    districts.name = "rivière-aux-saules-districts.geojson"
    import_districts(
        source=districts,
        actor=None,
        name_property="name",
        code_property="code",
        name_fr_property="name_fr",
        kind_property="kind",
    )
    addresses = io.StringIO(addresses_csv(city))
    addresses.name = "rivière-aux-saules-addresses.csv"
    import_addresses(source=addresses, actor=None)
    facilities = io.StringIO(json.dumps(facilities_geojson(city)))
    facilities.name = "rivière-aux-saules-facilities.geojson"
    import_facilities(source=facilities, actor=None)


@transaction.atomic
def remove_demo_city() -> bool:
    """Delete what the loaded demo city created; return False when none is loaded.

    Past service requests go first (they point at services, teams and accounts), then teams and
    accounts
    (their staff roles point at departments), departments last.
    """
    demo_city = DemoCity.objects.select_for_update().first()
    if demo_city is None:
        return False
    created = demo_city.created
    delete_demo_history(created.get("service_requests", []))
    delete_demo_queue(created.get("facilities", []))
    delete_demo_appointments(created)
    delete_demo_alerts(created.get("alerts", []))
    delete_demo_teams(created.get("teams", []))
    delete_demo_exports(created.get("accounts", []))
    delete_demo_accounts(
        emails=created.get("accounts", []), partner_names=created.get("partners", []), actor=None
    )
    remove_catalog_entries(
        service_codes=created.get("services", []), topic_slugs=created.get("topics", []), actor=None
    )
    _delete_places(created)
    for department in Department.objects.filter(code__in=created.get("departments", [])):
        delete_department(department=department, actor=None)
    demo_city.delete()
    return True


def _delete_places(created: dict[str, Any]) -> None:
    # places has no removal service (a real city's register is only ever re-imported), so
    # the demo deletes exactly the rows it recorded as its own, and nothing else.
    prefix = str(created.get("address_prefix") or ADDRESS_PREFIX)
    Address.objects.filter(source_id__startswith=prefix).delete()
    Facility.objects.filter(source_id__in=created.get("facilities", [])).delete()
    District.objects.filter(code__in=created.get("districts", [])).delete()
