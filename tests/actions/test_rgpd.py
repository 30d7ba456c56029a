import datetime

from actions.models import CardChange
from actions.services.cards import card_update
from intranet.directory.services.rgpd import agent_anonymise, agent_data_export
from tests.actions.factories import ActionCardFactory
from tests.factories import AgentFactory


def test_anonymising_an_agent_removes_their_name_from_the_cards_history(rh):
    pilot = AgentFactory(
        first_name="Gérard", last_name="Lambert", departure_date=datetime.date(2020, 1, 31), is_active=False
    )
    card = ActionCardFactory()
    card.pilot_agents.add(pilot)
    card_update(card=card, user=pilot, data={"title": "Un nouveau titre"})
    assert CardChange.objects.filter(author_label__contains="Lambert").exists()

    agent_anonymise(agent=pilot, user=rh)

    assert not CardChange.objects.filter(author_label__contains="Lambert").exists()


def test_my_data_lists_the_cards_i_pilot(agent):
    card = ActionCardFactory(title="Créer un annuaire")
    card.pilot_agents.add(agent)
    data = agent_data_export(agent=agent, user=agent)
    assert [card.number, "Créer un annuaire"] in [list(row) for row in data["actions"]["fiches_pilotees"]]
