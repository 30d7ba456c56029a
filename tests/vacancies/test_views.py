import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from intranet.models import Agent, AuditLogEntry, OrgUnit, OutgoingEmail
from tests.factories import AgentFactory, OrgUnitFactory, SiteFactory
from tests.querycount import assert_same_queries
from tests.vacancies.factories import ConcoursFactory, InterestFactory, VacancyFactory
from tests.vacancies.pdfs import big_pdf_upload, exe_renamed_upload, pdf_upload
from vacancies.models import Concours, Interest, Vacancy

pytestmark = pytest.mark.django_db

LIST = reverse("vacancies:vacancy-list")


def _titles(response):
    return [v.title for v in response.context["vacancies"]]


# --- Browsing and filters ------------------------------------------------------------------


def test_filters_by_words_ignoring_accents_service_with_sub_units_site_and_category(client, agent):
    direction = OrgUnitFactory(name="Direction des lycées", kind=OrgUnit.Kind.DIRECTION)
    kitchens = OrgUnitFactory(name="Restauration scolaire", parent=direction)
    finances = OrgUnitFactory(name="Finances")
    lycee, siege = SiteFactory(name="Lycée Kléber"), SiteFactory(name="Siège")
    VacancyFactory(title="Cuisinier", org_unit=kitchens, site=lycee, category="C", grade="Adjoint technique")
    VacancyFactory(
        title="Comptable",
        org_unit=finances,
        site=siege,
        category="B",
        description="Exécution budgétaire et élaboration des états.",
    )
    VacancyFactory(title="Directeur financier", org_unit=finances, site=siege, category="A")
    VacancyFactory(title="Ancien poste", org_unit=finances, deadline=timezone.localdate() - datetime.timedelta(days=1))
    VacancyFactory(title="Brouillon", org_unit=finances, status=Vacancy.Status.DRAFT, published_at=None)
    client.force_login(agent)

    assert sorted(_titles(client.get(LIST))) == ["Comptable", "Cuisinier", "Directeur financier"]
    assert _titles(client.get(LIST, {"q": "budgetaire"})) == ["Comptable"]  # accents ignored
    assert _titles(client.get(LIST, {"q": "CUISINIER"})) == ["Cuisinier"]
    assert _titles(client.get(LIST, {"unit": direction.pk})) == ["Cuisinier"]  # the direction's sub-units
    assert sorted(_titles(client.get(LIST, {"site": siege.pk}))) == ["Comptable", "Directeur financier"]
    assert _titles(client.get(LIST, {"category": "A"})) == ["Directeur financier"]
    response = client.get(LIST, {"q": "plombier"})
    assert "Aucune offre ouverte ne correspond" in response.content.decode()
    # The filter form offers the services with open vacancies and the units above them.
    found = client.get(reverse("intranet:picker-services-offres"), {"q": ""}).json()["results"]
    assert {int(unit["value"]) for unit in found} == {direction.pk, kitchens.pk, finances.pk}


def test_a_bad_filter_value_drops_that_filter_only_not_a_500(client, agent):
    VacancyFactory(title="Poste A", category="A")
    VacancyFactory(title="Poste B", category="B")
    client.force_login(agent)
    response = client.get(LIST, {"unit": "abc", "site": "999999", "category": "Z", "page": "x"})
    assert response.status_code == 200
    assert sorted(_titles(response)) == ["Poste A", "Poste B"]
    response = client.get(LIST, {"site": "999999", "category": "A"})
    assert _titles(response) == ["Poste A"]
    assert '<option value="A" selected>' in response.content.decode()


def _add_vacancies(count):
    units = OrgUnit.objects.bulk_create([OrgUnit(name=f"Masse {i}") for i in range(20)])
    today = timezone.localdate()
    Vacancy.objects.bulk_create(
        [
            Vacancy(
                reference=f"MASSE-{i}",
                title=f"Poste {i}",
                org_unit=units[i % 20],
                category="C",
                description="Missions",
                deadline=today + datetime.timedelta(days=40 + i % 30),
                status=Vacancy.Status.PUBLISHED,
                published_at=timezone.now(),
            )
            for i in range(count)
        ]
    )


