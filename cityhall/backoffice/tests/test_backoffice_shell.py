from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

from cityhall.backoffice.access import mark_session_verified

PAGE = Template('{% extends "backoffice/base.html" %}{% block title %}Queue{% endblock %}')


def _render(user, *, verified=True, path="/en/staff/", language="en"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    if verified:
        mark_session_verified(request, user)
    with translation.override(language):
        return PAGE.render(RequestContext(request))


def test_back_office_shell_shows_an_agent_their_navigation_with_the_current_page(agent):
    text = _render(agent)

    assert '<nav class="main-nav" aria-label="Back office" data-collapsible>' in text
    assert '<a href="/en/staff/" aria-current="page">Dashboard</a>' in text


def test_agent_does_not_see_the_city_administration_entries(agent):
    text = _render(agent)

    assert "Staff and roles" not in text
    assert "Partners" not in text


def test_city_admin_sees_staff_and_partner_administration(admin):
    text = _render(admin)

    assert ">Staff and roles</a>" in text
    assert ">Partners</a>" in text


def test_no_navigation_before_the_second_sign_in_factor(admin):
    text = _render(admin, verified=False)

    assert 'class="main-nav"' not in text


def test_back_office_shell_has_no_navigation_for_a_citizen(citizen):
    text = _render(citizen)

    assert 'class="main-nav"' not in text


def test_back_office_title_names_the_page_the_back_office_and_the_city(agent):
    text = _render(agent)

    assert "<title>Queue · Back office · Rivière-aux-Saules</title>" in text


def test_back_office_shell_is_translated_into_french(agent):
    text = _render(agent, path="/fr/staff/", language="fr")

    assert '<html lang="fr">' in text
    assert '<a href="/fr/staff/" aria-current="page">Tableau de bord</a>' in text


def test_menu_marks_the_section_of_a_page_below_an_entry(admin):
    text = _render(admin, path="/en/staff/partners/new/")

    assert '<a href="/en/staff/partners/" aria-current="true">Partners</a>' in text
    assert '<a href="/en/staff/">Dashboard</a>' in text


def test_agent_reaches_the_work_queue_from_the_menu(agent):
    text = _render(agent)

    assert '<a href="/en/staff/requests/">Work queue</a>' in text
