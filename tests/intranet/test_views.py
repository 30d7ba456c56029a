from django.urls import reverse


def test_home_greets_the_agent_with_their_unit(client, agent):
    client.force_login(agent)
    response = client.get(reverse("intranet:home"))
    assert response.status_code == 200
    assert "Bonjour Hélène" in response.text
    assert "Service des ressources humaines" in response.text


def test_login_by_email_lands_on_home(client, agent):
    response = client.post(reverse("account_login"), {"login": "agent@test.local", "password": "maison-commune"})
    assert response.status_code == 302
    assert response["Location"] == reverse("intranet:home")


def test_signup_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert "Pas d'inscription en libre-service" in response.text
