"""What every figure reads: the published responses of the group asked for (a session, and on an
identified survey a unit with its sub-units or a site), and the invitations of that group."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from intranet.audiences import unit_ids_with_descendants
from intranet.models import OrgUnit, Site
from surveys.disclosure import View
from surveys.models import DISCLOSURE_THRESHOLD, Invitation, Response, Survey, SurveySession

MIN_RESPONDENTS = DISCLOSURE_THRESHOLD


@dataclass(frozen=True)
class ResultFilters:
    session: SurveySession | None = None
    unit: OrgUnit | None = None  # with its sub-units; identified surveys only
    site: Site | None = None  # identified surveys only

    @property
    def is_group(self) -> bool:
        return bool(self.session or self.unit or self.site)

    def params(self) -> dict:
        """JSON-able, for a document request."""
        return {
            "session": self.session.pk if self.session else None,
            "unit": self.unit.pk if self.unit else None,
            "site": self.site.pk if self.site else None,
        }

    def view(self, survey: Survey) -> View:
        identified = filters_allowed(survey)
        return View(
            session=self.session.pk if self.session else None,
            site=self.site.pk if self.site and identified else None,
            unit=self.unit.pk if self.unit and identified else None,
        )

    def describe(self) -> str:
        parts = []
        if self.session:
            parts.append(_("session « %(label)s »") % {"label": self.session.label})
        if self.unit:
            parts.append(_("unité « %(name)s » et ses sous-unités") % {"name": self.unit.name})
        if self.site:
            parts.append(_("site « %(name)s »") % {"name": self.site.name})
        return ", ".join(parts) or _("toutes les réponses")


def filters_allowed(survey: Survey) -> bool:
    """Unit and site filters need the path to the agent, which only identified surveys have."""
    return not survey.anonymous


def published_responses(survey: Survey) -> QuerySet[Response]:
    """What every figure, export, PDF and indicator reads."""
    return Response.objects.filter(survey=survey, published=True)


def result_responses(*, survey: Survey, filters: ResultFilters) -> QuerySet[Response]:
    responses = published_responses(survey)
    if filters.session:
        responses = responses.filter(session=filters.session)
    if filters_allowed(survey):
        if filters.unit:
            units = unit_ids_with_descendants([filters.unit.pk])
            responses = responses.filter(identity__agent__org_unit_id__in=units)
        if filters.site:
            responses = responses.filter(identity__agent__site=filters.site)
    return responses


def _invitations(*, survey: Survey, filters: ResultFilters) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(survey=survey)
    if filters.session:
        invitations = invitations.filter(session=filters.session)
    if filters_allowed(survey):
        if filters.unit:
            invitations = invitations.filter(agent__org_unit_id__in=unit_ids_with_descendants([filters.unit.pk]))
        if filters.site:
            invitations = invitations.filter(agent__site=filters.site)
    return invitations
