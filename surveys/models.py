"""Surveys: questionnaires, their sessions, invitations, and the answers — kept apart.

See surveys/README.md for the model map and the anonymity rules. In short:
- Survey → Section → Question → Choice (the questionnaire); Survey → SurveySession (the same
  survey run over several sessions, e.g. 15 information meetings).
- Invitation = WHO was asked (survey, agent, hashed personal token, draft, answered flag).
- Response + Answer = WHAT was answered. For an anonymous survey nothing joins a Response to an
  Invitation or an Agent: no foreign key, no token, no user, no IP, no time finer than the day, a
  random UUID primary key. For an identified survey the link to the agent lives in its own table,
  ResponseIdentity, never written for an anonymous survey.

Longer than STYLE.md's 300 lines on purpose: the app's one models module, as Django lays it out;
the questionnaire, the invitations and the answers read together, so that their separation is
seen in one place.
"""

import hashlib
import hmac
import secrets
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_SCALE_LABELS = [
    "Pas du tout satisfait",
    "Peu satisfait",
    "Moyennement satisfait",
    "Satisfait",
    "Très satisfait",
]
SCALE_SIZE = 5
# The satisfaction rate is the share of answers in the top two levels of a scale ("88 % satisfied").
SATISFIED_LEVELS = (4, 5)
# No figure is shown for a group of fewer respondents (a session, a unit, a site, a question's
# answers), and an anonymous survey's responses are published by batches of at least this many.
DISCLOSURE_THRESHOLD = 5
PUBLISH_BATCH = DISCLOSURE_THRESHOLD
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 10_000


