import pytest
from django.core.exceptions import ValidationError

from cityhall.notifications.tests.factories import TemplateFactory

pytestmark = pytest.mark.django_db


def test_a_template_using_only_declared_variables_is_accepted():
    template = TemplateFactory.build()

    template.full_clean()


def test_an_undeclared_variable_is_rejected():
    template = TemplateFactory.build(body="Hello {{ name }} from {{ district }}.")

    with pytest.raises(ValidationError) as caught:
        template.full_clean()

    assert caught.value.message_dict["body"] == ["Unknown variables: district."]


def test_an_undeclared_variable_in_the_subject_is_rejected():
    template = TemplateFactory.build(subject="About {{ street }}")

    with pytest.raises(ValidationError) as caught:
        template.full_clean()

    assert "subject" in caught.value.message_dict


@pytest.mark.parametrize(
    "body", ["{% if name %}x{% endif %}", "{{ name|upper }}", "{{ name.attr }}"]
)
def test_template_language_beyond_plain_placeholders_is_rejected(body):
    template = TemplateFactory.build(body=body)

    with pytest.raises(ValidationError, match="Only"):
        template.full_clean()


def test_variables_must_be_a_list_of_names():
    template = TemplateFactory.build(variables={"name": "x"})

    with pytest.raises(ValidationError):
        template.full_clean()


def test_saving_a_template_with_an_unknown_variable_is_refused():
    with pytest.raises(ValidationError):
        TemplateFactory(body="Hello {{ stranger }}.")
