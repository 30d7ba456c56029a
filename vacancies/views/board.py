"""The agents' pages (internal only): the vacancies board, a vacancy, an expression of interest,
« Mes candidatures », the concours."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from intranet.permissions import InternalRequiredMixin
from intranet.shortcuts import digest, form_add_service_error, kept_partial, paginate, query_digest
from vacancies import selectors
from vacancies.forms import InterestForm, VacancyFilterForm
from vacancies.models import Vacancy
from vacancies.permissions import can_express_interest, can_manage_vacancies
from vacancies.services.interests import interest_express

PAGE_SIZE = 20


class VacancyListView(InternalRequiredMixin, TemplateView):
    template_name = "vacancies/vacancy_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        board, form_errors = kept_partial(
            selectors.VACANCY_BOARD,
            query_digest(self.request),
            digest(*selectors.vacancy_ids_of_interest(agent=user)),
            request=self.request,
            template_name=f"{self.template_name}#board",
            context=self.board_context,
        )
        return super().get_context_data(
            board=board, form_errors=form_errors, can_manage=can_manage_vacancies(user), **kwargs
        )

    def board_context(self) -> dict:
        """The filters, the open vacancies they find (a page of them), the agent's interests."""
        form = VacancyFilterForm(self.request.GET or None)
        filters = form.filters() if form.is_bound else {}
        vacancies = selectors.vacancy_list_browse(
            user=self.request.user,
            q=filters.get("q", ""),
            unit=filters.get("unit"),
            site=filters.get("site"),
            category=filters.get("category", ""),
        )
        page = paginate(self.request, vacancies, PAGE_SIZE)
        return {
            "form": form,
            "page_obj": page,
            "vacancies": page.object_list,
            "filtered": bool(filters and any(filters.values())),
            "selected": {name: str(filters.get(name) or "") for name in ("unit", "site", "category")},
        }


class VacancyDetailView(InternalRequiredMixin, TemplateView):
    template_name = "vacancies/vacancy_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        vacancy = selectors.vacancy_get_for(user=user, pk=self.kwargs["pk"])
        if vacancy is None:
            raise Http404
        return super().get_context_data(
            vacancy=vacancy,
            is_open=vacancy.is_open(),
            interest=selectors.interest_of(vacancy=vacancy, agent=user),
            can_express=can_express_interest(user, vacancy),
            can_manage=can_manage_vacancies(user),
            can_edit=can_manage_vacancies(user) and (vacancy.status == Vacancy.Status.DRAFT or vacancy.is_open()),
            **kwargs,
        )


class InterestCreateView(InternalRequiredMixin, FormView):
    template_name = "vacancies/interest_form.html"
    form_class = InterestForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.vacancy = get_object_or_404(
                Vacancy.objects.select_related("org_unit"),
                pk=kwargs["pk"],
                status__in=[Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED],
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if selectors.interest_of(vacancy=self.vacancy, agent=request.user) or not self.vacancy.is_open():
            return redirect(self.vacancy)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(vacancy=self.vacancy, **kwargs)

    def form_valid(self, form):
        try:
            interest_express(
                vacancy=self.vacancy,
                agent=self.request.user,
                message=form.cleaned_data["message"],
                cv=form.cleaned_data.get("cv") or None,
            )
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Votre intérêt pour ce poste a été transmis au service des ressources humaines.")
        )
        return redirect(self.vacancy)


class MyInterestsView(InternalRequiredMixin, TemplateView):
    template_name = "vacancies/my_interests.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            interests=selectors.interest_list_of_agent(agent=self.request.user), today=timezone.localdate(), **kwargs
        )


class ConcoursListView(InternalRequiredMixin, TemplateView):
    template_name = "vacancies/concours_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            concours_list=selectors.concours_list_visible(),
            today=timezone.localdate(),
            can_manage=can_manage_vacancies(self.request.user),
            **kwargs,
        )
