"""The plan in Django's admin: a card changed there gets its history like on the site."""

from django.urls import reverse

from actions.models import CardChange
from tests.actions.factories import ActionCardFactory
from tests.factories import OrgUnitFactory


def _form(card, **changes):
    data = {
        "plan": card.plan_id,
        "objective": card.objective_id,
        "number": card.number,
        "position": card.position,
        "title": card.title,
        "subtitle": "",
        "context_note": "",
        "objectives": card.objectives,
        "resources": card.resources,
        "pilot_label": "",
        "status": card.status,
        "progress_mode": card.progress_mode,
        "weight": card.weight,
        "start_date": "",
        "end_date": "",
        "manual_progress": "",
        "progress_indicator": "",
    }
    for prefix in ("sub_objectives", "steps", "indicators"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


def test_admin_change_of_a_card_goes_into_its_history(client, admin_user):
    card = ActionCardFactory(title="Avant")
    unit = OrgUnitFactory(name="Direction générale")
    client.force_login(admin_user)
    url = reverse("admin:actions_actioncard_change", args=[card.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(card, title="Après", status="en_retard", pilot_units=[unit.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    card.refresh_from_db()
    assert card.title == "Après"
    assert list(card.pilot_units.all()) == [unit]
    history = {c.field: (c.old_value, c.new_value, c.author) for c in CardChange.objects.filter(card=card)}
    assert history["title"] == ("Avant", "Après", admin_user)
    assert history["status"] == ("À lancer", "En retard", admin_user)
    assert history["pilot_units"] == ("", "Direction générale", admin_user)


def test_history_is_read_only_in_the_admin(client, admin_user):
    card = ActionCardFactory()
    client.force_login(admin_user)
    assert client.get(reverse("admin:actions_cardchange_add")).status_code == 403
    assert client.get(reverse("admin:actions_cardchange_changelist")).status_code == 200
    assert client.get(reverse("admin:actions_actioncard_changelist")).status_code == 200
    assert client.get(reverse("admin:actions_plan_change", args=[card.plan_id])).status_code == 200
