import pytest

from cityhall.accounts.tests.factories import PartnerOrganisationFactory, StaffRoleFactory
from cityhall.accounts.tests.fixtures import empty_cache, immediate_tasks, sign_in_pauses  # noqa: F401  (fixtures)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.core.models import AuditEvent
from cityhall.integrations.models import WebhookDelivery, WebhookSubscription
from cityhall.integrations.signing import decrypt_secret
from cityhall.integrations.tests.factories import (
    WebhookDeliveryFactory,
    WebhookSubscriptionFactory,
)
from cityhall.integrations.tests.receiver import running_webhook_receiver

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("empty_cache", "sign_in_pauses", "immediate_tasks"),
]

WEBHOOKS = "/en/staff/webhooks/"
DELIVERIES = f"{WEBHOOKS}deliveries/"
ALL_EVENTS = ["service_request.created", "service_request.status_changed"]


@pytest.fixture
def webhook_receiver():
    with running_webhook_receiver() as receiver:
        yield receiver


@pytest.fixture
def admin_client(client, admin):
    sign_in_with_two_factor(client, admin)
    return client


@pytest.fixture
def department_admin_client(client):
    role = StaffRoleFactory(role="department_admin", department=DepartmentFactory(code="parks"))
    sign_in_with_two_factor(client, role.user)
    return client


def create(client, **fields):
    data = {"target_url": "https://hooks.example.org/in", "events": ALL_EVENTS} | fields
    return client.post(f"{WEBHOOKS}new/", data)


def test_the_secret_is_shown_once_and_stored_encrypted(admin_client):
    partner = PartnerOrganisationFactory(name="Hydro Rivière")

    response = create(admin_client, partner=partner.public_id)

    html = response.content.decode()
    secret = html.split('id="signing-secret" type="text" readonly value="')[1].split('"')[0]
    subscription = WebhookSubscription.objects.get()
    detail = admin_client.get(f"{WEBHOOKS}{subscription.public_id}/").content.decode()
    assert response["Cache-Control"] == "no-store"
    assert secret.startswith("whsec_")
    assert secret not in subscription.encrypted_secret
    assert decrypt_secret(subscription.encrypted_secret) == secret
    assert secret not in detail
    assert "Hydro Rivière" in detail
    assert AuditEvent.objects.filter(
        action="integrations.subscription_created", target_id=str(subscription.public_id)
    ).exists()


def test_the_list_shows_every_subscription_in_a_few_queries(
    admin_client, django_assert_max_num_queries
):
    WebhookSubscriptionFactory.create_batch(3, department=DepartmentFactory())
    WebhookSubscriptionFactory.create_batch(3, partner=PartnerOrganisationFactory())

    with django_assert_max_num_queries(10):
        response = admin_client.get(WEBHOOKS)

    assert response.content.decode().count(f'<td><a href="{WEBHOOKS}') == 6


def test_an_address_without_https_is_refused_next_to_its_field(admin_client):
    response = create(admin_client, city_system="Asset management", target_url="http://example.org")

    assert 'id="id_target_url_error"' in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_a_department_admin_manages_only_their_departments_systems(department_admin_client):
    theirs = WebhookSubscriptionFactory(
        city_system="Parks irrigation", department=DepartmentFactory(code="parks")
    )
    city_wide = WebhookSubscriptionFactory(city_system="City data lake")
    partners = WebhookSubscriptionFactory(partner=PartnerOrganisationFactory())

    listing = department_admin_client.get(WEBHOOKS).content.decode()

    assert "Parks irrigation" in listing
    assert "City data lake" not in listing
    for hidden in (city_wide, partners):
        assert department_admin_client.get(f"{WEBHOOKS}{hidden.public_id}/").status_code == 404
    assert department_admin_client.get(f"{WEBHOOKS}{theirs.public_id}/").status_code == 200


def test_a_department_admin_cannot_subscribe_the_whole_city(department_admin_client):
    parks = DepartmentFactory(code="parks")
    whole_city = create(department_admin_client, city_system="Irrigation")
    own = create(department_admin_client, city_system="Irrigation", department=parks.public_id)

    assert whole_city.status_code == 200
    assert own.status_code == 200
    assert list(WebhookSubscription.objects.values_list("department", flat=True)) == [parks.id]


def test_an_agent_gets_403(client, agent):
    sign_in_with_two_factor(client, agent)

    assert client.get(WEBHOOKS).status_code == 403


def test_disabling_stops_the_subscription_and_is_audited(admin_client):
    subscription = WebhookSubscriptionFactory()

    admin_client.post(f"{WEBHOOKS}{subscription.public_id}/disable/")

    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.disabled_reason == WebhookSubscription.DisabledReason.BY_STAFF
    assert AuditEvent.objects.filter(action="integrations.subscription_disabled").exists()


def test_the_delivery_log_filters_by_status_and_event(admin_client, django_assert_max_num_queries):
    subscription = WebhookSubscriptionFactory(city_system="Asset management")
    failed = WebhookDeliveryFactory(subscription=subscription, status=WebhookDelivery.Status.FAILED)
    WebhookDeliveryFactory.create_batch(
        3, subscription=subscription, status=WebhookDelivery.Status.DELIVERED
    )

    with django_assert_max_num_queries(12):
        response = admin_client.get(DELIVERIES, {"status": "failed", "event": failed.event})

    html = response.content.decode()
    assert "1 delivery matches the filters" in html
    assert f"{DELIVERIES}{failed.public_id}/" in html


def test_a_manual_redelivery_sends_the_same_delivery_again_and_is_audited(
    admin_client, admin, webhook_receiver, django_capture_on_commit_callbacks
):
    subscription = WebhookSubscriptionFactory(target_url=webhook_receiver.url)
    delivery = WebhookDeliveryFactory(
        subscription=subscription, status=WebhookDelivery.Status.FAILED, attempts=9
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{DELIVERIES}{delivery.public_id}/redeliver/")

    delivery.refresh_from_db()
    assert response.status_code == 302
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    (received,) = webhook_receiver.received
    assert received.headers["CityHall-Delivery"] == str(delivery.public_id)
    assert AuditEvent.objects.filter(
        actor=admin, action="integrations.delivery_redelivered", target_id=str(delivery.public_id)
    ).exists()
    page = admin_client.get(f"{DELIVERIES}{delivery.public_id}/").content.decode()
    assert "10\xa0bytes" in page
    assert "answer 200" not in page  # the receiver's answer is measured, never shown


def test_a_delivery_to_a_disabled_subscription_is_not_sent_again(
    admin_client, webhook_receiver, django_capture_on_commit_callbacks
):
    subscription = WebhookSubscriptionFactory(target_url=webhook_receiver.url, is_active=False)
    delivery = WebhookDeliveryFactory(subscription=subscription, status="failed")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"{DELIVERIES}{delivery.public_id}/redeliver/")

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert webhook_receiver.received == []
