import pytest

from cityhall.accounts.models import PartnerMembership, PartnerOrganisation
from cityhall.accounts.services import (
    add_partner_member,
    create_partner_organisation,
    remove_partner_member,
)
from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.core.errors import Conflict, InvalidInput, PermissionDenied
from cityhall.core.models import AuditEvent


@pytest.mark.django_db
def test_a_city_admin_registers_an_organisation(admin):
    organisation = create_partner_organisation(
        actor=admin, name="  Hydro   Rivière ", kind="utility", email="Ops@Hydro.example"
    )

    assert (organisation.name, organisation.email) == ("Hydro Rivière", "ops@hydro.example")
    assert AuditEvent.objects.get(action="accounts.partner_organisation_created").actor == admin


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["agent", "supervisor", "citizen", "partner"])
def test_only_a_city_admin_registers_organisations(persona, request):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        create_partner_organisation(actor=actor, name="Sneaky", kind="business")

    assert not PartnerOrganisation.objects.filter(name="Sneaky").exists()


@pytest.mark.django_db
def test_a_taken_name_is_a_conflict(admin):
    PartnerOrganisationFactory(name="Hydro Rivière")

    with pytest.raises(Conflict):
        create_partner_organisation(actor=admin, name="hydro rivière", kind="utility")


@pytest.mark.django_db
def test_an_unknown_kind_is_refused(admin):
    with pytest.raises(InvalidInput) as caught:
        create_partner_organisation(actor=admin, name="Odd", kind="cartel")

    assert "kind" in caught.value.fields


@pytest.mark.django_db
def test_a_city_admin_adds_and_removes_a_member(admin, citizen):
    organisation = PartnerOrganisationFactory()

    membership = add_partner_member(
        actor=admin, organisation=organisation, user=citizen, is_manager=True
    )
    remove_partner_member(actor=admin, membership=membership)

    assert not PartnerMembership.objects.filter(user=citizen).exists()
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["accounts.partner_member_added", "accounts.partner_member_removed"]


@pytest.mark.django_db
def test_adding_a_member_twice_is_a_conflict(admin, partner):
    organisation = PartnerMembership.objects.get(user=partner).organisation

    with pytest.raises(Conflict):
        add_partner_member(actor=admin, organisation=organisation, user=partner)


@pytest.mark.django_db
def test_a_partner_cannot_manage_members(partner, citizen):
    membership = PartnerMembership.objects.get(user=partner)

    with pytest.raises(PermissionDenied):
        add_partner_member(actor=partner, organisation=membership.organisation, user=citizen)
    with pytest.raises(PermissionDenied):
        remove_partner_member(actor=partner, membership=membership)
