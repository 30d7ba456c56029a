import io

import pytest

from intranet.models import Agent
from tests.factories import AgentFactory, OrgUnitFactory
from vacancies.demo import demo_seed
from vacancies.models import Concours, Interest, Vacancy
from vacancies.selectors import vacancy_list_open

pytestmark = pytest.mark.django_db


def test_demo_seed_creates_the_board_once():
    OrgUnitFactory(name="Voirie")
    AgentFactory(email="rh@demo.local", roles=["rh"])
    AgentFactory.create_batch(4, org_unit=OrgUnitFactory())
    out = io.StringIO()
    demo_seed(stdout=out)
    assert vacancy_list_open().count() == 8
    assert Vacancy.objects.filter(status=Vacancy.Status.CLOSED).count() == 2
    assert Concours.objects.count() == 3
    assert Interest.objects.count() == 4
    assert Interest.objects.exclude(cv="").first().cv.read().startswith(b"%PDF-")
    assert not Interest.objects.filter(agent__email="rh@demo.local").exists()
    demo_seed(stdout=out)
    assert Vacancy.objects.count() == 10
    assert Interest.objects.count() == 4
    assert "déjà chargées" in out.getvalue()
    assert Agent.objects.count() == 5
