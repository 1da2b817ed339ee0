"""The demo city as the files a real city hands to the importers: GeoJSON and CSV text.

The shapes of `cityhall.places.services.import_districts`, `import_addresses` and
`import_facilities` are the contract; the demo city goes through the same doors.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import shapely
from shapely.geometry import mapping

from cityhall.demo.generator.city import GeneratedCity
from cityhall.demo.generator.geography import to_lonlat
from cityhall.demo.generator.names import CITY_NAME_FR

ADDRESS_COLUMNS = (
    "id", "civic_number", "street_name", "unit", "postal_code", "municipality", "latitude",
    "longitude",
)  # fmt: skip
#: About 10 cm; finer digits would only make the files bigger.
COORDINATE_DIGITS = 6


def districts_geojson(city: GeneratedCity) -> dict[str, Any]:
    """A FeatureCollection of (Multi)Polygons; properties name (English), name_fr, code, kind."""
    features = []
    for district in city.districts:
        geometry = mapping(_rounded(to_lonlat(district.shape)))
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "code": district.code,
                    "name": district.name_en,
                    "name_fr": district.name_fr,
                    "official_name": district.official_name,
                    "kind": "district",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def addresses_csv(city: GeneratedCity) -> str:
    """CSV text with the columns of ADDRESS_COLUMNS, one row per address (or unit)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ADDRESS_COLUMNS)
    for address in city.addresses:
        writer.writerow(
            [
                address.source_id,
                address.civic_number,
                address.street_name,
                address.unit,
                address.postal_code,
                CITY_NAME_FR,
                f"{address.latitude:.6f}",
                f"{address.longitude:.6f}",
            ]
        )
    return out.getvalue()


def facilities_geojson(city: GeneratedCity) -> dict[str, Any]:
    """A FeatureCollection of Points with properties name_en, name_fr, kind, address, phone."""
    features = [
        {
            "type": "Feature",
            "id": facility.source_id,
            "geometry": {"type": "Point", "coordinates": [facility.longitude, facility.latitude]},
            "properties": {
                "name_en": facility.name_en,
                "name_fr": facility.name_fr,
                "kind": facility.kind,
                "address": facility.address,
                "phone": facility.phone,
            },
        }
        for facility in city.facilities
    ]
    return {"type": "FeatureCollection", "features": features}


def _rounded(geometry: Any) -> Any:
    return shapely.set_precision(geometry, 10**-COORDINATE_DIGITS)
