"""Turning names into identifiers: slugs for codes, plain ASCII for email addresses."""

from __future__ import annotations

import re
import unicodedata


def ascii_fold(text: str) -> str:
    """`text` without accents: "Éloi" becomes "Eloi"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Saint-Éloi" becomes "saint-eloi"."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def email_local_part(first_name: str, last_name: str) -> str:
    """ "Marie-Ève", "O'Brien" becomes "marie-eve.obrien": letters, digits and hyphens only."""
    first = re.sub(r"[^a-z0-9-]", "", ascii_fold(first_name).lower())
    last = re.sub(r"[^a-z0-9-]", "", ascii_fold(last_name).lower())
    return f"{first}.{last}"
