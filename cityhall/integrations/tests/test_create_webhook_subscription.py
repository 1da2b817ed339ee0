"""Who may subscribe what, and which addresses are accepted."""

from __future__ import annotations

import socket

import pytest

from cityhall.accounts.tests.factories import (
    PartnerMembershipFactory,
    PartnerOrganisationFactory,
    StaffRoleFactory,
)
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.core.errors import InvalidInput
from cityhall.integrations.services import SubscriptionOwner, create_webhook_subscription

pytestmark = pytest.mark.django_db
CITY_SYSTEM = SubscriptionOwner(city_system="Asset management")


def subscribe(actor, *, owner=CITY_SYSTEM, url="https://hooks.example.org/in", events=None):
    return create_webhook_subscription(
        actor=actor,
        owner=owner,
        target_url=url,
        events=events if events is not None else ["service_request.created"],
    )


def refused_fields(call):
    with pytest.raises(InvalidInput) as error:
        call()
    return set(error.value.fields)


def test_plain_http_is_accepted_only_to_this_machine_under_the_loopback_allowance(admin, settings):
    settings.OUTBOUND_ALLOW_LOOPBACK = True

    assert subscribe(admin, url="http://127.0.0.1:8123/in").subscription.is_active
    assert refused_fields(lambda: subscribe(admin, url="http://93.184.215.14/in")) == {"target_url"}

    settings.OUTBOUND_ALLOW_LOOPBACK = False

    assert refused_fields(lambda: subscribe(admin, url="http://127.0.0.1:9")) == {"target_url"}
    assert subscribe(admin, url="https://hooks.example.org/in").subscription.is_active


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9",
        "https://10.1.2.3/in",
        "https://[::1]/in",
        "https://169.254.169.254/latest",
        "https://localhost/",
        "https://127.1/",
        "https://2130706433/",
        "https://0x7f.0.0.1/",
        "https://0177.0.0.1/",
        "https://0/",
    ],
)
def test_addresses_inside_the_network_are_refused_in_any_spelling(admin, settings, url):
    settings.OUTBOUND_ALLOW_LOOPBACK = False

    assert refused_fields(lambda: subscribe(admin, url=url)) == {"target_url"}


def test_a_name_that_resolves_inside_the_network_is_refused(admin, settings, monkeypatch):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda _host, port, *a, **k: real_getaddrinfo("10.0.0.5", port)
    )

    assert refused_fields(lambda: subscribe(admin, url="https://hooks.example.org/in")) == {
        "target_url"
    }


@pytest.mark.parametrize("events", [[], ["service_request.deleted"]], ids=["none", "unknown"])
def test_events_must_be_known_and_at_least_one(admin, events):
    assert refused_fields(lambda: subscribe(admin, events=events)) == {"events"}


def test_only_a_partner_subscribes_to_its_members_notifications(admin):
    partner = SubscriptionOwner(partner=PartnerOrganisationFactory())
    events = ["notification.sent"]

    assert refused_fields(lambda: subscribe(admin, events=events)) == {"events"}
    assert subscribe(admin, owner=partner, events=events).subscription.events == events


def test_a_subscription_has_exactly_one_owner(admin):
    nobody = SubscriptionOwner()
    both = SubscriptionOwner(partner=PartnerOrganisationFactory(), city_system="Assets")

    for owner in (nobody, both):
        assert refused_fields(lambda owner=owner: subscribe(admin, owner=owner)) == {"city_system"}


def test_a_department_admin_subscribes_only_their_departments_systems():
    parks = DepartmentFactory(code="parks")
    department_admin = StaffRoleFactory(role="department_admin", department=parks).user
    partner = SubscriptionOwner(partner=PartnerOrganisationFactory())
    elsewhere = SubscriptionOwner(city_system="Roads", department=DepartmentFactory())

    for owner in (partner, elsewhere, CITY_SYSTEM):
        assert refused_fields(lambda owner=owner: subscribe(department_admin, owner=owner)) == {
            "department"
        }
    own = SubscriptionOwner(city_system="Irrigation", department=parks)
    assert subscribe(department_admin, owner=own).subscription.department == parks


def test_a_partners_manager_subscribes_that_partner_only():
    membership = PartnerMembershipFactory(is_manager=True)
    plain = PartnerMembershipFactory(organisation=membership.organisation, is_manager=False)
    own = SubscriptionOwner(partner=membership.organisation)
    other = SubscriptionOwner(partner=PartnerOrganisationFactory())

    assert subscribe(membership.user, owner=own).subscription.partner == membership.organisation
    assert refused_fields(lambda: subscribe(membership.user, owner=other)) == {"department"}
    assert refused_fields(lambda: subscribe(plain.user, owner=own)) == {"department"}
    assert refused_fields(lambda: subscribe(membership.user)) == {"department"}
