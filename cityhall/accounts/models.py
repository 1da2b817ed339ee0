"""People and organisations that sign in: citizens, staff with roles, partner organisations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.catalog.models import BilingualNameMixin
from cityhall.core.models import BaseModel


class UserManager(BaseUserManager["User"]):
    """Creates users keyed by a normalised email address."""

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        # The operator at the command line vouches for the address, so the password may stand.
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **fields)


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in. Citizens have no staff role; staff have roles per department."""

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language, default=Language.ENGLISH
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff member"), default=False)
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    #: Base32 TOTP secret; staff must confirm it before it counts (see totp_confirmed_at).
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    #: The last TOTP time step accepted, so that one code cannot be replayed.
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    #: When the account was closed and its owner's data erased: the row stays, anonymised, so
    #: that foreign keys and the audit log keep pointing somewhere (privacy.erasure).
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]  # an instance of Django's class setting

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique"),
            # A password set before the owner proved the address may be a stranger's (account
            # pre-hijacking): until then the password is empty or unusable ("!…").
            models.CheckConstraint(
                condition=Q(email_verified_at__isnull=False)
                | Q(password="")
                | Q(password__startswith=UNUSABLE_PASSWORD_PREFIX),
                name="unverified_account_has_no_usable_password",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def has_verified_email(self) -> bool:
        return self.email_verified_at is not None


class StaffRole(BaseModel):
    """A role a staff member holds, in one department or (department empty) city-wide."""

    class Role(models.TextChoices):
        AGENT = "agent", _("Agent")
        SUPERVISOR = "supervisor", _("Supervisor")
        DEPARTMENT_ADMIN = "department_admin", _("Department administrator")
        COMMUNICATIONS_OFFICER = "communications_officer", _("Communications officer")
        PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
        CITY_ADMIN = "city_admin", _("City administrator")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=40, choices=Role)
    department = models.ForeignKey(
        "catalog.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="staff_roles",
    )

    class Meta:
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "department"], name="staff_role_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(department__isnull=True),
                name="staff_city_wide_role_unique",
            ),
        ]

    def __str__(self) -> str:
        where = self.department.code if self.department is not None else "city"
        return f"{self.user} {self.role}@{where}"


class PartnerOrganisation(BaseModel):
    """A utility, contractor, community group or business that works with the city."""

    class Kind(models.TextChoices):
        UTILITY = "utility", _("Utility")
        CONTRACTOR = "contractor", _("Contractor")
        COMMUNITY_GROUP = "community_group", _("Community group")
        BUSINESS = "business", _("Business")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    email = models.EmailField(_("contact email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerMembership(BaseModel):
    """A user who acts for a partner organisation."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="partner_memberships")
    is_manager = models.BooleanField(_("can manage the organisation"), default=False)

    class Meta:
        ordering = ["organisation_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="partner_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class ApiKey(BaseModel):
    """A partner's key for the APIs. Only a hash of the secret is stored; the key is shown once.

    The presented key is `<prefix>.<secret>`: the prefix finds the row, the secret is checked
    against `secret_hash` in constant time.
    """

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=128)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name} ({self.prefix})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class PersonalAccessToken(BaseModel):
    """A person's token for the API: it acts as that person, never with more assurance than
    the sign-in that made it.

    Like an ApiKey, the token reads `<prefix>.<secret>`, only a digest of the secret is stored
    and the full token is shown once. It stops working when revoked or past `expires_at`.
    Only a token made from a back-office session that passed two-factor sign-in
    (`is_staff_verified`) stands for staff; it always expires.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("name"), max_length=100)
    #: Made from the owner's own two-factor staff session; only then does the token act as staff.
    is_staff_verified = models.BooleanField(default=False)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_staff_verified=False) | Q(expires_at__isnull=False),
                name="staff_access_token_expires",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.name} ({self.prefix})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Team(BilingualNameMixin, BaseModel):
    """A named group of one department's staff (a crew, a shift) that requests are given to.

    Members are staff of the team's department; the assignment service and the back office
    only offer active teams of a request's own department.
    """

    department = models.ForeignKey(
        "catalog.Department", on_delete=models.CASCADE, related_name="teams"
    )
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    members = models.ManyToManyField(User, blank=True, related_name="teams")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["department_id", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name_en"], name="team_name_en_unique"),
            models.UniqueConstraint(fields=["department", "name_fr"], name="team_name_fr_unique"),
        ]

    def __str__(self) -> str:
        return self.name
