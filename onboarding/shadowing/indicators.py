"""The figures of "Montre-moi ton job" as the action plan's indicator sources (card 5.3).
The argument is a campaign id, or empty for the campaigns opened this year."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from onboarding.shadowing import selectors
from onboarding.shadowing.models import Campaign


def _count(figure):
    def compute(argument: str) -> Decimal | None:
        return Decimal(figure(selectors.campaign_ids_for(argument)))

    return compute


def _satisfaction(argument: str) -> Decimal | None:
    return selectors.figure_satisfaction(selectors.campaign_ids_for(argument))


def campaign_choices() -> list[tuple[str, str]]:
    return [("", str(_("Campagnes de l'année en cours")))] + [
        (str(pk), title) for pk, title in Campaign.objects.values_list("pk", "title")
    ]


SOURCES = [
    ("shadowing.requests", _("Montre-moi ton job : nombre de demandes"), _count(selectors.figure_requests)),
    ("shadowing.participants", _("Montre-moi ton job : nombre de participants"), _count(selectors.figure_participants)),
    ("shadowing.visits", _("Montre-moi ton job : nombre de visites réalisées"), _count(selectors.figure_visits)),
    ("shadowing.satisfaction", _("Montre-moi ton job : taux de satisfaction (questionnaires à chaud)"), _satisfaction),
]
