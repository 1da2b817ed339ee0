"""Reads of the accounts domain: staff roles and departments, and the admin pages' objects.

`get_*_for_admin` selectors are the only door to staff and partner records in the back office:
they raise NotFound for anyone who is not a city administrator, so existence does not leak.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Prefetch, QuerySet

from cityhall.accounts.models import (
    ApiKey,
    PartnerMembership,
    PartnerOrganisation,
    PersonalAccessToken,
    StaffRole,
    User,
)
from cityhall.accounts.permissions import Capability, roles_with
from cityhall.accounts.tokens import (
    password_reset_tokens,
    read_email_verification_token,
    read_sign_in_token,
    sign_in_state_matches,
)
from cityhall.catalog.models import Department
from cityhall.core.errors import NotFound

Role = StaffRole.Role


def roles_for_staff(user: User) -> set[str]:
    """The role codes (`StaffRole.Role` values) `user` holds anywhere; empty for non-staff.

    Inactive accounts hold no roles, whatever rows remain.
    """
    if not (user.is_authenticated and user.is_active):
        return set()
    return set(StaffRole.objects.filter(user=user).values_list("role", flat=True))


def department_ids_for_staff(user: User, *, roles: set[str] | None = None) -> set[int]:
    """Ids of the departments where `user` holds one of `roles` (any role when None).

    A city-wide role (no department) covers every department, so it yields every id.
    """
    if not (user.is_authenticated and user.is_active):
        return set()
    staff_roles = StaffRole.objects.filter(user=user)
    if roles is not None:
        staff_roles = staff_roles.filter(role__in=roles)
    department_ids = set(staff_roles.values_list("department_id", flat=True))
    if None in department_ids:
        return set(Department.objects.values_list("id", flat=True))
    return {department_id for department_id in department_ids if department_id is not None}


def has_capability(user: User, capability: Capability) -> bool:
    """Whether `user` (active) holds a role carrying `capability` somewhere."""
    return not roles_for_staff(user).isdisjoint(roles_with(capability))


def department_ids_with(user: User, capability: Capability) -> set[int]:
    """Ids of the departments where `user` holds a role carrying `capability` (all of them
    for a city-wide role)."""
    return department_ids_for_staff(user, roles=set(roles_with(capability)))


def is_city_admin(user: User) -> bool:
    """Whether `user` is an active city administrator."""
    return Role.CITY_ADMIN in roles_for_staff(user)


def department_ids_administered_by(user: User) -> set[int]:
    """Departments whose roles `user` may grant: all for a city admin, else their own."""
    return department_ids_with(user, Capability.MANAGE_DEPARTMENT_STAFF)


def _require_partner_admin(actor: User) -> None:
    if not has_capability(actor, Capability.MANAGE_PARTNERS):
        raise NotFound


def staff_members_for_admin(*, actor: User) -> QuerySet[User]:
    """Staff accounts with their roles prefetched: all of them for a city administrator, those
    holding a role in their departments for a department administrator; NotFound otherwise."""
    roles = StaffRole.objects.select_related("department").order_by("role")
    staff = User.objects.filter(is_staff=True)
    if not is_city_admin(actor):
        department_ids = department_ids_administered_by(actor)
        if not department_ids:
            raise NotFound
        staff = staff.filter(staff_roles__department_id__in=department_ids).distinct()
    return staff.prefetch_related(Prefetch("staff_roles", queryset=roles)).order_by("email")


def get_staff_member_for_admin(*, actor: User, public_id: UUID) -> User:
    """One staff account among `staff_members_for_admin(actor=actor)`; NotFound otherwise."""
    user = staff_members_for_admin(actor=actor).filter(public_id=public_id).first()
    if user is None:
        raise NotFound
    return user


def get_staff_role_for_admin(*, actor: User, public_id: UUID) -> StaffRole:
    """One role grant, for someone allowed to revoke it; NotFound otherwise."""
    staff_role = (
        StaffRole.objects.select_related("user", "department").filter(public_id=public_id).first()
    )
    if staff_role is None:
        raise NotFound
    if not is_city_admin(actor) and staff_role.department_id not in department_ids_administered_by(
        actor
    ):
        raise NotFound
    return staff_role


def partner_organisations_for_admin(*, actor: User) -> QuerySet[PartnerOrganisation]:
    """Every partner organisation, for those holding MANAGE_PARTNERS (city administrators)."""
    _require_partner_admin(actor)
    return PartnerOrganisation.objects.order_by("name")


def get_partner_organisation_for_admin(*, actor: User, public_id: UUID) -> PartnerOrganisation:
    """One partner organisation, for a city administrator; NotFound otherwise."""
    organisation = partner_organisations_for_admin(actor=actor).filter(public_id=public_id).first()
    if organisation is None:
        raise NotFound
    return organisation


def api_keys_for_organisation(
    *, actor: User, organisation: PartnerOrganisation
) -> QuerySet[ApiKey]:
    """The organisation's keys (revoked ones included), newest first, for a city administrator."""
    _require_partner_admin(actor)
    return ApiKey.objects.filter(organisation=organisation).select_related("created_by")


