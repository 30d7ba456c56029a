import factory

from surveys.models import Choice, Invitation, Question, Section, Survey, SurveySession
from tests.factories import AgentFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Enquête {n}")
    status = Survey.Status.OPEN
    anonymous = True

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        for author in extracted or ():
            self.authors.add(author)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    survey = factory.SubFactory(SurveyFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    survey = factory.SelfAttribute("section.survey")
    kind = Question.Kind.SCALE
    label = factory.Sequence(lambda n: f"Question {n} ?")
    order = factory.Sequence(lambda n: n)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, kind=Question.Kind.SINGLE)
    label = factory.Sequence(lambda n: f"Choix {n}")
    order = factory.Sequence(lambda n: n)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveySession

    survey = factory.SubFactory(SurveyFactory)
    label = factory.Sequence(lambda n: f"Réunion {n}")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    survey = factory.SubFactory(SurveyFactory)
    agent = factory.SubFactory(AgentFactory)
    token_salt = factory.LazyFunction(Invitation.new_salt)

    @factory.lazy_attribute
    def token_hash(self):
        probe = Invitation(token_salt=self.token_salt)
        probe.set_token_hash()
        return probe.token_hash


def survey_with_every_kind(**kwargs) -> Survey:
    """An open survey with one question of each kind; `q[kind]` gives the question."""
    survey = SurveyFactory(**kwargs)
    section = SectionFactory(survey=survey)
    survey.q = {}
    for kind in Question.Kind.values:
        question = QuestionFactory(section=section, kind=kind, label=f"Question {kind}")
        if question.is_choice:
            for label in ("Rouge", "Vert", "Bleu"):
                ChoiceFactory(question=question, label=label)
        survey.q[kind] = question
    return survey
