from django.views.generic import DetailView

from intranet.permissions import InternalRequiredMixin
from vacancies.models import Vacancy


class VacancyDetailView(InternalRequiredMixin, DetailView):
    template_name = "vacancies/vacancy_detail.html"

    def get_queryset(self):
        return Vacancy.objects.exclude(status=Vacancy.Status.DRAFT).select_related("org_unit", "site")
