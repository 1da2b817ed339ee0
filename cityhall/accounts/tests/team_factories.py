"""A factory for teams; it defaults to the "public-works" department, like request factories."""

from __future__ import annotations

import factory

from cityhall.accounts.models import Team


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    department = factory.SubFactory(
        "cityhall.catalog.tests.factories.DepartmentFactory", code="public-works"
    )
    name_en = factory.Sequence(lambda n: f"Crew {n}")
    name_fr = factory.Sequence(lambda n: f"Équipe {n}")