def get_api_key_for_admin(*, actor: User, public_id: UUID) -> ApiKey:
    """One API key, for a city administrator; NotFound otherwise."""
    _require_partner_admin(actor)
    api_key = ApiKey.objects.select_related("organisation").filter(public_id=public_id).first()
    if api_key is None:
        raise NotFound
    return api_key


def get_partner_organisation_by_name(*, name: str) -> PartnerOrganisation:
    """The organisation called `name` (any case), for operator commands; NotFound otherwise."""
    organisation = PartnerOrganisation.objects.filter(name__iexact=name.strip()).first()
    if organisation is None:
        raise NotFound
    return organisation


def get_user_for_password_reset(*, public_id: UUID, token: str) -> User | None:
    """The active account a reset link names, if the link is still valid; else None."""
    user = User.objects.filter(public_id=public_id, is_active=True).first()
    if user is None or not password_reset_tokens.check_token(user, token):
        return None
    return user


def partner_organisations_for_user(user: User) -> QuerySet[PartnerOrganisation]:
    """The active organisations `user` is a member of."""
    return PartnerOrganisation.objects.filter(memberships__user=user, is_active=True).order_by(
        "name"
    )


def get_active_user(*, public_id: UUID | str) -> User | None:
    """The active account with this public id, or None (for multi-step sign-in pages)."""
    return User.objects.filter(public_id=public_id, is_active=True).first()


def get_department_by_code(*, code: str) -> Department:
    """The department with this code, for operator commands; NotFound otherwise."""
    department = Department.objects.filter(code=code.strip()).first()
    if department is None:
        raise NotFound
    return department


def get_user_for_sign_in_link(*, token: str) -> User | None:
    """The active account a sign-in link names, if the link is still unused and unexpired."""
    payload = read_sign_in_token(token)
    if payload is None:
        return None
    public_id, state = payload
    user = User.objects.filter(public_id=public_id, is_active=True).first()
    if user is None or not sign_in_state_matches(user, state):
        return None
    return user


def get_user_for_email_verification(*, token: str) -> User | None:
    """The active account an email confirmation link names, if the link is sound and unexpired."""
    payload = read_email_verification_token(token)
    if payload is None:
        return None
    public_id, email = payload
    return User.objects.filter(public_id=public_id, is_active=True, email=email).first()


def partner_memberships_for_admin(
    *, actor: User, organisation: PartnerOrganisation
) -> QuerySet[PartnerMembership]:
    """The organisation's members with their accounts, for a city administrator."""
    _require_partner_admin(actor)
    return PartnerMembership.objects.filter(organisation=organisation).select_related("user")


def get_partner_membership_for_admin(*, actor: User, public_id: UUID) -> PartnerMembership:
    """One membership, for a city administrator; NotFound otherwise."""
    _require_partner_admin(actor)
    membership = (
        PartnerMembership.objects.select_related("organisation", "user")
        .filter(public_id=public_id)
        .first()
    )
    if membership is None:
        raise NotFound
    return membership


def get_user_by_email_for_admin(*, actor: User, email: str) -> User:
    """The active account using `email`, for a city administrator; NotFound otherwise."""
    _require_partner_admin(actor)
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise NotFound
    return user


def departments_for_role_grants(*, actor: User) -> QuerySet[Department]:
    """The departments in which `actor` may grant and revoke roles (none for most people)."""
    return Department.objects.filter(id__in=department_ids_administered_by(actor))


def access_tokens_for_user(*, user: User) -> QuerySet[PersonalAccessToken]:
    """The personal access tokens `user` owns (revoked ones too), newest first."""
    return PersonalAccessToken.objects.filter(user=user).order_by("-created_at", "-id")


def get_access_token_for_user(*, user: User, public_id: UUID) -> PersonalAccessToken:
    """One of `user`'s own tokens; NotFound for anyone else's."""
    access_token = access_tokens_for_user(user=user).filter(public_id=public_id).first()
    if access_token is None:
        raise NotFound
    return access_token


def get_active_partner_organisation(*, public_id: UUID) -> PartnerOrganisation | None:
    """The active partner organisation with this public id, or None (for assignment inputs)."""
    return PartnerOrganisation.objects.filter(public_id=public_id, is_active=True).first()
