"""Partner organisations (city admin): create → add and remove members.

Organisations act through their API keys (see api_keys) and through member accounts.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cityhall.accounts.audit_actions import AccountsAuditAction
from cityhall.accounts.models import PartnerMembership, PartnerOrganisation, User
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import has_capability
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput, PermissionDenied


def check_partner_admin(actor: User | None) -> None:
    """Raise PermissionDenied unless `actor` holds MANAGE_PARTNERS, or is None (operator)."""
    if actor is not None and not has_capability(actor, Capability.MANAGE_PARTNERS):
        raise PermissionDenied


@transaction.atomic
def create_partner_organisation(
    *, actor: User | None, name: str, kind: str, email: str = ""
) -> PartnerOrganisation:
    """Register a partner organisation.

    `actor` must be a city administrator (None: the operator at the command line). Raises
    PermissionDenied otherwise, InvalidInput for bad data and Conflict when the name is taken.
    """
    check_partner_admin(actor)
    name = " ".join(name.split())
    if PartnerOrganisation.objects.filter(name__iexact=name).exists():
        raise Conflict(_("An organisation with this name already exists."))
    organisation = PartnerOrganisation(name=name, kind=kind, email=email.strip().lower())
    try:
        organisation.full_clean()
    except ValidationError as error:
        raise InvalidInput(fields=error.message_dict) from error
    organisation.save()
    record_audit_event(
        actor=actor, action=AccountsAuditAction.PARTNER_ORGANISATION_CREATED, target=organisation
    )
    return organisation


@transaction.atomic
def add_partner_member(
    *, actor: User | None, organisation: PartnerOrganisation, user: User, is_manager: bool = False
) -> PartnerMembership:
    """Let `user` act for `organisation`.

    Raises PermissionDenied unless `actor` is a city administrator (or None), Conflict when
    the user is already a member.
    """
    check_partner_admin(actor)
    if PartnerMembership.objects.filter(organisation=organisation, user=user).exists():
        raise Conflict(_("This person is already a member."))
    membership = PartnerMembership.objects.create(
        organisation=organisation, user=user, is_manager=is_manager
    )
    record_audit_event(
        actor=actor,
        action=AccountsAuditAction.PARTNER_MEMBER_ADDED,
        target=organisation,
        data={"user": str(user.public_id), "is_manager": is_manager},
    )
    return membership


@transaction.atomic
def remove_partner_member(*, actor: User | None, membership: PartnerMembership) -> None:
    """Stop a user acting for an organisation. Raises PermissionDenied as add_partner_member."""
    check_partner_admin(actor)
    organisation, user = membership.organisation, membership.user
    membership.delete()
    record_audit_event(
        actor=actor,
        action=AccountsAuditAction.PARTNER_MEMBER_REMOVED,
        target=organisation,
        data={"user": str(user.public_id)},
    )
