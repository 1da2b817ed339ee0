"""The CAP schema shipped for validating incoming alerts is the OASIS file, unchanged."""

import hashlib

from cityhall.alerts.cap_input import SCHEMA_PATH
from cityhall.alerts.tests.cap_schema import CAP_REFS
from cityhall.core.testing import require_or_skip


def test_the_shipped_schema_has_the_same_bytes_as_the_reference_copy():
    reference = CAP_REFS / "CAP-v1.2.xsd"
    require_or_skip(reference.is_file(), f"{reference} is not available")

    assert (
        hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest()
        == hashlib.sha256(reference.read_bytes()).hexdigest()
    )


def test_the_shipped_schema_keeps_the_oasis_copyright_line():
    assert "Copyright OASIS Open 2010" in SCHEMA_PATH.read_text(encoding="utf-8")
