import json
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from cityhall.alerts.models import Alert
from cityhall.alerts.services import approve_alert, draft_alert, submit_for_approval
from cityhall.alerts.tests.alert_factories import AlertFactory, content, officer
from cityhall.alerts.tests.cap_schema import NS, assert_valid_cap, cap_schema, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    return cap_schema()


def test_the_atom_feed_embeds_and_links_each_current_cap_alert(client, schema) -> None:
    current = AlertFactory()
    cancel = AlertFactory(msg_type=Alert.MsgType.CANCEL, references=current)
    now = timezone.now()
    AlertFactory(onset=now - timedelta(days=2), expires=now - timedelta(days=1))
    AlertFactory(state=Alert.State.DRAFT, approved_by=None, published_at=None)

    response = client.get("/alerts/feed.atom")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response.content)
    assert feed.tag == f"{{{NS['atom']}}}feed"
    entries = feed.findall("atom:entry", namespaces=NS)
    embedded = [entry.find("atom:content/cap:alert", namespaces=NS) for entry in entries]
    identifiers = [alert.findtext("cap:identifier", namespaces=NS) for alert in embedded]
    assert sorted(identifiers) == sorted([current.identifier, cancel.identifier])
    for entry, alert in zip(entries, embedded, strict=True):
        assert entry.find("atom:content", namespaces=NS).get("type") == "application/cap+xml"
        assert_valid_cap(schema, alert)
        (link,) = entry.xpath("atom:link[@type='application/cap+xml']", namespaces=NS)
        linked = client.get(link.get("href").removeprefix("http://127.0.0.1:8000"))
        assert linked.status_code == 200
        assert linked["Content-Type"].startswith("application/cap+xml")
        assert parse(linked.content).findtext("cap:identifier", namespaces=NS) == (
            alert.findtext("cap:identifier", namespaces=NS)
        )


def test_a_draft_has_no_public_document(client) -> None:
    draft = AlertFactory(state=Alert.State.DRAFT, approved_by=None, published_at=None)
    assert client.get(f"/alerts/{draft.identifier}.xml").status_code == 404
    assert client.get(f"/alerts/{draft.identifier}.json").status_code == 404


def test_an_expired_alert_keeps_its_document_at_the_same_address(client, schema) -> None:
    now = timezone.now()
    alert = AlertFactory(
        onset=now - timedelta(days=2), expires=now - timedelta(days=1), state=Alert.State.EXPIRED
    )
    response = client.get(f"/alerts/{alert.identifier}.xml")
    assert response.status_code == 200
    assert_valid_cap(schema, parse(response.content))


def test_the_json_forms_give_both_languages_and_the_area(client) -> None:
    alert = AlertFactory()
    one = client.get(f"/alerts/{alert.identifier}.json").json()
    assert one["identifier"] == alert.identifier
    assert set(one["texts"]) == {"en", "fr"}
    assert one["area"]["type"] == "Polygon"
    assert len(one["texts"]["fr"]["short_text"]) <= 360
    current = client.get("/alerts/current.json").json()
    assert [a["identifier"] for a in current["alerts"]] == [alert.identifier]


def test_a_publication_shows_in_the_cached_feed_at_once(client, django_assert_num_queries) -> None:
    assert parse(client.get("/alerts/feed.atom").content).find("atom:entry", namespaces=NS) is None
    with django_assert_num_queries(0):
        client.get("/alerts/feed.atom")
    alert = draft_alert(actor=officer(), content=content())
    submit_for_approval(alert=alert, actor=alert.drafted_by)
    with mock.patch("cityhall.alerts.services.workflow.start_fan_out"):
        approve_alert(alert=alert, actor=officer())
    feed = json.loads(client.get("/alerts/current.json").content)
    assert [a["identifier"] for a in feed["alerts"]] == [alert.identifier]
    atom = parse(client.get("/alerts/feed.atom").content)
    assert len(atom.findall("atom:entry", namespaces=NS)) == 1
