"""« Mes actions »: the cards a pilot follows, updated in place (a step's state, the card's status,
a measurement; htmx fragments), and the refresh of the indicators other modules feed."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from actions import selectors
from actions.forms import CardStatusForm, MeasurementForm, StepStateForm
from actions.models import ActionCard, Indicator, Step
from actions.permissions import can_edit_card, can_follow_my_cards, is_card_pilot
from actions.services.cards import card_update
from actions.services.indicators import indicator_refresh_from_sources, measurement_record
from actions.services.steps import card_step_set_state
from intranet.permissions import RuleRequiredMixin

MY_CARDS_TEMPLATE = "actions/my_cards.html"


class MyCardsView(RuleRequiredMixin, TemplateView):
    """`/plan/mes-actions/`: the cards the user pilots, updated in place."""

    rule = staticmethod(can_follow_my_cards)
    template_name = MY_CARDS_TEMPLATE

    def get_context_data(self, **kwargs):
        cards = [_with_forms(card) for card in selectors.my_cards(user=self.request.user)]
        return super().get_context_data(cards=cards, **kwargs)


def _with_forms(card: ActionCard) -> ActionCard:
    """The card's in-place forms (its status, each step's state, a measurement per indicator),
    except those a failed submission already put there."""
    if getattr(card, "status_form", None) is None:
        card.status_form = CardStatusForm(card=card)
    for step in card.steps.all():
        if getattr(step, "form", None) is None:
            step.form = StepStateForm(step=step)
    for indicator in card.indicators.all():
        if getattr(indicator, "form", None) is None:
            indicator.form = MeasurementForm(indicator=indicator)
    return card


class _CardUpdateView(LoginRequiredMixin, View):
    """POST only: a pilot's (or HR's) in-place update of one card. An htmx request gets the
    card's fragment back; a plain form goes back to "Mes actions" with a message."""

    http_method_names = ["post"]
    success_message = ""

    def post(self, request, pk, **kwargs):
        card = get_object_or_404(ActionCard.objects.prefetch_related("pilot_agents", "pilot_units"), pk=pk)
        if not can_edit_card(request.user, card):
            raise PermissionDenied
        form, target = self.form_for(card, **kwargs)
        if form.is_valid():
            try:
                self.apply(card, form, target)
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            return self.invalid(card, form, target)
        if request.htmx:
            return self.fragment(card)
        messages.success(request, self.success_message)
        if is_card_pilot(request.user, card):
            return redirect("actions:my-cards")
        return redirect("actions:card-detail", pk=card.pk)

    def fragment(self, card, *, mark=None, status=200):
        shown = selectors.my_card(user=self.request.user, pk=card.pk)
        if mark:
            mark(shown)
        return render(self.request, MY_CARDS_TEMPLATE + "#card", {"card": _with_forms(shown)}, status=status)

    def invalid(self, card, form, target):
        def mark(shown):
            self.mark_invalid(shown, form, target)

        if self.request.htmx:
            return self.fragment(card, mark=mark)
        cards = selectors.my_cards(user=self.request.user)
        for shown in cards:
            if shown.pk == card.pk:
                mark(shown)
        if not any(shown.pk == card.pk for shown in cards):
            shown = selectors.my_card(user=self.request.user, pk=card.pk)
            mark(shown)
            cards = [shown]
        return render(self.request, MY_CARDS_TEMPLATE, {"cards": [_with_forms(shown) for shown in cards]}, status=400)


class StepUpdateView(_CardUpdateView):
    success_message = _("L'état de l'étape est enregistré.")

    def form_for(self, card, step_pk):
        step = get_object_or_404(Step, pk=step_pk, card=card)
        step.card = card
        return StepStateForm(self.request.POST, step=step), step

    def apply(self, card, form, step):
        card_step_set_state(step=step, user=self.request.user, state=form.cleaned_data["state"])

    def mark_invalid(self, shown, form, step):
        for item in shown.steps.all():
            if item.pk == step.pk:
                item.form = form


class CardStatusView(_CardUpdateView):
    success_message = _("Le statut de la fiche est enregistré.")

    def form_for(self, card):
        return CardStatusForm(self.request.POST, card=card), None

    def apply(self, card, form, target):
        card_update(card=card, user=self.request.user, data={"status": form.cleaned_data["status"]})

    def mark_invalid(self, shown, form, target):
        shown.status_form = form


class MeasurementCreateView(_CardUpdateView):
    success_message = _("La mesure est enregistrée.")

    def form_for(self, card, indicator_pk):
        indicator = get_object_or_404(Indicator, pk=indicator_pk, card=card)
        indicator.card = card
        return MeasurementForm(self.request.POST, indicator=indicator), indicator

    def apply(self, card, form, indicator):
        data = form.cleaned_data
        measurement_record(
            indicator=indicator, user=self.request.user, date=data["date"], value=data["value"], comment=data["comment"]
        )

    def mark_invalid(self, shown, form, indicator):
        for item in shown.indicators.all():
            if item.pk == indicator.pk:
                item.form = form


class CardIndicatorsRefreshView(LoginRequiredMixin, View):
    """POST: record now the values of the card's indicators fed by other modules (its pilots, HR)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        card = get_object_or_404(ActionCard.objects.prefetch_related("pilot_agents", "pilot_units"), pk=pk)
        if not can_edit_card(request.user, card):
            raise PermissionDenied
        counts = indicator_refresh_from_sources(indicators=card.indicators.exclude(source=""), user=request.user)
        if counts["recorded"]:
            messages.success(
                request,
                ngettext(
                    "%(count)s valeur a été relevée auprès des modules qui alimentent les indicateurs.",
                    "%(count)s valeurs ont été relevées auprès des modules qui alimentent les indicateurs.",
                    counts["recorded"],
                )
                % {"count": counts["recorded"]},
            )
        elif counts["unchanged"]:
            messages.info(
                request,
                ngettext(
                    "La valeur relevée est à jour : %(count)s indicateur alimenté n'a pas changé depuis son dernier "
                    "relevé.",
                    "Les valeurs relevées sont à jour : %(count)s indicateurs alimentés n'ont pas changé depuis leur "
                    "dernier relevé.",
                    counts["unchanged"],
                )
                % {"count": counts["unchanged"]},
            )
        if counts["unknown"]:
            messages.info(
                request,
                ngettext(
                    "%(count)s indicateur n'a pas encore de valeur : le module qui l'alimente n'a pas assez de "
                    "réponses ou de visites pour la calculer.",
                    "%(count)s indicateurs n'ont pas encore de valeur : les modules qui les alimentent n'ont pas assez "
                    "de réponses ou de visites pour la calculer.",
                    counts["unknown"],
                )
                % {"count": counts["unknown"]},
            )
        if counts["failed"]:
            messages.warning(request, _("Un module n'a pas pu fournir sa valeur ; réessayez plus tard."))
        return redirect("actions:card-detail", pk=card.pk)
