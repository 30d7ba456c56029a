"""The vacancies board in the browser: rh@ writes a vacancy whose period is under a month, is
warned and confirms, publishes; agent@ finds it with the filters, is refused a renamed
executable as CV, then expresses interest with a real PDF; rh@ reads it. Zero axe violations
on every page of the board."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.e2e.conftest import assert_no_axe_violations, assert_no_console_errors, login_as, nav_go, pick
from tests.factories import OrgUnitFactory, SiteFactory
from tests.vacancies.factories import ConcoursFactory, VacancyFactory
from vacancies.demo import _cv_pdf
from vacancies.models import Interest, Vacancy

pytestmark = pytest.mark.browser


def test_hr_publishes_and_an_agent_finds_it_and_expresses_interest(page, axe, live_server, rh, agent, tmp_path):
    unit = OrgUnitFactory(name="Restauration scolaire")
    site = SiteFactory(name="Lycée Kléber")
    VacancyFactory(title="Comptable", category="B")
    ConcoursFactory(name="Rédacteur territorial")

    # --- rh@ writes the vacancy, is warned about the short period, confirms, publishes.
    login_as(page, live_server, rh)
    nav_go(page, "Emploi et parcours", "Offres d'emploi et concours")
    page.get_by_role("link", name="Gestion des offres et concours").click()
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name="Nouveau concours").click()
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name="Enregistrer").click()  # empty: the errors are accessible too
    page.wait_for_selector(".invalid-feedback")
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name="Annuler").click()
    page.get_by_role("link", name="Nouvelle offre").click()
    assert_no_axe_violations(page, axe)
    page.get_by_label("Intitulé du poste").fill("Cuisinier en lycée")
    pick(page, "Service*", "restau", "Restauration scolaire")
    pick(page, "Site", "kléber", "Lycée Kléber (Pont-à-Mousson)")
    page.get_by_label("Catégorie").select_option("C")
    page.get_by_label("Grade").fill("Adjoint technique")
    page.get_by_label("Description du poste").fill("Préparer les repas.\nEncadrer l'équipe de plonge.")
    deadline = timezone.localdate() + datetime.timedelta(days=12)
    page.get_by_label("Date limite de candidature").fill(deadline.isoformat())
    page.get_by_label("E-mail de contact").fill("recrutement@test.local")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_selector("text=Brouillon enregistré")
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name="Publier", exact=True).click()
    assert page.get_by_role("heading", name="Période de candidature inférieure à un mois").is_visible()
    assert_no_axe_violations(page, axe)
    page.get_by_role("button", name="Publier l'offre").click()
    page.wait_for_selector("text=Confirmez explicitement")
    assert Vacancy.objects.get(title="Cuisinier en lycée").status == Vacancy.Status.DRAFT
    assert_no_axe_violations(page, axe)
    page.get_by_label("Je confirme la publication avec une période de candidature inférieure à un mois.").check()
    page.get_by_role("button", name="Publier l'offre").click()
    page.wait_for_selector("text=L'offre est publiée")
    vacancy = Vacancy.objects.get(title="Cuisinier en lycée")
    assert vacancy.status == Vacancy.Status.PUBLISHED
    assert vacancy.org_unit == unit
    assert vacancy.site == site
    assert_no_console_errors(page)

    # --- agent@ finds it with the filters and expresses interest.
    page.context.clear_cookies()
    login_as(page, live_server, agent)
    assert page.get_by_text("Cuisinier en lycée").first.is_visible()  # the home slot
    assert_no_axe_violations(page, axe)
    nav_go(page, "Emploi et parcours", "Offres d'emploi et concours")
    assert_no_axe_violations(page, axe)
    page.get_by_label("Mots-clés").fill("cuisinier")
    pick(page, "Site", "kléber", "Lycée Kléber (Pont-à-Mousson)")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_selector("text=1 offre ouverte")
    assert not page.get_by_text("Comptable").is_visible()
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name="Cuisinier en lycée").click()
    assert page.get_by_text("Encadrer l'équipe de plonge.").is_visible()
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name="Manifester mon intérêt").click()
    assert_no_axe_violations(page, axe)

    exe = tmp_path / "cv.pdf"
    exe.write_bytes(b"MZ\x90\x00" + b"This program cannot be run in DOS mode." * 40)
    page.get_by_label("Votre message").fill("Cuisinière depuis dix ans, je souhaite rejoindre le lycée.")
    page.get_by_label("Votre CV (PDF, 5 Mo au plus)").set_input_files(str(exe))
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_selector("text=Le CV doit être un fichier PDF")
    assert not Interest.objects.exists()
    assert_no_axe_violations(page, axe)

    cv = tmp_path / "mon-cv.pdf"
    cv.write_bytes(_cv_pdf("Hélène Dupont"))
    page.get_by_label("Votre CV (PDF, 5 Mo au plus)").set_input_files(str(cv))
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_selector("text=Votre intérêt pour ce poste a été transmis")
    assert page.get_by_text("Vous avez manifesté votre intérêt pour ce poste").is_visible()
    assert_no_axe_violations(page, axe)
    interest = Interest.objects.get()
    assert interest.agent == agent
    assert interest.cv.read().startswith(b"%PDF-")
    page.get_by_role("link", name="Offres d'emploi", exact=True).first.click()
    page.get_by_role("link", name="Mes candidatures").click()
    assert page.get_by_role("link", name="Cuisinier en lycée").is_visible()
    assert_no_axe_violations(page, axe)
    page.get_by_role("link", name="Concours", exact=True).click()
    assert page.get_by_text("Rédacteur territorial").is_visible()
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)

    # --- rh@ reads the expression of interest.
    page.context.clear_cookies()
    login_as(page, live_server, rh)
    page.goto(live_server.url + reverse("vacancies:vacancy-interests", args=[vacancy.pk]))
    assert page.get_by_text("Cuisinière depuis dix ans").is_visible()
    assert page.get_by_role("link", name=f"CV de {agent}").is_visible()
    assert_no_axe_violations(page, axe)
    assert_no_console_errors(page)
