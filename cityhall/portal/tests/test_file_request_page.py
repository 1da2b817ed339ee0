import pytest
from django.db import DatabaseError

from cityhall.catalog.models import ServiceField
from cityhall.catalog.tests.factories import (
    ServiceFactory,
    ServiceFieldChoiceFactory,
    ServiceFieldFactory,
)
from cityhall.places.tests.factories import AddressFactory, DistrictFactory
from cityhall.servicerequests.models import ServiceRequest

FORM = "/en/services/pothole/request/"
Datatype = ServiceField.Datatype


@pytest.fixture
def pothole(db):
    service = ServiceFactory(code="pothole", name_en="Pothole", name_fr="Nid-de-poule")
    ServiceFieldFactory(
        service=service, code="depth", datatype=Datatype.NUMBER, is_required=True,
        label_en="Depth (cm)", label_fr="Profondeur (cm)",
        help_text_en="Roughly.", help_text_fr="À peu près.",
    )  # fmt: skip
    ServiceFieldFactory(service=service, code="lane", datatype=Datatype.STRING, label_en="Lane")
    ServiceFieldFactory(service=service, code="notes", datatype=Datatype.TEXT, label_en="Notes")
    ServiceFieldFactory(
        service=service, code="seen", datatype=Datatype.DATETIME, label_en="Seen at"
    )
    size = ServiceFieldFactory(
        service=service, code="size", datatype=Datatype.SINGLE_VALUE_LIST, label_en="Size",
        label_fr="Taille",
    )  # fmt: skip
    ServiceFieldChoiceFactory(field=size, key="small", name_en="Small", name_fr="Petit")
    ServiceFieldChoiceFactory(field=size, key="large", name_en="Large", name_fr="Grand")
    hazards = ServiceFieldFactory(
        service=service, code="hazards", datatype=Datatype.MULTI_VALUE_LIST, label_en="Hazards"
    )
    ServiceFieldChoiceFactory(field=hazards, key="water", name_en="Water")
    ServiceFieldChoiceFactory(field=hazards, key="ice", name_en="Ice")
    return service


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def _key(client, url=FORM):
    page = client.get(url).content.decode()
    return page.split('name="idempotency_key" value="')[1].split('"')[0]


def _valid(client, **overrides):
    data = {
        "idempotency_key": _key(client),
        "description": "A deep pothole by the school gate.",
        "answer_depth": "12",
        "answer_lane": "North",
        "answer_notes": "Since Monday.",
        "answer_seen": "2026-11-20T08:30",
        "answer_size": "large",
        "answer_hazards": ["water", "ice"],
        "address": "",
    }
    return data | overrides


def test_every_field_type_is_rendered_with_its_label_help_and_marker(signed_in, pothole):
    page = signed_in.get(FORM).content.decode()

    assert 'name="answer_depth"' in page
    assert 'inputmode="decimal"' in page
    assert "Roughly." in page
    assert 'aria-describedby="id_answer_depth_helptext"' in page
    assert 'name="answer_lane"' in page
    assert '<textarea name="answer_notes"' in page
    assert 'type="datetime-local" name="answer_seen"' in page
    assert 'type="radio" name="answer_size" value="large"' in page
    assert 'type="checkbox" name="answer_hazards" value="ice"' in page
    assert "<legend>Size <span" in page
    assert 'Depth (cm) <span class="hint">(required)</span>' in page


def test_questions_are_worded_in_the_active_language(signed_in, pothole):
    page = signed_in.get("/fr/services/pothole/request/").content.decode()

    assert "Profondeur (cm)" in page
    assert "À peu près." in page
    assert "Grand" in page


def test_a_valid_request_is_filed_with_its_answers_and_shows_its_status(
    signed_in, citizen, pothole
):
    response = signed_in.post(FORM, _valid(signed_in))

    service_request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response.url == f"/en/requests/{service_request.tracking_number}/"
    assert service_request.reporter == citizen
    assert service_request.channel == "portal"
    assert service_request.answers["depth"] == 12
    assert service_request.answers["size"] == "large"
    assert service_request.answers["hazards"] == ["water", "ice"]
    assert service_request.answers["seen"].startswith("2026-11-20T")


