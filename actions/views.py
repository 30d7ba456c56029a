"""The projet d'administration's pages: thin views over `actions.selectors`."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from actions import exports, selectors, services
from actions import importer as plan_importer
from actions.charts import indicator_chart_svg
from actions.forms import (
    CardForm,
    CardStatusForm,
    IndicatorForm,
    MeasurementForm,
    PlanImportForm,
    StepDueDateForm,
    StepEditForm,
    StepForm,
    StepMoveForm,
    StepStateForm,
)
from actions.gantt import plan_gantt_svg
from actions.indicator_sources import indicator_source_choices, indicator_source_label
from actions.models import ActionCard, Indicator, Step
from actions.permissions import can_edit_card, can_follow_my_cards, can_manage_plan, can_read_plan, is_card_pilot
from actions.progress import card_progress
from actions.reviews.selectors import card_decisions
from intranet.directory import importer as dir_importer
from intranet.permissions import RuleRequiredMixin
from intranet.services import document_request


def plan_nav(user, active: str) -> dict:
    """The plan's own tabs (overview, calendar, exports, import): what the user may open."""
    return {"plan_nav_active": active, "plan_nav_can_manage": can_manage_plan(user)}


class PlanOverviewView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_read_plan)
    template_name = "actions/plan_overview.html"

    def get_context_data(self, **kwargs):
        kwargs.update(plan_nav(self.request.user, "overview"))
        plan = selectors.plan_current(user=self.request.user)
        if plan is None:
            return super().get_context_data(plan=None, **kwargs)
        return super().get_context_data(**selectors.plan_overview(user=self.request.user, plan=plan), **kwargs)


class PlanCalendarView(RuleRequiredMixin, TemplateView):
    """The calendar: a Gantt chart of every card over the plan's years, and the same as a table."""

    rule = staticmethod(can_read_plan)
    template_name = "actions/plan_calendar.html"

    def get_context_data(self, **kwargs):
        kwargs.update(plan_nav(self.request.user, "calendar"))
        plan = selectors.plan_current(user=self.request.user)
        if plan is None:
            return super().get_context_data(plan=None, **kwargs)
        data = selectors.plan_calendar(user=self.request.user, plan=plan)
        data["chart"] = plan_gantt_svg(
            plan=plan, today=data["today"], objectives=[(item.objective, item.cards) for item in data["objectives"]]
        )
        return super().get_context_data(**data, **kwargs)


class CardDetailView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_read_plan)
    template_name = "actions/card_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        card = get_object_or_404(selectors.card_detail_queryset(user=user), pk=self.kwargs["pk"])
        indicators = [
            {"indicator": indicator, "measurements": list(indicator.measurements.all())}
            for indicator in card.indicators.all()
        ]
        for item in indicators:
            item["latest"] = item["measurements"][-1] if item["measurements"] else None
            item["source_label"] = indicator_source_label(item["indicator"].source)
            item["chart"] = indicator_chart_svg(
                indicator=item["indicator"],
                measurements=item["measurements"],
                chart_id=f"indicateur-{item['indicator'].pk}",
            )
        return super().get_context_data(
            card=card,
            progress=card_progress(card),
            indicators=indicators,
            is_stale=card.is_stale(),
            can_edit=can_edit_card(user, card),
            is_pilot_of_card=is_card_pilot(user, card),
            can_manage=can_manage_plan(user),
            has_fed_indicators=any(item["indicator"].source for item in indicators),
            decisions=card_decisions(card=card),
            **kwargs,
        )


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
        services.card_step_set_state(step=step, user=self.request.user, state=form.cleaned_data["state"])

    def mark_invalid(self, shown, form, step):
        for item in shown.steps.all():
            if item.pk == step.pk:
                item.form = form


