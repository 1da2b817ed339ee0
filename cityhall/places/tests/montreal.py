"""Test data built from the real Montréal files in ../shared/data (never copied in the repo)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from cityhall.core.testing import shared_data_file
from cityhall.places.tests.factories import ADDRESS_COLUMNS


def points_of_interest() -> list[dict[str, Any]]:
    """Every Montréal point of interest that has a civic address, once per ID.

    The source repeats one ID for two points of the same place; the first one is kept.
    """
    path = shared_data_file("montreal-facilities/lieux-interet.geojson")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    by_id: dict[int, dict[str, Any]] = {}
    for feature in features:
        properties = feature["properties"]
        if (properties["Numéro"] or "").strip() and (properties["rue"] or "").strip():
            by_id.setdefault(properties["ID"], properties)
    return list(by_id.values())


def address_register_from_points_of_interest(directory: Path) -> Path:
    """Write an address-register CSV (with a BOM) of the Montréal points of interest."""
    path = directory / "montreal-addresses.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=ADDRESS_COLUMNS)
        writer.writeheader()
        for poi in points_of_interest():
            writer.writerow(
                {
                    "id": poi["ID"],
                    "civic_number": poi["Numéro"],
                    "street_name": poi["rue"],
                    "postal_code": poi["Code postal"],
                    "municipality": poi["Ville"],
                    "latitude": poi["Latitude"],
                    "longitude": poi["Longitude"],
                }
            )
    return path


KIND_FOR_CATEGORY = {
    "Bibliothèque": "library",
    "Parc et autre espace vert": "park",
    "Service municipal": "service_centre",
    "Équipement communautaire": "community_centre",
}


def facilities_from_points_of_interest() -> io.StringIO:
    """A facilities FeatureCollection of every Montréal point of interest, once per ID."""
    path = shared_data_file("montreal-facilities/lieux-interet.geojson")
    features = []
    seen: set[int] = set()
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        properties = feature["properties"]
        if properties["ID"] in seen:
            continue
        seen.add(properties["ID"])
        address = f"{properties['Numéro'] or ''} {properties['rue'] or ''}".strip()
        features.append({
            "type": "Feature",
            "id": properties["ID"],
            "geometry": feature["geometry"],
            "properties": {
                "name_fr": properties["Nom français"],
                "kind": KIND_FOR_CATEGORY.get(properties["Catégorie"], "other"),
                "address": address,
                "borough": properties["Arrondissement"],
            },
        })  # fmt: skip
    return io.StringIO(json.dumps({"type": "FeatureCollection", "features": features}))
