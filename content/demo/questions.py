"""The demo questions and answers of the managers' space."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from content.demo.common import _p
from intranet.models import Agent

# The managers' questions and answers (seed 002: « échanges » between managers during the crisis):
# (days ago, question, details, [(hours later, answer)…], index of the useful answer or None).
QUESTIONS = (
    (
        40,
        "Comment garder le lien avec une équipe entièrement en télétravail ?",
        "Depuis trois semaines toute mon équipe télétravaille. Les échanges informels ont disparu "
        "et j'ai du mal à sentir comment chacun va.",
        [
            (
                3,
                "Nous faisons un point de quinze minutes chaque matin, caméra allumée pour qui le souhaite : "
                "<strong>pas d'ordre du jour</strong>, juste comment ça va et qui a besoin de quoi.",
            ),
            (
                20,
                "Le guide du manager en télétravail (dans l'espace managers) propose une trame d'appel "
                "individuel hebdomadaire : je l'utilise avec mes six agents, cela prend une heure par semaine.",
            ),
        ],
        1,
    ),
    (
        21,
        "Reprise sur site : comment organiser le retour progressif ?",
        "Certains agents souhaitent revenir, d'autres craignent le retour. Comment avez-vous fait les plannings ?",
        [
            (
                5,
                "Nous avons fait un tableau de présence par demi-journée, en alternant deux groupes, et un "
                "entretien individuel avec chaque agent inquiet avant la reprise.",
            ),
        ],
        None,
    ),
    (
        6,
        "Quel outil pour un atelier participatif à distance ?",
        "",
        [
            (2, "Klaxoon fonctionne bien pour un atelier de 10 à 15 personnes ; prévoyez un test technique la veille."),
            (9, "Le webinaire « animer une réunion à distance » de la semaine prochaine en parlera."),
        ],
        None,
    ),
    (1, "Entretien de recadrage en visioconférence : à éviter ?", "", [], None),
)


def questions_seed(*, stdout) -> None:
    from content.models import Answer, Question

    if Question.objects.exists():
        return
    heads = list(Agent.objects.active().internal().filter(headed_units__isnull=False).distinct().order_by("pk")[:8])
    asker = Agent.objects.filter(email="manager@demo.local").first()
    if asker is None or len(heads) < 3:
        return
    others = [head for head in heads if head.pk != asker.pk]
    now = timezone.now()
    for number, (days, title, details, answers, useful) in enumerate(QUESTIONS):
        author = asker if number % 2 == 0 else others[number % len(others)]
        asked = now - timedelta(days=days)
        question = Question.objects.create(
            title=title,
            body=_p(details) if details else "",
            author=author,
            author_label=author.get_full_name(),
            created_at=asked,
        )
        created = []
        for index, (hours, text) in enumerate(answers):
            answerer = next(head for head in others[index:] + others if head.pk != author.pk)
            created.append(
                Answer.objects.create(
                    question=question,
                    body=_p(text),
                    author=answerer,
                    author_label=answerer.get_full_name(),
                    created_at=asked + timedelta(hours=hours),
                )
            )
        question.answer_count = len(created)
        question.last_answer_at = created[-1].created_at if created else None
        question.useful_answer = created[useful] if useful is not None else None
        question.save()
    stdout.write(f"Espace managers : {len(QUESTIONS)} questions et leurs réponses.\n")
