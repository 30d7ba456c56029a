from intranet.audiences import AudienceSpec
from mailing.services import mailing_create
from tests.factories import AgentFactory


def make_mailing(*, agents=None, audience=None, created_by=None, **kwargs):
    """A draft mailing to `agents` (named by hand) or to `audience`."""
    if audience is None:
        agents = agents if agents is not None else [AgentFactory()]
        audience = AudienceSpec(agents=tuple(agent.pk for agent in agents))
    values = {
        "subject": "Bienvenue n° 12",
        "html": "<h1>Bienvenue</h1><p>Le mot de la direction.</p>",
        "text": "Bienvenue\n\nLe mot de la direction.",
        "kind": "newsletter.issue",
        "web_url": "https://intranet.test/lettre/12/",
    }
    return mailing_create(audience=audience, created_by=created_by, **{**values, **kwargs})


def make_agents(count: int, **kwargs):
    return [AgentFactory(email=f"destinataire{number:05d}@test.local", **kwargs) for number in range(count)]
