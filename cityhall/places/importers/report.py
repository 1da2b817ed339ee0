"""What an import did, as the services return it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportReport:
    """Counts of rows an import created and updated.

    `unchanged` counts rows that matched an existing one with identical values; `repaired`
    counts boundaries whose self-intersections were resolved.
    """

    created: int
    updated: int
    unchanged: int = 0
    repaired: int = 0

    def as_audit_data(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "repaired": self.repaired,
        }
