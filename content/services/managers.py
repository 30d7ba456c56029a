"""The managers' questions and answers: asked, answered, marked useful, hidden by a moderator."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import Answer, Question
from content.permissions import can_mark_useful, can_moderate_questions, can_use_managers_space
from content.text import html_to_text
from intranet.links import absolute_url
from intranet.sanitize import sanitize
from intranet.services import audit_log_record, email_queue


def _rich_text_required(body: str, field: str) -> str:
    cleaned = sanitize(body or "", allow_list="rich_text")
    if not html_to_text(cleaned).strip():
        raise ValidationError({field: _("Écrivez quelques mots.")})
    return cleaned


@transaction.atomic(durable=True)
def question_ask(*, user, title: str, body: str = "") -> Question:
    if not can_use_managers_space(user):
        raise PermissionDenied
    cleaned = sanitize(body or "", allow_list="rich_text")
    question = Question.objects.create(
        title=title.strip(),
        body=cleaned if html_to_text(cleaned).strip() else "",
        author=user,
        author_label=user.get_full_name(),
    )
    return question


@transaction.atomic(durable=True)
def answer_post(*, user, question: Question, body: str) -> Answer:
    """An answer; the asker is told by e-mail (through the outbox) unless they answered themselves."""
    if not can_use_managers_space(user):
        raise PermissionDenied
    question = Question.objects.select_for_update(of=("self",)).select_related("author").get(pk=question.pk)
    if question.is_hidden:
        raise ValidationError(_("Cette question a été masquée : on ne peut plus y répondre."))
    answer = Answer.objects.create(
        question=question, body=_rich_text_required(body, "body"), author=user, author_label=user.get_full_name()
    )
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1, last_answer_at=answer.created_at)
    asker = question.author
    if asker is not None and asker.pk != user.pk and asker.is_active and asker.email:
        email_queue(
            to=asker.email,
            subject=_("Réponse à votre question : %(title)s") % {"title": question.title},
            text=render_to_string(
                "content/email/question_answered.txt",
                {
                    "question": question,
                    "answer": answer,
                    "answer_text": html_to_text(answer.body),
                    "url": absolute_url(question.get_absolute_url()) + f"#reponse-{answer.pk}",
                },
            ),
            kind="content.question",
        )
    return answer


@transaction.atomic(durable=True)
def answer_mark_useful(*, user, question: Question, answer: Answer | None) -> Question:
    """The asker marks the answer that helped them (None: no answer marked any more)."""
    if not can_mark_useful(user, question):
        raise PermissionDenied
    if answer is not None and (answer.question_id != question.pk or answer.is_hidden):
        raise ValidationError(_("Cette réponse ne peut pas être retenue."))
    question.useful_answer = answer
    question.save(update_fields=["useful_answer"])
    return question


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Dites pourquoi : l'auteur et les autres modérateurs le liront.")})
    return reason[:300]


@transaction.atomic(durable=True)
def question_hide(*, user, question: Question, reason: str) -> Question:
    if not can_moderate_questions(user):
        raise PermissionDenied
    question.hidden_reason = _reason(reason)
    question.hidden_at, question.hidden_by = timezone.now(), user
    question.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_log_record(
        actor=user, action="managers.question_hide", target=question, details={"motif": question.hidden_reason}
    )
    return question


@transaction.atomic(durable=True)
def answer_hide(*, user, answer: Answer, reason: str) -> Answer:
    if not can_moderate_questions(user):
        raise PermissionDenied
    answer.hidden_reason = _reason(reason)
    answer.hidden_at, answer.hidden_by = timezone.now(), user
    answer.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    Question.objects.filter(pk=answer.question_id).update(answer_count=F("answer_count") - 1)
    Question.objects.filter(pk=answer.question_id, useful_answer=answer).update(useful_answer=None)
    audit_log_record(actor=user, action="managers.answer_hide", target=answer, details={"motif": answer.hidden_reason})
    return answer
