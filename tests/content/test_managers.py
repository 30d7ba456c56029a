"""The managers' space (seed 002): its page links the folders for managers, the questions and
answers and the webinars; managers ask and answer (rich text through the one sanitiser), the asker
is told by e-mail and marks the useful answer; the moderators hide with a reason."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from content import services
from content.models import Answer, Question
from content.permissions import can_moderate_questions
from intranet.audiences import AudienceSpec
from intranet.models import OutgoingEmail
from intranet.roles import Role
from tests.content.factories import FolderFactory
from tests.factories import AgentFactory
from tests.html import Page, text_of
from tests.querycount import assert_same_queries

MANAGERS = AudienceSpec(roles=(Role.MANAGER.value,)).to_json()


@pytest.fixture
def other_manager(db, unit):
    head = AgentFactory(first_name="Paul", last_name="Chef", email="paul.chef@test.local")
    AgentFactory(manager=head)
    return head


@pytest.fixture
def question(manager):
    return services.question_ask(user=manager, title="Comment recadrer à distance ?", body="<p>Avec Teams ?</p>")


def test_the_space_links_the_managers_folder_the_questions_and_the_webinars(client, manager, question):
    FolderFactory(title="Espace managers — Ressourcez-vous", slug="espace-managers", audience=MANAGERS)
    FolderFactory(title="Pour tous", slug="pour-tous")
    client.force_login(manager)
    response = client.get(reverse("content:managers-space"))
    page = Page(response.text)
    links = {element.get("href") for element in page.all("main a")}
    assert "/ressources/espace-managers/" in links
    assert "/ressources/pour-tous/" not in links
    assert reverse("content:question-list") in links
    assert reverse("events:agenda") + "?kind=webinaire" in links
    assert "Comment recadrer à distance ?" in text_of(response)


def test_agents_and_partners_have_no_managers_space(client, agent, partenaire, question):
    for person in (agent, partenaire):
        client.force_login(person)
        assert client.get(reverse("content:managers-space")).status_code == 403
        assert client.get(question.get_absolute_url()).status_code == 403
        with pytest.raises(PermissionDenied):
            services.question_ask(user=person, title="Une question")


def test_ask_answer_the_asker_is_told_and_marks_the_useful_answer(client, manager, other_manager):
    client.force_login(manager)
    response = client.post(
        reverse("content:question-create"),
        {
            "title": "Comment recadrer à distance ?",
            "body": '<p>Mon contexte <script>alert(1)</script><a href="javascript:x">là</a></p>',
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert "<script>" not in question.body
    assert "javascript:" not in question.body

    client.force_login(other_manager)
    response = client.post(
        question.get_absolute_url(), {"body": "<p>Un appel vidéo, <strong>caméra allumée</strong>.</p>"}
    )
    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"#reponse-{answer.pk}")
    mail = OutgoingEmail.objects.get(to=manager.email)
    assert "Comment recadrer à distance ?" in mail.subject
    assert "caméra allumée" in mail.text
    assert question.get_absolute_url() in mail.text
    # Nobody else may mark it: only the asker.
    assert client.post(reverse("content:question-useful", args=[question.pk]), {"answer": answer.pk}).status_code == 403

    client.force_login(manager)
    client.post(reverse("content:question-useful", args=[question.pk]), {"answer": answer.pk})
    question.refresh_from_db()
    assert question.useful_answer == answer
    assert "Réponse utile" in text_of(client.get(question.get_absolute_url()))
    # Answering one's own question sends no mail.
    client.post(question.get_absolute_url(), {"body": "<p>Merci !</p>"})
    assert OutgoingEmail.objects.filter(to=manager.email).count() == 1


@pytest.mark.parametrize("data", [{}, {"title": "   ", "body": ""}, {"title": "x" * 201}])
def test_a_question_empty_or_wrong_gets_the_french_error_summary(client, manager, data):
    client.force_login(manager)
    response = client.post(reverse("content:question-create"), data)
    assert response.status_code == 400
    page = Page(response.text)
    assert page.title().startswith("Erreur : ")
    assert "Le formulaire contient des erreurs" in page.text("[data-error-summary]")
    assert not Question.objects.exists()


def test_an_empty_answer_is_refused_in_french(client, manager, question):
    client.force_login(manager)
    response = client.post(question.get_absolute_url(), {"body": "<p> </p>"})
    assert response.status_code == 400
    assert Page(response.text).title().startswith("Erreur : ")
    assert not Answer.objects.exists()


def test_moderators_hide_with_a_reason(client, manager, other_manager, communication, question):
    answer = services.answer_post(user=other_manager, question=question, body="<p>Propos déplacés</p>")
    client.force_login(manager)
    assert client.get(reverse("content:answer-hide", args=[answer.pk])).status_code == 403

    client.force_login(communication)
    response = client.post(reverse("content:answer-hide", args=[answer.pk]), {"reason": ""})
    assert response.status_code == 400
    assert Page(response.text).title().startswith("Erreur : ")
    client.post(reverse("content:answer-hide", args=[answer.pk]), {"reason": "Propos personnels sur un agent."})
    answer.refresh_from_db()
    assert answer.is_hidden
    assert answer.hidden_by == communication
    assert "Propos personnels sur un agent." in text_of(client.get(question.get_absolute_url()))

    client.force_login(manager)
    assert "Propos déplacés" not in client.get(question.get_absolute_url()).text
    question.refresh_from_db()
    assert question.answer_count == 0

    client.force_login(communication)
    client.post(reverse("content:question-hide", args=[question.pk]), {"reason": "Doublon."})
    client.force_login(manager)
    assert client.get(question.get_absolute_url()).status_code == 404
    assert "Comment recadrer" not in client.get(reverse("content:question-list")).text


def test_the_managers_folder_moderator_moderates(rh, manager, question):
    assert not can_moderate_questions(rh)
    FolderFactory(slug="espace-managers", audience=MANAGERS, moderator=rh)
    rh = type(rh).objects.get(pk=rh.pk)  # the answer is kept on the user object
    services.question_hide(user=rh, question=question, reason="Hors sujet.")
    assert Question.objects.get().is_hidden


def test_the_list_does_not_grow_with_the_questions(client, manager):
    client.force_login(manager)
    Question.objects.bulk_create(Question(title=f"Question {n}", author=manager, author_label="M") for n in range(3))

    def grow():
        Question.objects.bulk_create(
            Question(title=f"Question {n}", author=manager, author_label="M", answer_count=n) for n in range(300)
        )

    assert_same_queries(client, reverse("content:question-list"), grow)
    assert_same_queries(client, reverse("content:managers-space"), grow)


def test_a_question_page_does_not_grow_with_its_answers(client, manager, other_manager, question):
    client.force_login(manager)
    Answer.objects.create(question=question, body="<p>Une</p>", author=other_manager, author_label="P")

    def grow():
        Answer.objects.bulk_create(
            Answer(question=question, body="<p>Réponse</p>", author=other_manager, author_label="P") for _ in range(100)
        )

    assert_same_queries(client, question.get_absolute_url(), grow)


def test_the_demo_has_a_few_questions_and_answers(db, site):
    from io import StringIO

    from content.demo import questions_seed
    from intranet.models import OrgUnit

    for number, email in enumerate(["manager@demo.local", "a@demo.local", "b@demo.local", "c@demo.local"]):
        OrgUnit.objects.create(name=f"Service {number}", head=AgentFactory(email=email, site=site))
    questions_seed(stdout=StringIO())
    questions_seed(stdout=StringIO())  # nothing more the second time
    assert Question.objects.count() == 4
    assert Answer.objects.count() == 5
    assert Question.objects.exclude(useful_answer=None).count() == 1
    assert all(question.answer_count == question.answers.count() for question in Question.objects.all())