class SurveyQuerySet(models.QuerySet):
    def managed_by(self, user):
        """The surveys `user` may build and manage: their own; every survey for administrators."""
        from intranet.roles import Role, has_role

        if has_role(user, Role.ADMIN):
            return self
        return self.filter(authors=user).distinct()

    def accepting_answers(self, *, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(status=Survey.Status.OPEN).filter(
            Q(opens_on__isnull=True) | Q(opens_on__lte=today), Q(closes_on__isnull=True) | Q(closes_on__gte=today)
        )


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SCHEDULED = "scheduled", _("Programmée")  # published, its opening date not reached yet
        OPEN = "open", _("Ouverte")
        CLOSED = "closed", _("Clôturée")

    title = models.CharField(_("titre"), max_length=255)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Affichée en tête du questionnaire."))
    anonymous = models.BooleanField(
        _("anonyme"),
        default=True,
        help_text=_(
            "Anonyme : les réponses ne sont reliées à personne. Ne peut plus changer après la première réponse."
        ),
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    opens_on = models.DateField(_("ouverture le"), null=True, blank=True)
    closes_on = models.DateField(_("clôture le"), null=True, blank=True)
    template = models.CharField(_("modèle d'origine"), max_length=40, blank=True)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("auteurs"), related_name="authored_surveys", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The audience last used to invite (an intranet.audiences.AudienceSpec as JSON), to show and re-use it.
    audience = models.JSONField(_("public"), default=dict, blank=True)
    # Automatic reminder sent by beat this many days before closes_on (None: no automatic reminder).
    auto_remind_days = models.PositiveSmallIntegerField(
        _("relance automatique (jours avant la clôture)"),
        null=True,
        blank=True,
    )
    auto_reminded_on = models.DateField(_("relance automatique envoyée le"), null=True, blank=True)
    # The last reminder asked for (button or automatic): a worker e-mails every invitee still without an
    # answer whose `reminded_at` is older. Recorded first, so a reminder asked while the broker is down
    # is sent by the hourly task.
    remind_requested_at = models.DateTimeField(_("relance demandée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("enquête")
        verbose_name_plural = _("enquêtes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="survey_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The page where a logged-in invited agent answers it."""
        return reverse("surveys:survey-answer", args=[self.pk])

    def get_manage_url(self):
        return reverse("surveys:survey-build", args=[self.pk])

    def is_accepting_answers(self, *, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == self.Status.OPEN
            and (self.opens_on is None or self.opens_on <= today)
            and (self.closes_on is None or today <= self.closes_on)
        )

    @property
    def has_responses(self) -> bool:
        return self.responses.exists()

    @property
    def questions_frozen(self) -> bool:
        """Questions (and the anonymous/identified choice) freeze once an answer exists."""
        return self.has_responses


class SurveySession(models.Model):
    """One run of a survey, e.g. one of 15 information meetings: invitations and responses carry it,
    so results can be read per session and overall."""

    survey = models.ForeignKey(Survey, verbose_name=_("enquête"), on_delete=models.CASCADE, related_name="sessions")
    label = models.CharField(_("intitulé"), max_length=255)
    held_on = models.DateField(_("date"), null=True, blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["survey", "order", "held_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "label"], name="survey_session_label_unique")]

    def __str__(self):
        return self.label


class Section(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("enquête"), on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("titre"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["survey", "order", "pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Choix unique")
        MULTIPLE = "multiple", _("Choix multiples")
        SCALE = "scale", _("Échelle de satisfaction (1 à 5)")
        NPS = "nps", _("Recommandation (NPS, 0 à 10)")
        YES_NO = "yesno", _("Oui / non")
        NUMBER = "number", _("Nombre")
        DATE = "date", _("Date")
        SHORT_TEXT = "short_text", _("Texte court")
        LONG_TEXT = "long_text", _("Texte long")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    survey = models.ForeignKey(Survey, verbose_name=_("enquête"), on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("aide"), max_length=500, blank=True)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    order = models.PositiveIntegerField(_("ordre"), default=0)
    # Scale questions: the labels of levels 1 to 5 (level n = scale_labels[n - 1]).
    scale_labels = models.JSONField(_("libellés de l'échelle"), default=list, blank=True)
    min_value = models.DecimalField(_("minimum"), max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=12, decimal_places=2, null=True, blank=True)
    # A simple condition: shown only when the answer to `condition_question` (an earlier question)
    # includes `condition_value`: a Choice pk for choice questions, "oui"/"non" for yes/no, a number
    # for scales, NPS and numbers. Evaluated on the server (surveys.answering).
    condition_question = models.ForeignKey(
        "self",
        verbose_name=_("afficher si la question"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependent_questions",
    )
    condition_value = models.CharField(_("a pour réponse"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "section__order", "section", "order", "pk"]

    def __str__(self):
        return self.label

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def levels(self) -> list[tuple[int, str]]:
        """Scale questions: [(1, label), … (5, label)]."""
        labels = self.scale_labels if len(self.scale_labels) == SCALE_SIZE else DEFAULT_SCALE_LABELS
        return list(enumerate(labels, start=1))

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


class Choice(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("libellé"), max_length=255)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("choix")
        verbose_name_plural = _("choix")
        ordering = ["question", "order", "pk"]

    def __str__(self):
        return self.label


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(answered=False)

    def for_token(self, token: str):
        return self.filter(token_hash=_token_hash(token))


class Invitation(models.Model):
    """WHO was asked and whether they answered — never WHAT or WHEN they answered.

    The personal link's token is derived (HMAC of SECRET_KEY and a random salt), so
    a reminder sends the same link again; only its SHA-256 is stored, looked up on each visit.
    `answered` is a flag without a date on purpose: a time would be a join key to the responses.
    `draft` keeps the partial answers of a respondent who saved without submitting; it is emptied
    in the same transaction that stores the final Response (see surveys/README.md)."""

    survey = models.ForeignKey(Survey, verbose_name=_("enquête"), on_delete=models.CASCADE, related_name="invitations")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    session = models.ForeignKey(
        SurveySession,
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    token_salt = models.CharField(max_length=32, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_at = models.DateTimeField(_("invité le"), default=timezone.now)
    # Set when the invitation e-mail is queued in the outbox (by a worker, in batches); stays empty
    # for agents without a mailbox (they find the survey on the intranet).
    mailed_at = models.DateTimeField(_("e-mail envoyé le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relancé le"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("relances"), default=0)
    answered = models.BooleanField(_("a répondu"), default=False)
    draft = models.JSONField(_("réponses en cours"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["survey", "pk"]
        # Beat's recovery looks every few seconds for invitations left to mail.
        indexes = [
            models.Index(
                fields=["survey"], condition=Q(mailed_at__isnull=True, answered=False), name="invitation_unmailed_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["survey", "agent"], name="survey_invitation_unique_agent"),
            # A submitted invitation keeps no partial answers.
            models.CheckConstraint(
                condition=Q(answered=False) | Q(draft__isnull=True),
                name="survey_answered_no_draft",
            ),
        ]

    def __str__(self):
        return f"{self.survey} — {self.agent}"

    @staticmethod
    def new_salt() -> str:
        return secrets.token_hex(16)

    def token(self) -> str:
        """The personal token in the link: an HMAC of the row's random salt under SECRET_KEY (the
        database alone, which holds only its hash, cannot rebuild a link)."""
        message = f"surveys.invitation:{self.token_salt}".encode()
        return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()

    def set_token_hash(self) -> None:
        self.token_hash = _token_hash(self.token())

    def get_link_path(self) -> str:
        return reverse("surveys:answer-token", args=[self.token()])


class Response(models.Model):
    """WHAT was answered. Nothing here joins to an Invitation, an Agent or a token: a random UUID
    key (the insertion order cannot be matched with the order invitations were answered), and no
    time: `submitted_on` is a date, left empty for an anonymous survey (a day is a join key too when
    someone watches who answers day by day). Checked by tests/surveys/test_anonymity_schema.py."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, verbose_name=_("enquête"), on_delete=models.CASCADE, related_name="responses")
    session = models.ForeignKey(
        SurveySession,
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
    )
    submitted_on = models.DateField(_("date de la réponse"), null=True, blank=True)
    # Results read published responses only. An identified survey's response is published at once;
    # an anonymous one waits until PUBLISH_BATCH responses of its session wait (itself included), and
    # they are published together (services.responses_publish): an organiser who compares the
    # results before and after never sees one new answer. A flag, not a batch number nor a time:
    # the published responses keep no order among themselves.
    published = models.BooleanField(_("publiée"), default=False)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        indexes = [models.Index(fields=["survey", "session"], name="survey_response_session_idx")]

    def __str__(self):
        return str(self.id)


class ResponseIdentity(models.Model):
    """Who wrote a response — IDENTIFIED surveys only (never written for an anonymous one).
    Unique per survey and agent: the database refuses a second answer by the same person."""

    response = models.OneToOneField(
        Response,
        verbose_name=_("réponse"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="identity",
    )
    survey = models.ForeignKey(Survey, verbose_name=_("enquête"), on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )

    class Meta:
        verbose_name = _("auteur d'une réponse")
        verbose_name_plural = _("auteurs des réponses")
        constraints = [models.UniqueConstraint(fields=["survey", "agent"], name="survey_identity_unique_agent")]

    def __str__(self):
        return f"{self.response_id} — {self.agent_id}"


class Answer(models.Model):
    """One answer to one question. Multiple choice: one row per ticked choice. The value sits in
    the column of its type: `choice` (single/multiple), `number` (scale 1–5, NPS 0–10, yes = 1 /
    no = 0, numbers), `date_value`, `text` — so results are computed in the database."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, verbose_name=_("réponse"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        Choice,
        verbose_name=_("choix"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
    )
    number = models.DecimalField(_("nombre"), max_digits=14, decimal_places=2, null=True, blank=True)
    date_value = models.DateField(_("date"), null=True, blank=True)
    text = models.TextField(_("texte"), blank=True)

    class Meta:
        verbose_name = _("réponse à une question")
        verbose_name_plural = _("réponses aux questions")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(choice__isnull=True),
                name="survey_answer_unique_value",
            ),
            models.UniqueConstraint(fields=["response", "question", "choice"], name="survey_answer_unique_choice"),
        ]
        indexes = [models.Index(fields=["question", "number"], name="survey_answer_number_idx")]

    def __str__(self):
        return f"{self.question_id}: {self.choice_id or self.number or self.date_value or self.text[:40]}"
