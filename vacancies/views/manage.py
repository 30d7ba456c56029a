"""HR's and administrators' pages: vacancies created, changed, published, closed; the expressions of
interest and their CVs; the concours."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from intranet.permissions import RuleRequiredMixin
from intranet.services import audit_log_record
from intranet.shortcuts import form_add_service_error
from vacancies import selectors
from vacancies.forms import ConcoursForm, PublishForm, VacancyForm
from vacancies.models import Concours, Interest, Vacancy, one_month_after
from vacancies.permissions import can_manage_vacancies
from vacancies.services.interests import vacancy_interests_mark_seen
from vacancies.services.postings import (
    ShortApplicationPeriod,
    application_period_is_short,
    concours_create,
    concours_set_status,
    concours_update,
    vacancy_close,
    vacancy_create,
    vacancy_publish,
    vacancy_update,
)


class HRRequiredMixin(RuleRequiredMixin):
    rule = staticmethod(can_manage_vacancies)


class ManageView(HRRequiredMixin, TemplateView):
    template_name = "vacancies/manage.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            vacancies=selectors.vacancy_list_manage(),
            concours_list=selectors.concours_list_manage(),
            today=timezone.localdate(),
            **kwargs,
        )


class VacancyCreateView(HRRequiredMixin, FormView):
    template_name = "vacancies/vacancy_form.html"
    form_class = VacancyForm

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            vacancy = vacancy_create(user=self.request.user, **data)
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Brouillon enregistré. Relisez l'offre puis publiez-la."))
        return redirect(vacancy)


class VacancyUpdateView(HRRequiredMixin, FormView):
    template_name = "vacancies/vacancy_form.html"
    form_class = VacancyForm

    def dispatch(self, request, *args, **kwargs):
        self.vacancy = get_object_or_404(Vacancy, pk=kwargs["pk"]) if request.user.is_authenticated else None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.vacancy}

    def get_context_data(self, **kwargs):
        return super().get_context_data(vacancy=self.vacancy, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        if not data.get("reference"):
            data.pop("reference")
        self.vacancy.refresh_from_db()  # the form wrote its values on the instance; the service does that
        try:
            vacancy = vacancy_update(vacancy=self.vacancy, user=self.request.user, **data)
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Offre enregistrée."))
        return redirect(vacancy)


class VacancyPublishView(HRRequiredMixin, FormView):
    """GET: what publishing means (and the warning when the period is under a month);
    POST: publish, which needs the confirmation box when the period is short."""

    template_name = "vacancies/vacancy_publish.html"
    form_class = PublishForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.vacancy = get_object_or_404(Vacancy.objects.select_related("org_unit", "site"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            vacancy=self.vacancy,
            minimum_deadline=one_month_after(today),
            short_period=application_period_is_short(deadline=self.vacancy.deadline, published_on=today),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            vacancy_publish(
                vacancy=self.vacancy,
                user=self.request.user,
                confirm_short_period=form.cleaned_data["confirm_short_period"],
            )
        except ShortApplicationPeriod as error:
            form.add_error("confirm_short_period", error)
            return self.form_invalid(form)
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("L'offre est publiée : les agents peuvent la consulter."))
        return redirect(self.vacancy)


class VacancyCloseView(HRRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        vacancy = get_object_or_404(Vacancy, pk=pk)
        try:
            vacancy_close(vacancy=vacancy, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("L'offre est clôturée."))
        return redirect(vacancy)


class VacancyInterestsView(HRRequiredMixin, TemplateView):
    template_name = "vacancies/vacancy_interests.html"

    def get_context_data(self, **kwargs):
        vacancy = get_object_or_404(Vacancy.objects.select_related("org_unit", "site"), pk=self.kwargs["pk"])
        interests = list(selectors.interest_list_for_vacancy(vacancy=vacancy))
        return super().get_context_data(
            vacancy=vacancy, interests=interests, has_new=any(i.is_new for i in interests), **kwargs
        )


class VacancyInterestsSeenView(HRRequiredMixin, View):
    """POST: HR have read the vacancy's expressions of interest (they leave « À faire »)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        vacancy = get_object_or_404(Vacancy, pk=pk)
        vacancy_interests_mark_seen(vacancy=vacancy, user=request.user)
        messages.success(request, _("Les manifestations d'intérêt sont marquées comme lues."))
        return redirect("vacancies:vacancy-interests", pk=vacancy.pk)


class InterestCvView(HRRequiredMixin, View):
    """The CV of an expression of interest, for HR only (stored under MEDIA_ROOT/private/,
    which the public media view never serves); each reading is logged."""

    def get(self, request, pk):
        interest = get_object_or_404(Interest.objects.select_related("agent"), pk=pk)
        if not interest.cv:
            raise Http404
        audit_log_record(actor=request.user, action="vacancy.cv_read", target=interest)
        filename = f"CV {interest.agent.last_name} {interest.agent.first_name} {interest.vacancy_id}.pdf"
        response = FileResponse(
            interest.cv.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
        )
        response["Cache-Control"] = "private, no-store"
        return response


class ConcoursCreateView(HRRequiredMixin, FormView):
    template_name = "vacancies/concours_form.html"
    form_class = ConcoursForm

    def form_valid(self, form):
        try:
            concours_create(user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Concours enregistré (brouillon) : publiez-le depuis la gestion."))
        return redirect("vacancies:manage")


class ConcoursUpdateView(HRRequiredMixin, FormView):
    template_name = "vacancies/concours_form.html"
    form_class = ConcoursForm

    def dispatch(self, request, *args, **kwargs):
        self.concours = get_object_or_404(Concours, pk=kwargs["pk"]) if request.user.is_authenticated else None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.concours}

    def get_context_data(self, **kwargs):
        return super().get_context_data(concours=self.concours, **kwargs)

    def form_valid(self, form):
        self.concours.refresh_from_db()
        try:
            concours_update(concours=self.concours, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Concours enregistré."))
        return redirect("vacancies:manage")


class ConcoursStatusView(HRRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        concours = get_object_or_404(Concours, pk=pk)
        status = request.POST.get("status", "")
        if status not in Concours.Status.values:
            messages.error(request, _("Action inconnue."))
        else:
            concours_set_status(concours=concours, user=request.user, status=status)
            messages.success(
                request,
                _("Concours « %(name)s » : %(status)s.")
                % {"name": concours.name, "status": Concours.Status(status).label},
            )
        return redirect("vacancies:manage")
