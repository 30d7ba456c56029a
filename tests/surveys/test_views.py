"""The answering path and the building pages, through the client."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intranet.models import OutgoingEmail
from surveys.models import Answer, Invitation, Question, Response, Survey
from surveys.services.answers import survey_answer_submit
from surveys.services.drafting import survey_create_from_template
from surveys.services.invitations import reminders_send
from tests.factories import AgentFactory
from tests.html import Page
from tests.querycount import assert_same_queries
from tests.surveys.factories import (
    InvitationFactory,
    QuestionFactory,
    SectionFactory,
    SurveyFactory,
    survey_with_every_kind,
)

pytestmark = pytest.mark.django_db


def _link(invitation):
    return reverse("surveys:answer-token", args=[invitation.token()])


def _full_answers(survey):
    q = survey.q
    return {
        q["single"].field_name: str(q["single"].choices.first().pk),
        q["multiple"].field_name: [str(c.pk) for c in q["multiple"].choices.all()[:2]],
        q["scale"].field_name: "4",
        q["nps"].field_name: "9",
        q["yesno"].field_name: "non",
        q["number"].field_name: "3,5",
        q["date"].field_name: "2026-01-15",
        q["short_text"].field_name: "Bien",
        q["long_text"].field_name: "Très utile.",
    }


def test_the_personal_link_shows_every_question_and_stores_the_answer_once(client):
    survey = survey_with_every_kind(anonymous=True)
    invitation = InvitationFactory(survey=survey)
    page = client.get(_link(invitation))
    assert page.status_code == 200
    content = page.content.decode()
    for question in survey.q.values():
        assert question.label in content
    assert "Enquête anonyme" in content
    response = client.post(_link(invitation), {**_full_answers(survey), "action": "submit"})
    assert response.status_code == 302
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 10  # multiple choice: two rows
    again = client.get(_link(invitation))
    assert "Vous avez répondu à cette enquête" in again.content.decode()
    resubmit = client.post(_link(invitation), {**_full_answers(survey), "action": "submit"})
    assert "Vous avez répondu à cette enquête" in resubmit.content.decode()
    assert Response.objects.count() == 1


def test_a_tampered_link_gets_a_french_page_not_a_500(client):
    invitation = InvitationFactory()
    token = invitation.token()
    for bad in (token[:-1] + ("0" if token[-1] != "0" else "1"), "abc", "x" * 64, token + "00"):
        response = client.get(reverse("surveys:answer-token", args=[bad]))
        assert response.status_code == 404
        assert "Ce lien n'est pas valable" in response.content.decode()
        assert client.post(reverse("surveys:answer-token", args=[bad]), {"action": "submit"}).status_code == 404


def test_invalid_answers_show_the_errors_and_store_nothing(client):
    survey = survey_with_every_kind()
    Question.objects.filter(pk=survey.q["scale"].pk).update(required=True)
    invitation = InvitationFactory(survey=survey)
    data = {
        **_full_answers(survey),
        survey.q["single"].field_name: "999999",
        survey.q["scale"].field_name: "",
        survey.q["long_text"].field_name: "x" * 1_000_000,
        "action": "submit",
    }
    response = client.post(_link(invitation), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "3 réponses sont à corriger" in content
    page = Page(content)
    assert page.title().startswith("Erreur : ")
    assert [link.get("href") for link in page.all("[data-error-summary] a")] == [
        f"#question-{survey.q[kind].pk}" for kind in ("single", "scale", "long_text")
    ]
    assert "Choix inconnu." in content
    assert "Cette question demande une réponse." in content
    assert "Le texte est trop long" in content
    assert "Bien" in content  # what was typed is kept
    assert not Response.objects.exists()
    assert not Answer.objects.exists()
    assert not Invitation.objects.get(pk=invitation.pk).answered


def test_save_a_draft_and_resume_it(client):
    survey = survey_with_every_kind()
    Question.objects.filter(pk=survey.q["scale"].pk).update(required=True)
    invitation = InvitationFactory(survey=survey)
    short = survey.q["short_text"].field_name
    response = client.post(_link(invitation), {short: "Brouillon en cours", "action": "save"})
    assert response.status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).draft == {short: ["Brouillon en cours"]}
    assert not Response.objects.exists()
    resumed = client.get(_link(invitation))
    assert 'value="Brouillon en cours"' in resumed.content.decode()
    client.post(_link(invitation), {**_full_answers(survey), "action": "submit"})
    assert Invitation.objects.get(pk=invitation.pk).draft is None


def test_a_closed_or_not_yet_open_survey_says_so(client):
    today = timezone.localdate()
    closed = InvitationFactory(survey=SurveyFactory(status=Survey.Status.CLOSED))
    later = InvitationFactory(survey=SurveyFactory(status=Survey.Status.SCHEDULED, opens_on=today + timedelta(3)))
    assert "Cette enquête est clôturée" in client.get(_link(closed)).content.decode()
    response = client.post(_link(closed), {"action": "submit"})
    assert "Cette enquête est clôturée" in response.content.decode()
    assert "pas encore ouverte" in client.get(_link(later)).content.decode()
    assert not Response.objects.exists()


def test_a_conditional_question_is_hidden_until_its_answer(client):
    survey = SurveyFactory()
    section = SectionFactory(survey=survey)
    asked = QuestionFactory(section=section, kind=Question.Kind.YES_NO, label="Avez-vous pu poser vos questions ?")
    why = QuestionFactory(
        section=section,
        kind=Question.Kind.LONG_TEXT,
        label="Lesquelles ?",
        required=True,
        condition_question=asked,
        condition_value="non",
    )
    invitation = InvitationFactory(survey=survey)
    page = client.get(_link(invitation)).content.decode()
    assert f'id="question-{why.pk}" hidden data-condition-field="{asked.field_name}"' in page
    response = client.post(_link(invitation), {asked.field_name: "oui", why.field_name: "ignoré", "action": "submit"})
    assert response.status_code == 302
    assert not Answer.objects.filter(question=why).exists()


def test_a_logged_in_agent_answers_from_the_home_page_and_my_surveys(client, agent):
    survey = survey_with_every_kind(title="Réunion de janvier")
    InvitationFactory(survey=survey, agent=agent)
    InvitationFactory(survey=SurveyFactory(title="Brouillon invisible", status=Survey.Status.DRAFT), agent=agent)
    client.force_login(agent)
    home = client.get(reverse("intranet:home")).content.decode()
    assert "Enquêtes à remplir" in home
    assert survey.get_absolute_url() in home
    assert "Brouillon invisible" not in home
    mine = client.get(reverse("surveys:survey-mine")).content.decode()
    assert "Réunion de janvier" in mine
    assert "Brouillon invisible" not in mine
    response = client.post(survey.get_absolute_url(), {**_full_answers(survey), "action": "submit"})
    assert response.status_code == 302
    assert Response.objects.count() == 1
    assert "Enquêtes à remplir" not in client.get(reverse("intranet:home")).content.decode()


def test_my_surveys_page_has_constant_queries(client, agent):
    client.force_login(agent)
    InvitationFactory(agent=agent)

    def grow():
        for _ in range(20):
            InvitationFactory(agent=agent)

    assert_same_queries(client, reverse("surveys:survey-mine"), grow=grow)


def test_manage_list_has_constant_queries(client, rh):
    client.force_login(rh)
    SurveyFactory(authors=[rh])

    def grow():
        for _ in range(15):
            survey = SurveyFactory(authors=[rh])
            InvitationFactory(survey=survey)
            QuestionFactory(section=SectionFactory(survey=survey))

    assert_same_queries(client, reverse("surveys:survey-manage"), grow=grow)


def test_hr_builds_a_survey_from_a_template_and_edits_it(client, rh):
    client.force_login(rh)
    response = client.post(
        reverse("surveys:survey-create"),
        {
            "template": "shadowing_host",
            "title": "Accueil du 12 mars",
            "anonymous": "",
            "intro": "",
        },
    )
    survey = Survey.objects.get(title="Accueil du 12 mars")
    assert response.status_code == 302
    assert survey.questions.count() == 7
    assert survey.anonymous is False
    build = client.get(survey.get_manage_url()).content.decode()
    assert "Affichée si « L&#x27;organisation de la journée" in build
    section = survey.sections.get()
    response = client.post(
        reverse("surveys:question-create", args=[section.pk]),
        {
            "kind": "single",
            "label": "Quel service ?",
            "section": section.pk,
            "choices": "RH\nFinances\n",
            "condition_question": survey.questions.get(kind="scale").pk,
            "condition_value": "2",
        },
    )
    assert response.status_code == 302
    added = survey.questions.get(label="Quel service ?")
    assert [c.label for c in added.choices.all()] == ["RH", "Finances"]
    assert added.condition_value == "2"
    refused = client.post(
        reverse("surveys:question-create", args=[section.pk]),
        {"kind": "multiple", "label": "Un seul choix ?", "section": section.pk, "choices": "Seul"},
    )
    assert refused.status_code == 400
    assert "au moins deux choix" in refused.content.decode()
    client.post(reverse("surveys:question-move", args=[added.pk]), {"direction": "up"})
    order = list(section.questions.order_by("order").values_list("pk", flat=True))
    assert order[-2] == added.pk
    preview = client.get(reverse("surveys:survey-preview", args=[survey.pk]))
    assert "Aperçu" in preview.content.decode()
    assert "Quel service ?" in preview.content.decode()


def test_invite_an_audience_then_remind_only_those_who_have_not_answered(
    client, rh, unit, django_capture_on_commit_callbacks
):
    survey = survey_create_from_template(template="meeting", title="Réunion TOS", author=rh)
    members = [AgentFactory(org_unit=unit) for _ in range(3)]
    client.force_login(rh)
    with django_capture_on_commit_callbacks():
        response = client.post(reverse("surveys:survey-invite", args=[survey.pk]), {"audience-units": [unit.pk]})
    assert response.status_code == 302
    invited = set(Invitation.objects.filter(survey=survey).values_list("agent_id", flat=True))
    assert {agent.pk for agent in members} <= invited
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    assert survey.audience["units"] == [unit.pk]
    first = Invitation.objects.get(survey=survey, agent=members[0])
    required = {q.field_name: "5" for q in survey.questions.filter(kind="scale")}
    survey_answer_submit(
        invitation=first,
        raw={**{k: [v] for k, v in required.items()}, survey.questions.get(kind="yesno").field_name: ["oui"]},
    )
    with django_capture_on_commit_callbacks():
        client.post(reverse("surveys:survey-remind", args=[survey.pk]))
    reminders_send(survey_id=survey.pk)
    reminded = set(OutgoingEmail.objects.filter(kind="surveys.reminder").values_list("to", flat=True))
    assert members[0].email not in reminded
    assert {members[1].email, members[2].email} <= reminded


def test_an_author_cannot_switch_anonymity_once_answered(client, rh):
    survey = SurveyFactory(authors=[rh], anonymous=True)
    question = QuestionFactory(section=SectionFactory(survey=survey))
    survey_answer_submit(invitation=InvitationFactory(survey=survey), raw={question.field_name: ["3"]})
    client.force_login(rh)
    page = client.get(reverse("surveys:survey-edit", args=[survey.pk])).content.decode()
    assert "Figé" in page
    assert 'name="anonymous"' in page
    assert "disabled" in page.split('name="anonymous"')[1].split(">")[0]
    client.post(
        reverse("surveys:survey-edit", args=[survey.pk]),
        {"title": "Nouveau titre", "anonymous": "", "authors": rh.email},
    )
    survey.refresh_from_db()
    assert survey.title == "Nouveau titre"
    assert survey.anonymous is True  # a disabled field keeps its value


def test_privacy_page_says_what_organisers_see(client):
    content = client.get(reverse("surveys:privacy")).content.decode()
    assert "qui a donné quelle réponse" in content
    assert "moins de 5 personnes" in content


def test_who_answered_lists_invitations_without_answers_and_constant_queries(client, rh):
    survey = SurveyFactory(authors=[rh], anonymous=False)  # anonymous: counts only (test_disclosure.py)
    question = QuestionFactory(section=SectionFactory(survey=survey))
    answered, pending = InvitationFactory(survey=survey), InvitationFactory(survey=survey)
    survey_answer_submit(invitation=answered, raw={question.field_name: ["2"]})
    client.force_login(rh)
    url = reverse("surveys:invitation-list", args=[survey.pk])
    content = client.get(url, {"repondu": "non"}).content.decode()
    assert pending.agent.last_name in content
    assert answered.agent.last_name not in content
    assert answered.agent.last_name in client.get(url, {"repondu": "oui"}).content.decode()

    def grow():
        for _ in range(30):
            InvitationFactory(survey=survey)

    assert_same_queries(client, url, grow=grow)


def test_authors_share_a_survey_and_an_unknown_address_is_refused(client, rh, communication):
    survey = SurveyFactory(authors=[rh], status=Survey.Status.DRAFT)
    client.force_login(rh)
    url = reverse("surveys:survey-edit", args=[survey.pk])
    refused = client.post(url, {"title": survey.title, "anonymous": "on", "authors": "inconnu@test.local"})
    assert refused.status_code == 400
    assert "inconnu@test.local" in refused.content.decode()
    client.post(url, {"title": survey.title, "anonymous": "on", "authors": f"{rh.email}\n{communication.email}"})
    assert set(survey.authors.all()) == {rh, communication}
    client.force_login(communication)
    assert client.get(survey.get_manage_url()).status_code == 200


def test_a_draft_with_an_unknown_choice_or_a_1_mb_text_is_refused_not_cut(client):
    survey = survey_with_every_kind()
    invitation = InvitationFactory(survey=survey)
    response = client.post(
        _link(invitation),
        {survey.q["long_text"].field_name: "x" * 1_000_000, survey.q["single"].field_name: "999999", "action": "save"},
    )
    assert response.status_code == 400
    assert "Le texte est trop long" in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).draft is None


def test_a_survey_opening_later_gives_its_date_in_my_surveys_as_its_page_does(client, agent):
    """Issue 15: the list said « Fermée » while the questionnaire said « pas encore ouverte »."""
    opens_on = timezone.localdate() + timedelta(days=1)
    survey = SurveyFactory(title="Restauration scolaire", status=Survey.Status.SCHEDULED, opens_on=opens_on)
    InvitationFactory(survey=survey, agent=agent)
    client.force_login(agent)
    row = Page(client.get(reverse("surveys:survey-mine")).content.decode()).text("tbody tr")
    assert f"Ouvre le {opens_on:%d/%m/%Y}" in row
    assert "Fermée" not in row
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "pas encore ouverte" in page
    assert "depuis « Mes enquêtes »" in page
    assert "avec le même lien" not in page


def test_answering_from_the_intranet_says_the_answer_is_recorded_not_that_a_link_expired(client, agent):
    """Issue 15: « ce lien ne peut plus servir » belongs to the e-mailed link only."""
    survey = survey_with_every_kind(title="Intranet", anonymous=True)
    invitation = InvitationFactory(survey=survey, agent=agent)
    client.force_login(agent)
    response = client.post(survey.get_absolute_url(), {**_full_answers(survey), "action": "submit"}, follow=True)
    page = response.content.decode()
    assert "Vous avez répondu à cette enquête" in page
    assert "Votre réponse est enregistrée" in page
    assert "sans votre nom" in page
    assert "ce lien" not in page
    # The same invitation's e-mailed link still says the link is spent.
    client.logout()
    assert "ce lien ne peut plus servir" in client.get(_link(invitation)).content.decode()