def test_bad_answers_are_shown_next_to_their_fields_and_keep_what_was_typed(signed_in, pothole):
    data = _valid(signed_in, answer_depth="deep", answer_seen="yesterday", answer_size="huge")

    page = signed_in.post(FORM, data).content.decode()

    assert ServiceRequest.objects.count() == 0
    assert 'id="id_answer_depth_error"' in page
    assert "Enter a number." in page
    assert 'id="id_answer_seen_error"' in page
    assert 'id="id_answer_size_error"' in page
    assert 'href="#id_answer_depth"' in page  # the error summary links to the field
    assert 'value="deep"' in page
    assert "A deep pothole by the school gate." in page
    assert 'value="ice" id="id_answer_hazards_1" checked' in page


def test_every_mistake_is_shown_in_one_round(signed_in, pothole):
    data = _valid(signed_in, answer_depth="", description="Hole", address="999 nowhere street")

    page = signed_in.post(FORM, data).content

    assert ServiceRequest.objects.count() == 0
    assert b'id="id_answer_depth_error"' in page
    assert b'id="id_description_error"' in page
    assert b'id="id_address_error"' in page


def test_one_matching_address_locates_the_request(signed_in, pothole):
    AddressFactory(civic_number="123", street_name="Rue des Érables", latitude=45.52)

    signed_in.post(FORM, _valid(signed_in, address="123 rue des erables"))

    service_request = ServiceRequest.objects.get()
    assert service_request.latitude == 45.52
    assert service_request.address_text == "123 Rue des Érables"


def test_several_matching_addresses_are_offered_to_choose_from(signed_in, pothole):
    AddressFactory(civic_number="123", street_name="Rue des Érables", latitude=45.52)
    chosen = AddressFactory(civic_number="123", street_name="Rue des Érables", unit="2",
                            latitude=45.53)  # fmt: skip
    data = _valid(signed_in, address="123 rue des erables")

    page = signed_in.post(FORM, data).content.decode()
    assert ServiceRequest.objects.count() == 0
    assert "Which place do you mean?" in page
    assert "This field is required" not in page
    signed_in.post(FORM, data | {"address_choice": str(chosen.public_id)})

    assert ServiceRequest.objects.get().latitude == 45.53


def test_an_ambiguous_place_is_announced_in_the_error_summary(signed_in, pothole):
    AddressFactory(civic_number="123", street_name="Rue des Érables", latitude=45.52)
    AddressFactory(civic_number="123", street_name="Rue des Érables", unit="2", latitude=45.53)

    page = signed_in.post(FORM, _valid(signed_in, address="123 rue des erables")).content.decode()

    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_address_choice"' in summary
    assert "Several places match what you typed." in summary
    assert page.count("Several places match what you typed.") == 2  # and at the choice


def test_a_place_already_shown_on_the_map_is_not_asked_again(signed_in, pothole):
    AddressFactory(civic_number="123", street_name="Rue des Érables", latitude=45.52)
    AddressFactory(civic_number="123", street_name="Rue des Érables", unit="2", latitude=45.53)
    shown = {"latitude": "45.530000", "longitude": "-73.590000"}

    response = signed_in.post(FORM, _valid(signed_in, address="123 rue des erables") | shown)

    assert response.status_code == 302
    assert ServiceRequest.objects.get().latitude == 45.53


def test_a_number_missing_from_the_register_is_offered_at_its_estimated_position(
    signed_in, pothole
):
    AddressFactory(civic_number="117", street_name="Rue des Érables", latitude=45.5100)
    AddressFactory(civic_number="123", street_name="Rue des Érables", latitude=45.5106)
    data = _valid(signed_in, address="121 rue des erables")

    page = signed_in.post(FORM, data).content.decode()
    estimate = page.split('name="address_choice" value="')[1].split('"')[0]
    signed_in.post(FORM, data | {"address_choice": estimate})

    assert "121 Rue des Érables (estimated position, between 117 and 123)" in page
    assert "Rue des Érables (the street; mark the spot on the map to be precise)" in page
    service_request = ServiceRequest.objects.get()
    assert service_request.address_text == "121 Rue des Érables"
    assert service_request.latitude == pytest.approx(45.5104)


