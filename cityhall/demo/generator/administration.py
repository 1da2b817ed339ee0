"""The city administration of the demo: departments, their teams, demo sign-ins and partner
organisations.

These are fixed, not drawn from the seed, so that `make run` always prints the same
credentials. The passwords and TOTP secrets are public on purpose: they exist only in the
demo city, which must never hold real people's data.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class GeneratedDepartment:
    code: str
    name_en: str
    name_fr: str
    email: str
    phone: str


@dataclass(frozen=True)
class DemoAccount:
    """An account a newcomer signs in with. `role` is a StaffRole.Role value, or "" for none.

    `department_code` is empty for city-wide roles; `partner_name` is set for partner members.
    `also_department_codes` are further departments where the account holds the same role.
    """

    email: str
    password: str
    full_name: str
    preferred_language: str
    role: str = ""
    department_code: str = ""
    partner_name: str = ""
    also_department_codes: tuple[str, ...] = ()

    @property
    def is_staff(self) -> bool:
        return bool(self.role)

    @property
    def totp_secret(self) -> str:
        """A base32 TOTP secret derived from the email, so it is the same on every machine."""
        if not self.is_staff:
            return ""
        digest = hashlib.sha256(f"riviere-aux-saules/{self.email}".encode()).digest()
        return base64.b32encode(digest[:20]).decode()


@dataclass(frozen=True)
class GeneratedPartner:
    """A partner organisation; the city hands it the requests for `service_codes`."""

    name: str
    kind: str
    email: str
    service_codes: tuple[str, ...] = ()


def _department(code: str, name_en: str, name_fr: str, line: int) -> GeneratedDepartment:
    return GeneratedDepartment(code, name_en, name_fr, f"{code}@example.org", f"450-555-01{line}")


# Phone numbers use 555-0100 to 555-0199, the range set aside for fiction.
DEPARTMENTS = (
    _department("citizen-services", "Citizen Services", "Services aux citoyens", 80),
    _department("public-works", "Public Works", "Travaux publics", 81),
    _department("roads", "Roads", "Voirie", 82),
    _department("water", "Water", "Eau", 83),
    _department("waste-management", "Waste Management", "Gestion des matières résiduelles", 84),
    _department("parks-recreation", "Parks and Recreation", "Loisirs et parcs", 85),
    _department("urban-planning", "Urban Planning and Permits", "Urbanisme et permis", 86),
    _department("fire", "Fire Safety", "Sécurité incendie", 87),
    _department("communications", "Communications", "Communications", 88),
    _department("finance", "Finance", "Finances", 89),
    _department("clerk", "City Clerk", "Greffe", 90),
)


@dataclass(frozen=True)
class GeneratedTeam:
    """A team of a department; the demo gives it open requests for `service_codes`."""

    department_code: str
    name_en: str
    name_fr: str
    member_emails: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()


TEAMS = (
    GeneratedTeam(
        "public-works",
        "Night crew",
        "Équipe de nuit",
        member_emails=("agent@example.org", "supervisor@example.org"),
        service_codes=("dead-animal", "litter-bin", "graffiti", "bus-shelter"),
    ),
    GeneratedTeam(
        "public-works",
        "Graffiti crew",
        "Équipe anti-graffiti",
        member_emails=("supervisor@example.org",),
        service_codes=("graffiti", "bus-shelter"),
    ),
    GeneratedTeam(
        "roads",
        "Pothole crew",
        "Équipe des nids-de-poule",
        member_emails=("agent@example.org", "supervisor@example.org", "roads@example.org"),
        service_codes=("pothole", "damaged-sidewalk"),
    ),
    GeneratedTeam(
        "roads",
        "Signs and signals",
        "Signalisation",
        member_emails=("roads@example.org",),
        service_codes=("traffic-signal", "street-sign"),
    ),
    GeneratedTeam(
        "water",
        "Leak response",
        "Intervention fuites",
        member_emails=("water@example.org",),
        service_codes=("water-leak",),
    ),
    GeneratedTeam(
        "parks-recreation",
        "Tree crew",
        "Équipe d'arboriculture",
        member_emails=("parks@example.org",),
        service_codes=("tree-maintenance", "fallen-tree"),
    ),
)

SNOW_CONTRACTOR = "Déneigement Saules-Nord inc."

PARTNERS = (
    GeneratedPartner(
        "Énergie Rivière-aux-Saules",
        "utility",
        "contact@energie-ras.example.org",
        service_codes=("streetlight",),
    ),
    GeneratedPartner(
        SNOW_CONTRACTOR,
        "contractor",
        "dispatch@deneigement-sn.example.org",
        # Snow in winter; the same crews sweep debris off the roads the rest of the year.
        service_codes=("snow-removal", "icy-sidewalk", "snowbank", "road-debris"),
    ),
)

CITIZEN_PASSWORD = "demo-citizen-2026"  # noqa: S105 (public demo credential)
STAFF_PASSWORD = "demo-staff-2026"  # noqa: S105 (public demo credential)
PARTNER_PASSWORD = "demo-partner-2026"  # noqa: S105 (public demo credential)


def _staff(  # noqa: PLR0913 (one demo sign-in, field by field)
    email: str,
    full_name: str,
    language: str,
    role: str,
    department: str = "",
    also: tuple[str, ...] = (),
) -> DemoAccount:
    return DemoAccount(
        email, STAFF_PASSWORD, full_name, language, role, department, also_department_codes=also
    )


DEMO_ACCOUNTS = (
    DemoAccount("demo@example.org", CITIZEN_PASSWORD, "Dominique Lavoie", "en"),
    # Public Works and Roads share their field crews, so the newcomer's agent and supervisor
    # meet the demo's commonest reports (potholes, sidewalks) as well as Public Works' own.
    _staff("agent@example.org", "Alexandre Gagnon", "fr", "agent", "public-works", ("roads",)),
    _staff(
        "supervisor@example.org", "Sophie Bélanger", "fr", "supervisor", "public-works", ("roads",)
    ),
    _staff("department-admin@example.org", "Martin Côté", "fr", "department_admin", "public-works"),
    _staff(
        "communications@example.org",
        "Emily Fraser",
        "en",
        "communications_officer",
        "communications",
    ),
    _staff("privacy@example.org", "Nathalie Desjardins", "fr", "privacy_officer"),
    _staff("admin@example.org", "Louis Archambault", "fr", "city_admin"),
    DemoAccount(
        "partner@example.org", PARTNER_PASSWORD, "Kevin Murphy", "en", partner_name=SNOW_CONTRACTOR
    ),
)

#: The demo's other agents: one in each department a service routes to, so that every request
#: the demo files reaches someone. They are not shown as sign-ins; the sign-ins above are the
#: ones a newcomer tries.
DEMO_COLLEAGUES = (
    _staff("roads@example.org", "Olivier Tremblay", "fr", "agent", "roads"),
    _staff("water@example.org", "Isabelle Roy", "fr", "agent", "water"),
    _staff("waste@example.org", "Daniel Morin", "fr", "agent", "waste-management"),
    _staff("parks@example.org", "Chloé Bouchard", "fr", "agent", "parks-recreation"),
    _staff("citizen-services@example.org", "Sarah O'Neill", "en", "agent", "citizen-services"),
    _staff("planning@example.org", "Marc-André Pelletier", "fr", "agent", "urban-planning"),
    _staff("fire@example.org", "Julie Lapointe", "fr", "agent", "fire"),
    _staff("web@example.org", "Noah Clarke", "en", "agent", "communications"),
    _staff("finance@example.org", "Catherine Gauthier", "fr", "agent", "finance"),
    _staff("clerk@example.org", "Philippe Caron", "fr", "agent", "clerk"),
)
