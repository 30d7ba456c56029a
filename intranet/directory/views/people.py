"""The directory page (search as you type) and the agent page with its vCard."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from intranet.directory.forms.people import AgentSearchForm
from intranet.directory.permissions import photo_sight
from intranet.directory.search import agent_search
from intranet.directory.selectors import people as selectors_people
from intranet.directory.selectors.orgchart import orgchart_build
from intranet.permissions import InternalRequiredMixin
from intranet.shortcuts import digest, kept_partial, paginate, query_digest


class AgentListView(InternalRequiredMixin, TemplateView):
    """`/annuaire/`: the search form and a page of results. An htmx request (typing in the
    box, changing a filter) gets the results fragment only; without JavaScript the same
    form is a plain GET."""

    template_name = "intranet/directory/agent_list.html"
    search_template = "intranet/directory/_agent_search.html"

    def get(self, request, *args, **kwargs):
        form = AgentSearchForm(request.GET)
        filters = form.filters()
        template = self.search_template + ("#results" if request.htmx else "")
        html = selectors_people.SEARCH_RESULTS.html(
            "htmx" if request.htmx else "page",
            request.GET.urlencode(),
            render=lambda: render_to_string(template, self.search_context(form, filters), request=request),
        )
        if request.htmx:
            return HttpResponse(html)
        return self.render_to_response(
            self.get_context_data(form=form, search_html=html, directory_query=filters["query"], **kwargs)
        )

    def search_context(self, form, filters) -> dict:
        agents = agent_search(
            user=self.request.user,
            query=filters["query"],
            site_id=filters["site_id"],
            category=filters["category"],
            # the unit and its sub-units, from the org chart kept per version (no query)
            org_unit_ids=orgchart_build().descendant_ids(filters["unit_id"]) if filters["unit_id"] else None,
        )
        page = paginate(self.request, agents, selectors_people.RESULTS_PER_PAGE)
        return {"form": form, "page_obj": page, "directory_query": filters["query"]}


class AgentDetailView(InternalRequiredMixin, TemplateView):
    template_name = "intranet/directory/agent_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        agent = selectors_people.agent_get_shown(user=user, pk=kwargs["pk"])
        links = selectors_people.agent_links(user=user, agent=agent)

        def profile() -> dict:
            team_page = self.request.GET.get("page")
            page = selectors_people.agent_page(user=user, agent=agent, links=links, team_page=team_page)
            return {"page": page, "agent": agent}

        html, _failed = kept_partial(
            selectors_people.AGENT_PAGE,
            agent.pk,
            query_digest(self.request),
            photo_sight(user),
            digest(*(url for _label, url in links)),
            request=self.request,
            template_name=f"{self.template_name}#profile",
            context=profile,
        )
        return super().get_context_data(agent=agent, profile=html, **kwargs)


class AgentVcardView(InternalRequiredMixin, View):
    def get(self, request, pk):
        agent = selectors_people.agent_get(user=request.user, pk=pk)
        response = HttpResponse(selectors_people.agent_vcard(agent), content_type="text/vcard; charset=utf-8")
        filename = slugify(agent.get_full_name()) or f"agent-{agent.pk}"
        response["Content-Disposition"] = content_disposition_header(True, f"{filename}.vcf")
        return response
