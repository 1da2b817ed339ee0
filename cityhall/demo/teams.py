"""The demo city's teams: a few per department, with the demo staff as members, each holding
some of the year's open requests so that "My teams' requests" has something in it.

Teams are created through `save_team` and requests given to them through `assign_team`, both
by the demo city administrator, as staff would.
"""

from __future__ import annotations

from collections.abc import Sequence

from cityhall.accounts.models import Team, User
from cityhall.catalog.models import Department
from cityhall.demo.generator.administration import DEMO_ACCOUNTS, TEAMS, GeneratedTeam
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import team_members_to_choose
from cityhall.servicerequests.services import assign_team, save_team

#: Requests each team is given, at most.
REQUESTS_PER_TEAM = 4
CITY_ADMIN = "city_admin"


def demo_admin() -> User | None:
    """The demo city administrator; an administrator of the real city never acts for the demo."""
    email = next(account.email for account in DEMO_ACCOUNTS if account.role == CITY_ADMIN)
    return User.objects.filter(email=email, is_active=True).first()


def create_demo_teams() -> list[str]:
    """Create the demo's teams in departments that exist; return the new teams' public ids.

    A team that already exists (same department and English name) is left alone and not
    counted as the demo's own; nothing is created without the demo city administrator.
    """
    admin = demo_admin()
    if admin is None:
        return []
    departments = {
        department.code: department
        for department in Department.objects.filter(code__in={t.department_code for t in TEAMS})
    }
    created: list[str] = []
    for generated in TEAMS:
        department = departments.get(generated.department_code)
        if department is None or _exists(department, generated):
            continue
        team = save_team(
            actor=admin,
            department=department,
            team=None,
            name_en=generated.name_en,
            name_fr=generated.name_fr,
            # Only those who still work in the department (an account may pre-date the demo).
            members=team_members_to_choose(department_id=department.pk).filter(
                email__in=generated.member_emails
            ),
        )
        created.append(str(team.public_id))
    return created


def _exists(department: Department, generated: GeneratedTeam) -> bool:
    return Team.objects.filter(department=department, name_en__iexact=generated.name_en).exists()


def give_requests_to_demo_teams(*, team_ids: Sequence[str], tracking_numbers: Sequence[str]) -> int:
    """Give each new demo team a few of the demo's newest open requests for its services.

    Returns how many requests were given; none without the demo city administrator.
    """
    admin = demo_admin()
    if admin is None:
        return 0
    teams = {
        (team.department.code, team.name_en): team
        for team in Team.objects.filter(public_id__in=team_ids).select_related("department")
    }
    given = 0
    for generated in TEAMS:
        team = teams.get((generated.department_code, generated.name_en))
        if team is not None:
            for service_request in _open_requests_for(team, generated, tracking_numbers):
                assign_team(service_request=service_request, actor=admin, team=team)
                given += 1
    return given


def _open_requests_for(
    team: Team, generated: GeneratedTeam, tracking_numbers: Sequence[str]
) -> list[ServiceRequest]:
    # Only open requests: a settled one given to a team today would end its timeline with a
    # step after its closing. Routing rules may send a service's requests elsewhere, so only
    # the team's department counts.
    return list(
        ServiceRequest.objects.filter(
            tracking_number__in=tracking_numbers,
            department_id=team.department_id,
            service__code__in=generated.service_codes,
            status__in=sorted(ServiceRequest.OPEN_STATUSES),
            assigned_partner__isnull=True,
            assigned_team__isnull=True,
        )
        .select_related("department", "assignee")
        .order_by("-created_at", "-id")[:REQUESTS_PER_TEAM]
    )


def delete_demo_teams(team_ids: Sequence[str]) -> int:
    """Delete the demo's teams (after its requests, which they may hold); return how many."""
    deleted, _ = Team.objects.filter(public_id__in=team_ids).delete()
    return deleted
