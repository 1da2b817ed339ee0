def test_health_check_answers_ok_when_the_database_is_reachable(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_portal_home_redirects_to_a_language_prefix(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")

    assert response.status_code == 302
    assert response["Location"] == "/fr/"
