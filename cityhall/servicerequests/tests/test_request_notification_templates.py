"""Every event a request tells people about has a valid template in English and French."""

from __future__ import annotations

import pytest

from cityhall.notifications.models import Template
from cityhall.servicerequests.notices import (
    CITIZEN_VARIABLES,
    SLA_BREACH_TEMPLATE,
    SLA_WARNING_TEMPLATE,
    STAFF_VARIABLES,
    STATUS_TEMPLATES,
    SURVEY_TEMPLATE,
    UPDATE_TEMPLATE,
)

CITIZEN_CODES = [*STATUS_TEMPLATES.values(), UPDATE_TEMPLATE, SURVEY_TEMPLATE]
STAFF_CODES = [SLA_WARNING_TEMPLATE, SLA_BREACH_TEMPLATE]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "variables"),
    [(code, CITIZEN_VARIABLES) for code in CITIZEN_CODES]
    + [(code, STAFF_VARIABLES) for code in STAFF_CODES],
)
def test_each_event_has_a_valid_template_in_both_languages(code, variables):
    templates = Template.objects.filter(code=code, channel="")

    assert sorted(templates.values_list("language", flat=True)) == ["en", "fr"]
    for template in templates:
        template.clean()
        assert set(template.variables) <= set(variables)
