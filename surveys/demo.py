"""Demo surveys (seed_demo extension): idempotent, deterministic, bulk-inserted.

- Seed 000: the satisfaction questionnaire after the 15 information meetings of the TOS agents:
  559 answers, 88 % satisfied (levels 4 and 5 of the overall satisfaction question), anonymous,
  closed, with ~90 % of the invited agents having answered.
- An open anonymous survey on the intranet itself, one question of every kind, that agent@ is
  invited to (and has not answered: it shows on their home page).
- A draft of the managers' year-end questionnaire. (The job-shadowing campaign's evaluation
  questionnaires come from its own demo, through `demo_survey_answered`.)
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from intranet.models import Agent, Site
from surveys.answering import answers_clean
from surveys.models import Answer, Invitation, Question, Response, ResponseIdentity, Survey, SurveySession
from surveys.services.answers import answer_rows, responses_publish
from surveys.services.drafting import survey_create, survey_create_from_template
from surveys.services.questionnaire import question_create, section_create, survey_questions
from surveys.services.status import survey_publish

SEED = 5
MEETINGS_TITLE = "Réunions d'information des personnels TOS : votre avis"
INTRANET_TITLE = "Votre intranet Maison commune : premier avis"
MANAGERS_TITLE = "Questionnaire de fin d'année aux encadrants"
MEETINGS = 15
MEETING_ANSWERS = 559
# Overall satisfaction, levels 5 to 1: 250 + 242 = 492 of 559 = 88.0 % satisfied.
SATISFACTION_COUNTS = {5: 250, 4: 242, 3: 45, 2: 15, 1: 7}
COMMENTS = [
    "Réunion très claire, merci pour le support.",
    "Enfin des réponses sur les concours !",
    "Un peu long, mais utile.",
    "J'aurais aimé plus de temps pour les questions.",
    "Bonne initiative, à renouveler chaque année.",
    "Les informations sur l'action sociale étaient précieuses.",
    "Merci d'être venus jusqu'au lycée.",
]


def _account(email: str) -> Agent | None:
    return Agent.objects.filter(email=email).first()


def _raw_random(rng: random.Random, questions, *, overall: int | None = None) -> dict[str, list[str]]:
    """Plausible answers for `questions`, in order, respecting their conditions."""
    raw: dict[str, list[str]] = {}
    for index, question in enumerate(questions):
        kind = question.kind
        if kind == Question.Kind.SCALE:
            level = overall if (index == 0 and overall) else rng.choices([5, 4, 3, 2, 1], [40, 40, 12, 5, 3])[0]
            raw[question.field_name] = [str(level)]
        elif kind == Question.Kind.NPS:
            raw[question.field_name] = [str(rng.choices(range(11), [1, 1, 1, 1, 2, 3, 5, 10, 20, 25, 31])[0])]
        elif kind == Question.Kind.YES_NO:
            raw[question.field_name] = [rng.choices(["oui", "non"], [85, 15])[0]]
        elif kind == Question.Kind.SINGLE:
            choices = list(question.choices.all())
            raw[question.field_name] = [str(rng.choices(choices, [1] + [6] * (len(choices) - 1))[0].pk)]
        elif kind == Question.Kind.MULTIPLE:
            choices = list(question.choices.all())
            raw[question.field_name] = [str(c.pk) for c in rng.sample(choices, k=rng.randint(1, min(3, len(choices))))]
        elif kind == Question.Kind.NUMBER:
            raw[question.field_name] = [str(rng.randint(0, 12))]
        elif kind == Question.Kind.DATE:
            raw[question.field_name] = [(timezone.localdate() - timedelta(days=rng.randint(20, 400))).isoformat()]
        elif rng.random() < 0.25:
            raw[question.field_name] = [rng.choice(COMMENTS)]
    return raw


def _bulk_answers(*, survey: Survey, invitations: list[Invitation], raws: list[dict], day) -> None:
    """Store final answers in bulk (the same rows survey_answer_submit writes, validated the same way)."""
    questions = list(survey_questions(survey))
    responses, answers, identities = [], [], []
    for invitation, raw in zip(invitations, raws, strict=True):
        cleaned = answers_clean(questions=questions, raw=raw)
        if not cleaned.is_valid:
            raise ValueError(f"demo answers invalid: {cleaned.errors}")
        response = Response(
            survey=survey,
            session_id=invitation.session_id,
            submitted_on=None if survey.anonymous else day(invitation),
            published=not survey.anonymous,
        )
        responses.append(response)
        answers.extend(answer_rows(response, questions, cleaned))
        if not survey.anonymous:
            identities.append(ResponseIdentity(response=response, survey=survey, agent_id=invitation.agent_id))
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(answers, batch_size=2000)
    ResponseIdentity.objects.bulk_create(identities, batch_size=1000)
    Invitation.objects.filter(pk__in=[invitation.pk for invitation in invitations]).update(answered=True)
    if survey.anonymous:
        responses_publish(survey=survey)


def _invitations(*, survey: Survey, agents, sessions=None, mailed_at=None) -> list[Invitation]:
    """Invitations as if already e-mailed (the demo sends nothing)."""
    rows, now = [], mailed_at or timezone.now()
    for index, agent in enumerate(agents):
        invitation = Invitation(
            survey=survey,
            agent=agent,
            token_salt=Invitation.new_salt(),
            mailed_at=now,
            session=sessions[index % len(sessions)] if sessions else None,
        )
        invitation.set_token_hash()
        rows.append(invitation)
    Invitation.objects.bulk_create(rows, batch_size=1000)
    return list(Invitation.objects.filter(survey=survey).order_by("pk"))


def _meetings_survey(*, rng: random.Random, author: Agent | None, today) -> None:
    survey = survey_create_from_template(
        template="meeting",
        title=MEETINGS_TITLE,
        author=author,
        opens_on=today - timedelta(days=120),
        closes_on=today - timedelta(days=20),
    )
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    survey.refresh_from_db()
    lycees = list(Site.objects.filter(kind=Site.Kind.LYCEE).order_by("name")[:MEETINGS]) or [None]
    sessions = SurveySession.objects.bulk_create(
        [
            SurveySession(
                survey=survey,
                order=k,
                label=f"Réunion n° {k + 1}" + (f" — {lycees[k % len(lycees)].name}" if lycees[0] else ""),
                held_on=today - timedelta(days=118 - 7 * k),
            )
            for k in range(MEETINGS)
        ]
    )
    # About 90 % of the invited answered (seed 000: "90 % de participation").
    wanted = round(MEETING_ANSWERS / 0.9)
    tos = list(Agent.objects.active().internal().filter(site__kind=Site.Kind.LYCEE).order_by("pk")[:wanted])
    if len(tos) < wanted:
        tos += list(
            Agent.objects.active().internal().exclude(pk__in=[a.pk for a in tos]).order_by("pk")[: wanted - len(tos)]
        )
    invitations = _invitations(survey=survey, agents=tos, sessions=sessions)
    answering = invitations[:MEETING_ANSWERS]
    levels = [level for level, count in SATISFACTION_COUNTS.items() for _ in range(count)]
    rng.shuffle(levels)
    questions = list(survey_questions(survey))
    raws = [_raw_random(rng, questions, overall=levels[i % len(levels)]) for i in range(len(answering))]
    held = {session.pk: session.held_on for session in sessions}
    _bulk_answers(survey=survey, invitations=answering, raws=raws, day=lambda inv: held[inv.session_id])


def _intranet_survey(*, rng: random.Random, author: Agent | None, today) -> None:
    survey = survey_create(
        title=INTRANET_TITLE,
        author=author,
        anonymous=True,
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=25),
        intro="L'intranet est ouvert depuis peu. Dites-nous ce que vous en pensez : le questionnaire est "
        "anonyme et prend trois minutes.",
    )
    first = section_create(survey=survey, title="Votre usage")
    q = question_create
    q(section=first, kind=Question.Kind.SCALE, label="Êtes-vous satisfait(e) de l'intranet ?", required=True)
    used = q(section=first, kind=Question.Kind.YES_NO, label="Avez-vous déjà cherché un collègue dans l'annuaire ?")
    q(
        section=first,
        kind=Question.Kind.SINGLE,
        label="L'avez-vous trouvé ?",
        choices=["Du premier coup", "Après plusieurs essais", "Non"],
        condition_question=used,
        condition_value="oui",
    )
    q(
        section=first,
        kind=Question.Kind.MULTIPLE,
        label="Quelles rubriques consultez-vous ?",
        choices=["Annuaire", "Projet d'administration", "Lettre d'information", "Postes vacants", "Enquêtes"],
    )
    q(
        section=first,
        kind=Question.Kind.NUMBER,
        label="Combien de fois par semaine l'ouvrez-vous ?",
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    q(section=first, kind=Question.Kind.DATE, label="Depuis quand travaillez-vous dans la collectivité ?")
    second = section_create(survey=survey, title="Pour la suite")
    q(section=second, kind=Question.Kind.NPS, label="Recommanderiez-vous l'intranet à un collègue ?")
    q(section=second, kind=Question.Kind.SHORT_TEXT, label="En un mot, l'intranet c'est…")
    q(section=second, kind=Question.Kind.LONG_TEXT, label="Que faudrait-il ajouter ou améliorer ?")
    survey_publish(survey=survey)
    agent = _account("agent@demo.local")
    colleagues = list(Agent.objects.active().internal().exclude(email="agent@demo.local").order_by("pk")[:40])
    invitations = _invitations(survey=survey, agents=[*colleagues, *([agent] if agent else [])])
    answering = [inv for inv in invitations if inv.agent_id != getattr(agent, "pk", None)][:14]
    questions = list(survey_questions(survey))
    _bulk_answers(
        survey=survey,
        invitations=answering,
        raws=[_raw_random(rng, questions) for _ in answering],
        day=lambda inv: today - timedelta(days=rng.randint(0, 3)),
    )


def demo_survey_answered(
    *, survey: Survey, agents, answering: int, rng: random.Random, day, mailed_at=None
) -> list[Invitation]:
    """For another app's demo (a job-shadowing campaign's evaluations): invite `agents` to `survey`
    as if the invitations had been e-mailed, and store plausible final answers for the first
    `answering` of them, dated by `day(invitation)`. Returns the invitations."""
    invitations = _invitations(survey=survey, agents=agents, mailed_at=mailed_at)
    questions = list(survey_questions(survey))
    answered = invitations[:answering]
    _bulk_answers(survey=survey, invitations=answered, raws=[_raw_random(rng, questions) for _ in answered], day=day)
    return invitations


def demo_seed(*, stdout) -> None:
    if Survey.objects.filter(title=MEETINGS_TITLE).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    today = timezone.localdate()
    hr, communication = _account("rh@demo.local"), _account("communication@demo.local")
    with transaction.atomic():
        _meetings_survey(rng=rng, author=communication or hr, today=today)
        _intranet_survey(rng=rng, author=communication or hr, today=today)
        survey_create_from_template(template="managers_year_end", title=MANAGERS_TITLE, author=hr)
        if hr is not None and communication is not None:
            for survey in Survey.objects.filter(authors=communication):
                survey.authors.add(hr)
    stdout.write(
        f"Enquêtes : 3 questionnaires de démonstration, {MEETING_ANSWERS} réponses à celui des réunions "
        "d'information.\n"
    )