def test_the_street_alone_locates_the_request_on_the_street(signed_in, pothole):
    AddressFactory(civic_number="117", street_name="Rue des Érables", latitude=45.5100)
    AddressFactory(civic_number="123", street_name="Rue des Érables", latitude=45.5106)

    signed_in.post(FORM, _valid(signed_in, address="rue des érables"))

    service_request = ServiceRequest.objects.get()
    assert service_request.address_text == "Rue des Érables"
    assert service_request.latitude is not None
    assert 45.5100 <= service_request.latitude <= 45.5106


def test_an_unknown_address_is_an_error_at_the_field_keeping_the_rest(signed_in, pothole):
    page = signed_in.post(FORM, _valid(signed_in, address="999 nowhere street")).content.decode()

    assert ServiceRequest.objects.count() == 0
    assert 'id="id_address_error"' in page
    assert "No address, street or place in the city matches" in page
    assert 'value="999 nowhere street"' in page
    assert 'value="North"' in page


def test_a_position_from_the_browser_locates_the_request(signed_in, pothole):
    signed_in.post(FORM, _valid(signed_in, latitude="45.51", longitude="-73.59"))

    assert ServiceRequest.objects.get().longitude == -73.59


def test_a_position_outside_the_city_is_an_error_at_the_place(signed_in, pothole):
    DistrictFactory(south=45.50, west=-73.60, size=0.02)

    page = signed_in.post(FORM, _valid(signed_in, latitude="48.0", longitude="-70.0"))

    html = page.content.decode()
    assert not ServiceRequest.objects.exists()
    assert 'id="id_address_error"' in html
    assert "This place is outside the city." in html


def test_posting_the_same_form_twice_files_one_request(signed_in, pothole):
    data = _valid(signed_in)

    first = signed_in.post(FORM, data)
    second = signed_in.post(FORM, data)

    assert ServiceRequest.objects.count() == 1
    assert first.url == second.url


def test_an_anonymous_visitor_files_when_the_service_allows_it_once_per_form(client, pothole):
    pothole.allows_anonymous = True
    pothole.save()
    data = _valid(client, contact_email="neighbour@example.org")

    client.post(FORM, data)
    client.post(FORM, data)

    service_request = ServiceRequest.objects.get()
    assert service_request.reporter is None
    assert service_request.contact_email == "neighbour@example.org"


def test_an_anonymous_visitor_is_asked_to_sign_in_when_the_service_needs_it(client, pothole):
    shown = client.get(FORM)
    posted = client.post(FORM, {"description": "A deep pothole by the school gate."})

    assert "Sign in to make this request" in shown.content.decode()
    assert "/en/account/sign-in/?next=" in shown.content.decode()
    assert posted.status_code == 200
    assert ServiceRequest.objects.count() == 0


def test_a_service_closed_to_requests_shows_no_form(signed_in, pothole):
    pothole.accepts_requests = False
    pothole.save()

    page = signed_in.get(FORM).content.decode()

    assert "does not accept new requests" in page
    assert 'name="description"' not in page


def test_an_unknown_service_is_not_found(signed_in, db):
    assert signed_in.get("/en/services/no-such-service/request/").status_code == 404


def test_a_server_failure_keeps_the_draft_for_the_next_visit(signed_in, pothole, monkeypatch):
    def failing_submit(**kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(
        "cityhall.portal.views_requests.filing.submit_service_request", failing_submit
    )
    data = _valid(signed_in)

    failed = signed_in.post(FORM, data).content.decode()
    later = signed_in.get(FORM).content.decode()

    assert "could not be saved just now" in failed
    assert "A deep pothole by the school gate." in failed
    assert "A deep pothole by the school gate." in later
    assert f'value="{data["idempotency_key"]}"' in later
