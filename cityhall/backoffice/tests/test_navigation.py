from django.urls import NoReverseMatch, resolve, reverse

from cityhall.accounts.permissions import Capability
from cityhall.backoffice.navigation import NAVIGATION, NavigationEntry, navigation_for

ADMIN_ONLY = Capability.MANAGE_PARTNERS
EVERYONE = Capability.OPEN_BACK_OFFICE
TABLE = (
    NavigationEntry("Dashboard", "backoffice:dashboard", EVERYONE),
    NavigationEntry("Public site", "portal:home", ADMIN_ONLY),
)


def test_agent_sees_only_the_entries_open_to_agents(agent):
    links = navigation_for(agent, entries=TABLE)

    assert [link.label for link in links] == ["Dashboard"]


def test_city_admin_sees_the_admin_entries_too(admin):
    links = navigation_for(admin, entries=TABLE)

    assert [(link.label, link.url) for link in links] == [
        ("Dashboard", "/en/staff/"),
        ("Public site", "/en/"),
    ]


def test_entries_whose_page_does_not_exist_are_left_out(admin):
    table = (*TABLE, NavigationEntry("Nowhere", "backoffice:no_such_page", EVERYONE))

    links = navigation_for(admin, entries=table)

    assert "Nowhere" not in [link.label for link in links]


def test_citizen_gets_no_back_office_navigation(citizen):
    assert navigation_for(citizen) == []


def test_anonymous_visitor_gets_no_back_office_navigation():
    from django.contrib.auth.models import AnonymousUser

    assert navigation_for(AnonymousUser()) == []


def test_inactive_staff_member_gets_no_navigation(agent):
    agent.is_active = False
    agent.save()

    assert navigation_for(agent) == []


def test_every_staff_role_reaches_the_dashboard(agent):
    links = navigation_for(agent)

    assert links[0].label == "Dashboard"


def test_every_entry_names_the_capability_its_page_requires():
    mismatched = []
    for entry in NAVIGATION:
        try:
            view = resolve(reverse(entry.url_name)).func
        except NoReverseMatch:
            continue
        if getattr(view, "required_capability", None) != entry.capability:
            mismatched.append(entry.url_name)

    assert mismatched == []
