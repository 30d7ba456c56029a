"""Open sessions: each person sees and ends theirs (allauth.usersessions); a deactivated agent is
signed out everywhere at once."""

from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from identity.services import user_sessions_end
from tests.factories import PASSWORD

HOME = reverse("intranet:home")


def _signed_in_client(user, agent_string="Navigateur"):
    client = Client(HTTP_USER_AGENT=agent_string)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_person_sees_their_open_sessions_and_ends_the_others(agent):
    office = _signed_in_client(agent, "Firefox au bureau")
    home = _signed_in_client(agent, "Chrome à la maison")

    page = office.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert "Firefox au bureau" in page.text
    assert "Chrome à la maison" in page.text

    office.post(reverse("usersessions_list"))

    assert home.get(HOME).status_code == 302  # back to the sign-in page
    assert office.get(HOME).status_code == 200
    assert UserSession.objects.filter(user=agent).count() == 1


def test_nobody_sees_another_persons_sessions(agent, rh):
    _signed_in_client(agent, "Navigateur de l'agent")
    page = _signed_in_client(rh).get(reverse("usersessions_list"))
    assert "Navigateur de l'agent" not in page.text


def test_deactivating_an_agent_ends_their_sessions_at_once(agent):
    first, second = _signed_in_client(agent), _signed_in_client(agent)
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert user_sessions_end(user=agent) == 2
    assert first.get(HOME).status_code == 302
    assert second.get(HOME).status_code == 302
    assert not UserSession.objects.filter(user=agent).exists()


def test_deactivating_an_agent_in_the_admin_ends_their_sessions(agent, admin_user):
    session = _signed_in_client(agent)
    admin = Client()
    admin.force_login(admin_user)
    url = reverse("admin:intranet_agent_change", args=[agent.pk])
    form = admin.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value not in (None, "") and name not in ("password", "photo") and not hasattr(value, "all")
    }
    data.update(
        {
            "is_active": "",
            "groups": [],
            "skills": [],
            "date_joined_0": form.initial["date_joined"].strftime("%d/%m/%Y"),
            "date_joined_1": form.initial["date_joined"].strftime("%H:%M:%S"),
        }
    )
    for key in ("is_staff", "is_superuser", "is_external", "has_mailbox", "show_phone", "show_mobile", "show_photo"):
        if not data.get(key):
            data.pop(key, None)
    for key in ("last_login", "date_joined", "details_confirmed_at", "anonymised_at"):
        data.pop(key, None)
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    agent.refresh_from_db()
    assert not agent.is_active
    assert not UserSession.objects.filter(user=agent).exists()
    assert session.get(HOME).status_code == 302


def test_a_person_ends_one_of_their_sessions(agent):
    office = _signed_in_client(agent, "Firefox au bureau")
    phone = _signed_in_client(agent, "Téléphone perdu")
    tablet = _signed_in_client(agent, "Tablette")
    lost = UserSession.objects.get(user=agent, user_agent="Téléphone perdu")

    response = office.post(reverse("identity:session-end", args=[lost.pk]), follow=True)

    assert "Session fermée." in response.text
    assert "Téléphone perdu" not in response.text
    assert phone.get(HOME).status_code == 302
    assert tablet.get(HOME).status_code == 200
    assert office.get(HOME).status_code == 200


def test_nobody_ends_another_persons_session(agent, rh):
    _signed_in_client(agent, "Navigateur de l'agent")
    theirs = UserSession.objects.get(user=agent)
    response = _signed_in_client(rh).post(reverse("identity:session-end", args=[theirs.pk]))
    assert response.status_code == 404
    assert UserSession.objects.filter(pk=theirs.pk).exists()
