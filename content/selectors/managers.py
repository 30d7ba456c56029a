"""The managers' space: its folders, the questions and answers each person may read."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from content.models import Answer, Folder, Question
from content.permissions import can_moderate_questions
from content.selectors.library import folder_visible_ids
from intranet.audiences import AudienceSpec
from intranet.roles import Role


def managers_folders(*, user) -> list[Folder]:
    """The library's folders for managers (their audience names the managers) that `user` opens."""
    visible = folder_visible_ids(user=user)
    folders = Folder.objects.filter(pk__in=visible).only("pk", "title", "slug", "description", "audience")
    return [
        folder
        for folder in folders.order_by("position", "title", "pk")
        if Role.MANAGER.value in AudienceSpec.from_json(folder.audience).roles
    ]


def question_list(*, user) -> QuerySet[Question]:
    """The questions, newest first; moderators also see the hidden ones (marked)."""
    questions = Question.objects.defer("body")
    if not can_moderate_questions(user):
        questions = questions.filter(hidden_at__isnull=True)
    return questions.order_by("-created_at", "-pk")


def question_get(*, user, pk: int) -> Question:
    """A question with its answers (`answer_list`): the hidden ones for moderators only."""
    question = Question.objects.filter(pk=pk).first()
    moderator = can_moderate_questions(user)
    if question is None or (question.is_hidden and not moderator):
        raise Http404
    answers = Answer.objects.filter(question=question).order_by("created_at", "pk")
    if not moderator:
        answers = answers.filter(hidden_at__isnull=True)
    question.answer_list = list(answers)
    return question


def answer_get(*, user, pk: int) -> Answer:
    answer = Answer.objects.select_related("question").filter(pk=pk).first()
    if answer is None or (answer.question.is_hidden and not can_moderate_questions(user)):
        raise Http404
    return answer
