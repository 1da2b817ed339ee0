"""Teams of a department, kept by its administrators (city administrators: every department).

A team's members are staff holding a handling role in the team's own department. A team that
has held requests is deactivated, never deleted, so that the queue and timelines keep its name.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from cityhall.accounts.models import Team, User
from cityhall.accounts.selectors import department_ids_administered_by
from cityhall.catalog.models import Department
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.servicerequests.selectors import team_members_to_choose

#: The audit-log action code of a team's creation or change.
TEAM_SAVED = "accounts.team_saved"
NAME_MAX_LENGTH = 120


@transaction.atomic
def save_team(  # noqa: PLR0913 (a team is these six things, written at once)
    *,
    actor: User,
    department: Department,
    team: Team | None,
    name_en: str,
    name_fr: str,
    members: Iterable[User],
    is_active: bool = True,
) -> Team:
    """Create a team in `department` (`team` None) or change `team`, which must belong to it.

    `members` replaces the team's members. Raises NotFound when `actor` does not administer
    the department, InvalidInput (`name_en`, `name_fr`, `members`) for a missing or taken name
    or someone who does not work in the department.
    """
    if department.pk not in department_ids_administered_by(actor) or (
        team is not None and team.department_id != department.pk
    ):
        raise NotFound
    names = {"name_en": name_en.strip(), "name_fr": name_fr.strip()}
    errors = _name_errors(department, team, names)
    chosen = {member.pk: member for member in members}
    allowed = set(team_members_to_choose(department_id=department.pk).values_list("pk", flat=True))
    if set(chosen) - allowed:
        errors["members"] = [_("Members must work in the team's department.")]
    if errors:
        raise InvalidInput(fields=errors)
    team = team or Team(department=department)
    team.name_en, team.name_fr, team.is_active = names["name_en"], names["name_fr"], is_active
    team.save()
    team.members.set(list(chosen.values()))
    record_audit_event(
        actor=actor,
        action=TEAM_SAVED,
        target=team,
        data={
            **names,
            "is_active": is_active,
            "members": sorted(str(member.public_id) for member in chosen.values()),
        },
    )
    return team


def _name_errors(
    department: Department, team: Team | None, names: dict[str, str]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    others = Team.objects.filter(department=department)
    if team is not None:
        others = others.exclude(pk=team.pk)
    for field, name in names.items():
        if not name:
            errors[field] = [_("Give the team a name.")]
        elif len(name) > NAME_MAX_LENGTH:
            errors[field] = [_("Keep the name under 120 characters.")]
        elif others.filter(**{f"{field}__iexact": name}).exists():
            errors[field] = [_("Another team of the department has this name.")]
    return errors
