"""One answer per invited person, also when two submits arrive at the same moment (two threads,
two database connections, on PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from surveys.models import Answer, Invitation, Question, Response, ResponseIdentity
from surveys.services.answers import survey_answer_submit
from surveys.services.errors import AlreadyAnsweredError
from tests.conftest import skip_or_fail
from tests.surveys.factories import InvitationFactory, QuestionFactory, SectionFactory, SurveyFactory


def _require_postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("the concurrency test needs PostgreSQL's row locks: set DATABASE_URL")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("anonymous", [True, False])
def test_two_simultaneous_submits_store_one_response(anonymous):
    _require_postgresql()
    survey = SurveyFactory(anonymous=anonymous)
    question = QuestionFactory(section=SectionFactory(survey=survey), kind=Question.Kind.SCALE, required=True)
    invitation = InvitationFactory(survey=survey)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(level):
        try:
            barrier.wait(timeout=10)
            survey_answer_submit(
                invitation=Invitation.objects.get(pk=invitation.pk), raw={question.field_name: [level]}
            )
            outcomes.append("stored")
        except AlreadyAnsweredError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(level,)) for level in ("4", "2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "stored"]
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(question=question).count() == 1
    assert ResponseIdentity.objects.count() == (0 if anonymous else 1)


@pytest.mark.django_db(transaction=True)
def test_the_conditional_update_lets_only_one_connection_flip_the_invitation():
    """Without the service's row lock, the database alone still lets one UPDATE … WHERE answered =
    false win: the second connection waits for the first commit, then updates nothing."""
    _require_postgresql()
    invitation = InvitationFactory()
    first_updated = threading.Event()
    flipped: list[int] = []

    def second():
        try:
            first_updated.wait(timeout=10)
            with transaction.atomic():
                flipped.append(Invitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True))
        finally:
            connections.close_all()

    thread = threading.Thread(target=second)
    thread.start()
    with transaction.atomic():
        flipped.append(Invitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True))
        first_updated.set()
        thread.join(timeout=0.5)  # the second UPDATE is now blocked on our row lock
        assert thread.is_alive()
    thread.join(timeout=10)
    assert sorted(flipped) == [0, 1]


@pytest.mark.django_db
def test_the_database_refuses_a_second_identified_response_by_the_same_agent():
    survey = SurveyFactory(anonymous=False)
    invitation = InvitationFactory(survey=survey)
    ResponseIdentity.objects.create(
        response=Response.objects.create(survey=survey), survey=survey, agent=invitation.agent
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseIdentity.objects.create(
            response=Response.objects.create(survey=survey), survey=survey, agent=invitation.agent
        )


@pytest.mark.django_db
def test_the_database_refuses_two_invitations_of_one_agent_and_a_draft_on_an_answered_invitation():
    invitation = InvitationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(survey=invitation.survey, agent=invitation.agent)
    with pytest.raises((IntegrityError, ValidationError)), transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(answered=True, draft={"q1": ["1"]})
