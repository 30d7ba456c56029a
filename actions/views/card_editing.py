"""HR and administrators manage a card (its whole form, its steps, its indicators); the card's pilots
set their steps' due dates."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View

from actions.forms import CardForm, IndicatorForm, StepDueDateForm, StepEditForm, StepForm, StepMoveForm
from actions.indicator_sources import indicator_source_choices
from actions.models import ActionCard, Indicator, Step
from actions.permissions import can_edit_card, can_manage_plan
from actions.services.cards import card_edit
from actions.services.indicators import indicator_create, indicator_delete, indicator_edit
from actions.services.steps import step_create, step_delete, step_edit, step_move


class _CardManageMixin(LoginRequiredMixin):
    """Loads the card of the URL and refuses users who may not `rule` it (403)."""

    def card_rule(self, user, card) -> bool:
        return can_manage_plan(user)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.card = get_object_or_404(
            ActionCard.objects.select_related("plan", "objective").prefetch_related("pilot_agents", "pilot_units"),
            pk=kwargs["pk"],
        )
        if not self.card_rule(request.user, self.card):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CardEditView(_CardManageMixin, View):
    """HR's form of a whole card: texts, dates, status, progress, pilots, services, links."""

    template_name = "actions/card_edit.html"

    def get(self, request, pk):
        return self.render(CardForm(instance=self.card))

    def post(self, request, pk):
        form = CardForm(request.POST, instance=self.card)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in CardForm.Meta.fields}
            data["pilot_agents"] = form.cleaned_data["pilot_agents"]
            try:
                changes = card_edit(card=self.card, user=request.user, data=data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "La fiche est enregistrée (%(count)s modification).",
                        "La fiche est enregistrée (%(count)s modifications).",
                        len(changes),
                    )
                    % {"count": len(changes)},
                )
                return redirect("actions:card-detail", pk=self.card.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"card": self.card, "form": form}, status=status)


def _steps_context(request, card, *, invalid=None, add_form=None):
    manage = can_manage_plan(request.user)
    steps = list(card.steps.order_by("position"))
    rows = []
    for step in steps:
        if invalid and invalid[0] == step.pk:
            form = invalid[1]
        elif manage:
            form = StepEditForm(initial={"title": step.title, "due_date": step.due_date}, step=step)
        else:
            form = StepDueDateForm(initial={"due_date": step.due_date}, step=step)
        rows.append({"step": step, "form": form})
    return {
        "card": card,
        "rows": rows,
        "can_manage": manage,
        "add_form": add_form or (StepForm(prefix="nouvelle") if manage else None),
    }


class CardStepsView(_CardManageMixin, View):
    """The card's steps: HR adds, renames, reorders, deletes them and sets due dates; the
    card's pilots set the due dates."""

    template_name = "actions/card_steps.html"

    def card_rule(self, user, card):
        return can_edit_card(user, card)

    def get(self, request, pk):
        return render(request, self.template_name, _steps_context(request, self.card))


class StepCreateView(_CardManageMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = StepForm(request.POST, prefix="nouvelle")
        if form.is_valid():
            try:
                step_create(card=self.card, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("L'étape est ajoutée."))
                return redirect("actions:card-steps", pk=self.card.pk)
        return render(
            request, CardStepsView.template_name, _steps_context(request, self.card, add_form=form), status=400
        )


class StepEditView(_CardManageMixin, View):
    """HR: title and due date; the card's pilots: the due date only."""

    http_method_names = ["post"]

    def card_rule(self, user, card):
        return can_edit_card(user, card)

    def post(self, request, pk, step_pk):
        step = get_object_or_404(Step, pk=step_pk, card=self.card)
        step.card = self.card
        manage = can_manage_plan(request.user)
        form = (StepEditForm if manage else StepDueDateForm)(request.POST, step=step)
        if form.is_valid():
            try:
                step_edit(
                    step=step,
                    user=request.user,
                    due_date=form.cleaned_data["due_date"],
                    title=form.cleaned_data["title"] if manage else None,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("L'étape %(n)s est enregistrée.") % {"n": step.position})
                return redirect("actions:card-steps", pk=self.card.pk)
        return render(
            request,
            CardStepsView.template_name,
            _steps_context(request, self.card, invalid=(step.pk, form)),
            status=400,
        )


class StepMoveView(_CardManageMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, step_pk):
        step = get_object_or_404(Step, pk=step_pk, card=self.card)
        step.card = self.card
        form = StepMoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Sens de déplacement inconnu."))
        elif step_move(step=step, user=request.user, direction=form.cleaned_data["direction"]):
            messages.success(request, _("L'étape est maintenant au rang %(n)s.") % {"n": step.position})
        return redirect("actions:card-steps", pk=self.card.pk)


class StepDeleteView(_CardManageMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, step_pk):
        step = get_object_or_404(Step, pk=step_pk, card=self.card)
        step.card = self.card
        step_delete(step=step, user=request.user)
        messages.success(request, _("L'étape est supprimée."))
        return redirect("actions:card-steps", pk=self.card.pk)


def _indicators_context(card, *, invalid=None, add_form=None):
    choices = indicator_source_choices()  # once for the page's forms (a source may read its choices)
    rows = []
    for indicator in card.indicators.order_by("position"):
        form = (
            invalid[1]
            if invalid and invalid[0] == indicator.pk
            else IndicatorForm(instance=indicator, prefix=f"indicateur-{indicator.pk}", source_choices=choices)
        )
        rows.append({"indicator": indicator, "form": form})
    return {"card": card, "rows": rows, "add_form": add_form or IndicatorForm(prefix="nouvel", source_choices=choices)}


class CardIndicatorsView(_CardManageMixin, View):
    template_name = "actions/card_indicators.html"

    def get(self, request, pk):
        return render(request, self.template_name, _indicators_context(self.card))


def _indicator_data(form):
    data = {name: form.cleaned_data[name] for name in IndicatorForm.Meta.fields}
    data["source"] = data["source"] or ""
    return data


class IndicatorCreateView(_CardManageMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = IndicatorForm(request.POST, prefix="nouvel")
        if form.is_valid():
            try:
                indicator_create(card=self.card, user=request.user, data=_indicator_data(form))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("L'indicateur est ajouté."))
                return redirect("actions:card-indicators", pk=self.card.pk)
        return render(
            request, CardIndicatorsView.template_name, _indicators_context(self.card, add_form=form), status=400
        )


class IndicatorEditView(_CardManageMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, indicator_pk):
        indicator = get_object_or_404(Indicator, pk=indicator_pk, card=self.card)
        indicator.card = self.card
        form = IndicatorForm(request.POST, instance=indicator, prefix=f"indicateur-{indicator.pk}")
        if form.is_valid():
            try:
                indicator_edit(indicator=indicator, user=request.user, data=_indicator_data(form))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("L'indicateur %(n)s est enregistré.") % {"n": indicator.position})
                return redirect("actions:card-indicators", pk=self.card.pk)
        return render(
            request,
            CardIndicatorsView.template_name,
            _indicators_context(self.card, invalid=(indicator.pk, form)),
            status=400,
        )


class IndicatorDeleteView(_CardManageMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, indicator_pk):
        indicator = get_object_or_404(Indicator, pk=indicator_pk, card=self.card)
        indicator.card = self.card
        indicator_delete(indicator=indicator, user=request.user)
        messages.success(request, _("L'indicateur et ses mesures sont supprimés."))
        return redirect("actions:card-indicators", pk=self.card.pk)