@pytest.mark.parametrize("data", [{}, {"q": "poste missions", "category": "C"}])
def test_vacancy_list_queries_do_not_grow_with_vacancies(client, agent, data):
    for i in range(10):
        VacancyFactory(title=f"Poste initial {i}", category="C")
    client.force_login(agent)
    assert_same_queries(client, LIST, grow=lambda: _add_vacancies(1000), data=data)


def test_manage_page_queries_do_not_grow(client, rh):
    VacancyFactory.create_batch(5)
    ConcoursFactory.create_batch(3)
    client.force_login(rh)

    def grow():
        _add_vacancies(300)
        today = timezone.localdate()
        Concours.objects.bulk_create(
            [Concours(name=f"C{i}", registration_opens=today, registration_closes=today) for i in range(100)]
        )

    assert_same_queries(client, reverse("vacancies:manage"), grow=grow)


def test_draft_is_hidden_from_agents_but_shown_to_hr(client, agent, rh):
    draft = VacancyFactory(status=Vacancy.Status.DRAFT, published_at=None)
    client.force_login(agent)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("vacancies:interest-create", args=[draft.pk])).status_code == 404
    client.force_login(rh)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Publier" in response.content.decode()


def test_closed_vacancy_shows_closed_and_offers_no_interest(client, agent):
    vacancy = VacancyFactory(deadline=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(agent)
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert "Clôturée" in page
    assert "Manifester mon intérêt" not in page
    response = client.post(reverse("vacancies:interest-create", args=[vacancy.pk]), {"message": "Bonjour"})
    assert response.status_code == 200
    assert "plus ouverte aux candidatures" in response.content.decode()
    assert not Interest.objects.exists()


# --- HR: create, publish with the one-month warning -------------------------------------------


def _vacancy_form(**extra):
    return {
        "title": "Chargé de mission RH",
        "org_unit": OrgUnitFactory().pk,
        "site": SiteFactory().pk,
        "category": "A",
        "grade": "Attaché",
        "description": "Ligne 1\nLigne 2 <script>alert(1)</script>",
        "deadline": (timezone.localdate() + datetime.timedelta(days=15)).isoformat(),
        "contact_email": "rh@test.local",
        **extra,
    }


def test_hr_creates_a_draft_then_publishing_a_short_period_warns_until_confirmed(client, rh):
    client.force_login(rh)
    response = client.post(reverse("vacancies:vacancy-create"), _vacancy_form())
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == vacancy.get_absolute_url()
    assert vacancy.status == Vacancy.Status.DRAFT
    detail = client.get(vacancy.get_absolute_url()).content.decode()
    assert "Ligne 1<br>Ligne 2 &lt;script&gt;" in detail  # plain text: line breaks kept, HTML inert

    publish = reverse("vacancies:vacancy-publish", args=[vacancy.pk])
    page = client.get(publish).content.decode()
    assert "Période de candidature inférieure à un mois" in page
    response = client.post(publish, {})
    assert response.status_code == 200
    assert "Confirmez explicitement" in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.DRAFT
    response = client.post(publish, {"confirm_short_period": "on"})
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED
    assert vacancy.short_period_confirmed_by == rh
    assert "confirmée par" in client.get(vacancy.get_absolute_url()).content.decode()


def test_publish_page_has_no_warning_for_a_month_or_more(client, rh):
    vacancy = VacancyFactory(status=Vacancy.Status.DRAFT, published_at=None)  # 60 days
    client.force_login(rh)
    publish = reverse("vacancies:vacancy-publish", args=[vacancy.pk])
    assert "inférieure à un mois" not in client.get(publish).content.decode()
    assert client.post(publish, {}).status_code == 302


def test_vacancy_form_needs_a_contact_and_shows_french_errors(client, rh):
    client.force_login(rh)
    response = client.post(reverse("vacancies:vacancy-create"), _vacancy_form(contact_email="", deadline="demain"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez un agent à contacter ou une adresse e-mail de contact." in page
    assert "Saisissez une date valide." in page
    assert not Vacancy.objects.exists()


def test_hr_creates_and_publishes_a_concours_agents_see_it(client, rh, agent):
    client.force_login(rh)
    today = timezone.localdate()
    response = client.post(
        reverse("vacancies:concours-create"),
        {
            "name": "Rédacteur territorial",
            "category": "B",
            "registration_opens": today.isoformat(),
            "registration_closes": (today + datetime.timedelta(days=30)).isoformat(),
            "exam_date": (today + datetime.timedelta(days=90)).isoformat(),
            "preparation": "CNFPT",
            "link": "www.cdg54.fr/concours",
        },
    )
    assert response.status_code == 302
    concours = Concours.objects.get()
    assert concours.link == "https://www.cdg54.fr/concours"
    client.force_login(agent)
    assert "Rédacteur territorial" not in client.get(reverse("vacancies:concours-list")).content.decode()
    client.force_login(rh)
    client.post(reverse("vacancies:concours-status", args=[concours.pk]), {"status": "published"})
    client.force_login(agent)
    page = client.get(reverse("vacancies:concours-list")).content.decode()
    assert "Rédacteur territorial" in page
    assert "CNFPT" in page


def test_concours_dates_in_the_wrong_order_are_refused(client, rh):
    client.force_login(rh)
    today = timezone.localdate()
    response = client.post(
        reverse("vacancies:concours-create"),
        {
            "name": "X",
            "registration_opens": today.isoformat(),
            "registration_closes": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert "La clôture des inscriptions doit suivre leur ouverture." in response.content.decode()
    assert not Concours.objects.exists()


# --- Agents: interest with a CV; CV access --------------------------------------------------


def test_agent_expresses_interest_with_a_pdf_and_sees_it(client, agent, rh):
    vacancy = VacancyFactory()
    client.force_login(agent)
    url = reverse("vacancies:interest-create", args=[vacancy.pk])
    response = client.post(url, {"message": "Je suis intéressée.", "cv": pdf_upload(name="mon cv.pdf")})
    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.agent == agent
    assert interest.cv_filename == "mon cv.pdf"
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert "Vous avez manifesté votre intérêt pour ce poste" in page
    assert "Intérêt manifesté" in client.get(LIST).content.decode()
    assert vacancy.title in client.get(reverse("vacancies:my-interests")).content.decode()
    assert client.get(url).status_code == 302  # no second form
    assert OutgoingEmail.objects.filter(to=rh.email, kind="vacancies.interest").count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (exe_renamed_upload, "Le CV doit être un fichier PDF"),
        (big_pdf_upload, "Le CV dépasse la taille maximale de 5 Mo"),
    ],
)
def test_interest_form_refuses_bad_files_with_a_french_message(client, agent, upload, message):
    vacancy = VacancyFactory()
    client.force_login(agent)
    response = client.post(
        reverse("vacancies:interest-create", args=[vacancy.pk]), {"message": "Bonjour", "cv": upload()}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Interest.objects.exists()


def test_cv_is_readable_by_hr_only_and_never_through_media(client, agent, rh, manager):
    vacancy = VacancyFactory()
    client.force_login(agent)
    client.post(
        reverse("vacancies:interest-create", args=[vacancy.pk]),
        {"message": "Bonjour", "cv": pdf_upload(text="CV de Helene")},
    )
    interest = Interest.objects.get()
    cv_url = reverse("vacancies:interest-cv", args=[interest.pk])
    for user in (agent, manager):  # not even its author, nor the agent's manager
        client.force_login(user)
        assert client.get(cv_url).status_code == 403
        assert client.get(reverse("vacancies:vacancy-interests", args=[vacancy.pk])).status_code == 403
    client.force_login(rh)
    assert client.get(reverse("intranet:media", args=[interest.cv.name])).status_code == 404
    response = client.get(cv_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert "CV de Helene" in reader.pages[0].extract_text()
    assert AuditLogEntry.objects.filter(action="vacancy.cv_read", actor=rh).count() == 1
    interests_page = client.get(reverse("vacancies:vacancy-interests", args=[vacancy.pk])).content.decode()
    assert "Bonjour" in interests_page
    assert cv_url in interests_page


# --- Home slot, search ---------------------------------------------------------------------


def test_home_slot_lists_latest_open_vacancies(client, agent, partenaire):
    VacancyFactory(title="Technicien réseaux")
    VacancyFactory(title="Poste fermé", deadline=timezone.localdate() - datetime.timedelta(days=2))
    client.force_login(agent)
    page = client.get(reverse("intranet:home")).content.decode()
    assert "Dernières offres d&#x27;emploi" in page
    assert "Technicien réseaux" in page
    assert "Poste fermé" not in page
    client.force_login(partenaire)
    assert "Technicien réseaux" not in client.get(reverse("intranet:home")).content.decode()


def test_global_search_finds_open_vacancies_for_agents_only(client, agent, partenaire):
    vacancy = VacancyFactory(title="Technicien réseaux")
    client.force_login(agent)
    page = client.get(reverse("intranet:search"), {"q": "reseaux"}).content.decode()
    assert vacancy.get_absolute_url() in page
    client.force_login(partenaire)
    assert vacancy.get_absolute_url() not in client.get(reverse("intranet:search"), {"q": "reseaux"}).content.decode()


def test_hr_edits_an_open_vacancy_but_not_a_closed_one_nor_below_the_month(client, rh):
    vacancy = VacancyFactory(title="Ancien titre", published_at=timezone.now() - datetime.timedelta(days=3))
    client.force_login(rh)
    url = reverse("vacancies:vacancy-update", args=[vacancy.pk])
    data = _vacancy_form(title="Nouveau titre", reference=vacancy.reference, deadline=vacancy.deadline.isoformat())
    assert client.post(url, data).status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title == "Nouveau titre"

    too_soon = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post(url, {**data, "deadline": too_soon})
    assert "ne peut pas être avancée à moins d&#x27;un mois" in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.deadline != datetime.date.fromisoformat(too_soon)

    past = VacancyFactory(deadline=timezone.localdate() - datetime.timedelta(days=1))
    page = client.get(past.get_absolute_url()).content.decode()
    assert "Modifier" not in page
    assert "Clôturer maintenant" not in page
    later = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    response = client.post(
        reverse("vacancies:vacancy-update", args=[past.pk]),
        _vacancy_form(reference=past.reference, deadline=later),
    )
    assert "Cette offre est clôturée" in response.content.decode()
    past.refresh_from_db()
    assert not past.is_open()


def test_interests_page_queries_do_not_grow(client, rh):
    vacancy = VacancyFactory()
    InterestFactory.create_batch(3, vacancy=vacancy)

    def grow():
        agents = Agent.objects.bulk_create(
            [AgentFactory.build(email=f"masse{i}@test.local", matricule=f"X{i}") for i in range(300)]
        )
        Interest.objects.bulk_create([Interest(vacancy=vacancy, agent=a, message="Bonjour") for a in agents])

    client.force_login(rh)
    assert_same_queries(client, reverse("vacancies:vacancy-interests", args=[vacancy.pk]), grow=grow)


def test_my_interests_queries_do_not_grow(client, agent):
    InterestFactory(agent=agent)

    def grow():
        _add_vacancies(300)
        Interest.objects.bulk_create(
            [
                Interest(vacancy=v, agent=agent, message="Bonjour")
                for v in Vacancy.objects.filter(reference__startswith="MASSE-")
            ]
        )

    client.force_login(agent)
    assert_same_queries(client, reverse("vacancies:my-interests"), grow=grow)


def test_agent_data_export_lists_their_interests(agent):
    from vacancies.selectors import agent_data_export

    vacancy = VacancyFactory(title="Jardinier")
    Interest.objects.create(vacancy=vacancy, agent=agent, message="Bonjour")
    data = agent_data_export(agent)
    assert data["manifestations_d_interet"][0]["intitule"] == "Jardinier"
    assert data["manifestations_d_interet"][0]["cv_joint"] is False


def test_contact_choices_are_hr_and_unit_heads_not_every_agent(rh, agent, manager):
    from vacancies.forms import VacancyForm

    head = AgentFactory()
    OrgUnitFactory(head=head)
    choices = set(VacancyForm().fields["contact_agent"].queryset)
    assert {rh, head} <= choices
    assert agent not in choices


def test_concours_with_open_or_coming_registration_come_before_closed_ones(client, agent):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    ConcoursFactory(name="Fini", registration_opens=today - 30 * day, registration_closes=today - day)
    ConcoursFactory(name="Bientôt", registration_opens=today + 10 * day, registration_closes=today + 40 * day)
    ConcoursFactory(name="Ouvert", registration_opens=today - day, registration_closes=today + 5 * day)
    ConcoursFactory(name="Brouillon", status=Concours.Status.DRAFT)
    client.force_login(agent)
    response = client.get(reverse("vacancies:concours-list"))
    assert [c.name for c in response.context["concours_list"]] == ["Ouvert", "Bientôt", "Fini"]