class CardStatusView(_CardUpdateView):
    success_message = _("Le statut de la fiche est enregistré.")

    def form_for(self, card):
        return CardStatusForm(self.request.POST, card=card), None

    def apply(self, card, form, target):
        services.card_update(card=card, user=self.request.user, data={"status": form.cleaned_data["status"]})

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
        services.measurement_record(
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
        counts = services.indicator_refresh_from_sources(
            indicators=card.indicators.exclude(source=""), user=request.user
        )
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


# --- HR and administrators manage the plan; pilots set their steps' due dates ----------------


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
                changes = services.card_edit(card=self.card, user=request.user, data=data)
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
                services.step_create(card=self.card, user=request.user, **form.cleaned_data)
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
                services.step_edit(
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
        elif services.step_move(step=step, user=request.user, direction=form.cleaned_data["direction"]):
            messages.success(request, _("L'étape est maintenant au rang %(n)s.") % {"n": step.position})
        return redirect("actions:card-steps", pk=self.card.pk)


class StepDeleteView(_CardManageMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, step_pk):
        step = get_object_or_404(Step, pk=step_pk, card=self.card)
        step.card = self.card
        services.step_delete(step=step, user=request.user)
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
                services.indicator_create(card=self.card, user=request.user, data=_indicator_data(form))
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
                services.indicator_edit(indicator=indicator, user=request.user, data=_indicator_data(form))
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
        services.indicator_delete(indicator=indicator, user=request.user)
        messages.success(request, _("L'indicateur et ses mesures sont supprimés."))
        return redirect("actions:card-indicators", pk=self.card.pk)


# --- Exports: the plan as CSV, XLSX and PDF --------------------------------------------------


class PlanExportsView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_read_plan)
    template_name = "actions/plan_exports.html"

    def get_context_data(self, **kwargs):
        kwargs.update(plan_nav(self.request.user, "exports"))
        return super().get_context_data(plan=selectors.plan_current(user=self.request.user), **kwargs)


class _PlanFileView(RuleRequiredMixin, View):
    rule = staticmethod(can_read_plan)

    def get(self, request):
        plan = selectors.plan_current(user=request.user)
        if plan is None:
            raise Http404
        response = HttpResponse(self.render(plan), content_type=self.content_type)
        response["Content-Disposition"] = content_disposition_header(
            True, f"projet-administration-{plan.slug}.{self.ext}"
        )
        return response


class PlanExportCsvView(_PlanFileView):
    content_type, ext = "text/csv; charset=utf-8", "csv"

    def render(self, plan):
        return exports.plan_csv(plan)


class PlanExportXlsxView(_PlanFileView):
    content_type, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"

    def render(self, plan):
        return exports.plan_xlsx(plan)


class PlanExportPdfView(RuleRequiredMixin, View):
    """POST: ask a worker for the plan's PDF; the status page shows its progress and the file."""

    rule = staticmethod(can_read_plan)
    http_method_names = ["post"]

    def post(self, request):
        plan = selectors.plan_current(user=request.user)
        if plan is None:
            raise Http404
        document = document_request(
            kind=exports.PLAN_PDF_DOCUMENT,
            user=request.user,
            params={"plan_id": plan.pk, "version": exports.plan_version(plan)},
        )
        return redirect("intranet:document-status", pk=document.pk)


# --- Import of a plan from a spreadsheet (HR and administrators) ------------------------------

IMPORT_SESSION_KEY = "plan_imports"  # {token: {filename, title, organisation, period_start, period_end}}


class _PlanManageMixin(RuleRequiredMixin):
    rule = staticmethod(can_manage_plan)


class PlanImportView(_PlanManageMixin, View):
    template_name = "actions/plan_import.html"

    def get(self, request):
        return self.render(PlanImportForm())

    def post(self, request):
        form = PlanImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        upload, data = form.cleaned_data["file"], form.cleaned_data
        token = dir_importer.import_file_store(content=upload.read(), filename=upload.name)
        request.session[IMPORT_SESSION_KEY] = {
            **request.session.get(IMPORT_SESSION_KEY, {}),
            token: {
                "filename": upload.name,
                "title": data["title"],
                "organisation": data["organisation"],
                "period_start": data["period_start"].isoformat() if data["period_start"] else "",
                "period_end": data["period_end"].isoformat() if data["period_end"] else "",
            },
        }
        return redirect("actions:plan-import-preview", token=token)

    def render(self, form, status=200):
        context = {"form": form, **plan_nav(self.request.user, "import")}
        return render(self.request, self.template_name, context, status=status)


class _StoredPlanImportMixin(_PlanManageMixin):
    def load(self, token: str) -> tuple[bytes, dict]:
        stored = self.request.session.get(IMPORT_SESSION_KEY, {}).get(token)
        content = dir_importer.import_file_read(token=token) if stored else None
        if content is None:
            raise Http404(_("Cet import a déjà été appliqué ou a expiré : déposez le fichier à nouveau."))
        return content, stored


class PlanImportPreviewView(_StoredPlanImportMixin, TemplateView):
    template_name = "actions/plan_import_preview.html"

    def get_context_data(self, token, **kwargs):
        content, stored = self.load(token)
        preview = plan_importer.plan_import_preview(content=content, filename=stored["filename"], title=stored["title"])
        return super().get_context_data(
            preview=preview, token=token, stored=stored, **plan_nav(self.request.user, "import"), **kwargs
        )


class PlanImportApplyView(_StoredPlanImportMixin, View):
    http_method_names = ["post"]

    def post(self, request, token):
        content, stored = self.load(token)
        dates = {
            key: datetime.date.fromisoformat(stored[key]) if stored[key] else None
            for key in ("period_start", "period_end")
        }
        try:
            result = plan_importer.plan_import_apply(
                content=content,
                filename=stored["filename"],
                user=request.user,
                title=stored["title"],
                organisation=stored["organisation"],
                **dates,
            )
        except dir_importer.ImportFileError as error:
            for message in error.messages[:20]:
                messages.error(request, message)
            return redirect("actions:plan-import-preview", token=token)
        dir_importer.import_file_discard(token=token)
        request.session[IMPORT_SESSION_KEY] = {
            k: v for k, v in request.session.get(IMPORT_SESSION_KEY, {}).items() if k != token
        }
        messages.success(
            request,
            _(
                "Plan « %(title)s » importé : %(created)s fiche(s) créée(s), %(changed)s modifiée(s), "
                "%(unchanged)s inchangée(s), %(removed)s supprimée(s)."
            )
            % {
                "title": result.plan.title,
                "created": result.created,
                "changed": result.changed,
                "unchanged": result.unchanged,
                "removed": result.removed,
            },
        )
        return redirect("actions:plan-overview")


class _TemplateFileView(_PlanManageMixin, View):
    def get(self, request):
        response = HttpResponse(self.render(), content_type=self.content_type)
        response["Content-Disposition"] = content_disposition_header(True, f"modele-projet-administration.{self.ext}")
        return response


class PlanImportTemplateXlsxView(_TemplateFileView):
    content_type, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"

    def render(self):
        return plan_importer.plan_import_template_xlsx()


class PlanImportTemplateCsvView(_TemplateFileView):
    content_type, ext = "text/csv; charset=utf-8", "csv"

    def render(self):
        return plan_importer.plan_import_template_csv()
