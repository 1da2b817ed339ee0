"""Factories for accounts: users, staff roles, partner organisations."""

from __future__ import annotations

import factory
from django.utils import timezone

from cityhall.accounts.models import PartnerMembership, PartnerOrganisation, StaffRole, User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        # An unconfirmed address cannot hold a usable password (a database constraint).
        if self.email_verified_at is None:
            self.set_unusable_password()
        if create:
            self.save()


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory, is_staff=True)
    role = StaffRole.Role.AGENT
    department = factory.SubFactory("cityhall.catalog.tests.factories.DepartmentFactory")


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = PartnerOrganisation.Kind.CONTRACTOR


class PartnerMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerMembership

    organisation = factory.SubFactory(PartnerOrganisationFactory)
    user = factory.SubFactory(UserFactory)
