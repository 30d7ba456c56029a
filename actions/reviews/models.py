"""The steering committee's annual review of the projet d'administration (seed 001: "le
comité de pilotage se réunira une fois par an pour évaluer les actions").

A review goes preparation → self-assessment open → in session → closed, never back:

- opening it freezes a snapshot of every card of the plan (status, progress, each
  indicator's latest value, steps done/total): what the committee reviews is what the plan
  said that day, whatever pilots change afterwards;
- while it is open, each card's pilots write their self-assessment;
- in session, the committee records one decision per card (poursuivre / réajuster /
  arrêter) with its comment;
- closing it freezes everything: no service writes to a closed review.

Snapshots are written once, by `review_open`, and never updated: on PostgreSQL a trigger
refuses any UPDATE of a snapshot but the two the application itself needs (its card deleted:
`card_id` set to NULL; a departed agent anonymised: the names in `pilots`).

The follow-up group ("groupe de suivi", volunteer agents) posts proposals on cards; a
proposal belongs to the review being prepared or held when it was posted, or waits for
the next one (attached when that review opens).

Longer than STYLE.md's 300 lines on purpose: the app's one models module, as Django lays it out;
a review, its frozen snapshots, self-assessments, decisions and proposals read together.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import ActionCard, Plan


class ReviewQuerySet(models.QuerySet):
    def closed(self):
        return self.filter(status=Review.Status.CLOSED)

    def not_closed(self):
        return self.exclude(status=Review.Status.CLOSED)


class Review(models.Model):
    class Status(models.TextChoices):
        PREPARATION = "preparation", _("En préparation")
        SELF_ASSESSMENT = "autoevaluation", _("Auto-évaluations ouvertes")
        IN_SESSION = "seance", _("En séance")
        CLOSED = "cloturee", _("Clôturée")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("année"))
    date = models.DateField(_("date de la séance"))
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.PREPARATION)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    opened_at = models.DateTimeField(_("ouverte le"), null=True, blank=True)
    session_started_at = models.DateTimeField(_("séance ouverte le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clôturée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(
        _("dernière modification"),
        default=timezone.now,
        help_text=_("Tout changement de la revue (état, auto-évaluation, décision) : le PDF en dépend."),
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("revue annuelle")
        verbose_name_plural = _("revues annuelles")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="review_unique_year_per_plan"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="review_year_plausible"),
        ]

    def __str__(self):
        return _("Revue %(year)s — %(plan)s") % {"year": self.year, "plan": self.plan.title}

    def get_absolute_url(self):
        return reverse("reviews:review-detail", args=[self.pk])

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED


class CardSnapshot(models.Model):
    """A card as it stood when the review opened. Written once by `review_open`; its texts
    are copied so the snapshot reads the same if the card is renumbered or deleted."""

    review = models.ForeignKey(Review, verbose_name=_("revue"), on_delete=models.CASCADE, related_name="snapshots")
    card = models.ForeignKey(
        ActionCard, verbose_name=_("fiche"), on_delete=models.SET_NULL, null=True, related_name="review_snapshots"
    )
    objective_number = models.PositiveSmallIntegerField(_("numéro de l'objectif"))
    objective_title = models.CharField(_("objectif"), max_length=255)
    card_number = models.CharField(_("numéro"), max_length=10)
    card_title = models.CharField(_("intitulé"), max_length=255)
    position = models.PositiveSmallIntegerField(_("rang dans l'objectif"))
    status = models.CharField(_("statut"), max_length=20, choices=ActionCard.Status.choices)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), null=True, blank=True)
    progress_method = models.CharField(_("calcul de l'avancement"), max_length=500, blank=True)
    steps_done = models.PositiveSmallIntegerField(_("étapes réalisées"), default=0)
    steps_total = models.PositiveSmallIntegerField(_("étapes"), default=0)
    indicators = models.JSONField(
        _("indicateurs"),
        default=list,
        blank=True,
        help_text=_("Chaque indicateur avec sa dernière valeur : définition, unité, cible, valeur, date."),
    )
    card_updated_at = models.DateTimeField(_("dernier suivi de la fiche"), null=True, blank=True)
    pilots = models.JSONField(
        _("pilotes"),
        default=list,
        blank=True,
        help_text=_('Les pilotes de la fiche ce jour-là : [{"id": agent ou null, "name": nom}].'),
    )
    taken_at = models.DateTimeField(_("pris le"), default=timezone.now)

    class Meta:
        verbose_name = _("photographie de fiche")
        verbose_name_plural = _("photographies de fiches")
        ordering = ["review", "objective_number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "card"], name="snapshot_unique_card_per_review"),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100), name="snapshot_progress_percent"
            ),
        ]

    def __str__(self):
        return f"{self.review_id} {self.card_number}"

    @property
    def pilots_label(self) -> str:
        return ", ".join(pilot["name"] for pilot in self.pilots)


class SelfAssessment(models.Model):
    """A pilot's self-assessment of one card, written before the session."""

    review = models.ForeignKey(
        Review, verbose_name=_("revue"), on_delete=models.CASCADE, related_name="self_assessments"
    )
    card = models.ForeignKey(
        ActionCard, verbose_name=_("fiche"), on_delete=models.CASCADE, related_name="self_assessments"
    )
    assessment = models.TextField(_("bilan de l'année"), help_text=_("Comment l'action s'est déroulée."))
    difficulties = models.TextField(_("difficultés rencontrées"), blank=True)
    next_steps = models.TextField(_("prochaines étapes proposées"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rédigée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_label = models.CharField(_("rédigée par (nom)"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("mise à jour le"), default=timezone.now)

    class Meta:
        verbose_name = _("auto-évaluation")
        verbose_name_plural = _("auto-évaluations")
        ordering = ["review", "card__objective__number", "card__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "card"], name="selfassessment_unique_card_per_review"),
        ]

    def __str__(self):
        return f"{self.review_id} {self.card_id}"


class Decision(models.Model):
    """The committee's decision on one card in one review."""

    class Choice(models.TextChoices):
        CONTINUE = "poursuivre", _("Poursuivre")
        ADJUST = "reajuster", _("Réajuster")
        STOP = "arreter", _("Arrêter")

    review = models.ForeignKey(Review, verbose_name=_("revue"), on_delete=models.CASCADE, related_name="decisions")
    card = models.ForeignKey(ActionCard, verbose_name=_("fiche"), on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("décision"), max_length=20, choices=Choice.choices)
    comment = models.TextField(_("commentaire du comité"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistrée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by_label = models.CharField(_("enregistrée par (nom)"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)

    class Meta:
        verbose_name = _("décision du comité")
        verbose_name_plural = _("décisions du comité")
        ordering = ["review", "card__objective__number", "card__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "card"], name="decision_unique_card_per_review"),
        ]

    def __str__(self):
        return f"{self.review_id} {self.card_id} {self.decision}"


class FollowUpMember(models.Model):
    """A volunteer of the plan's follow-up group ("groupe de suivi du projet")."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="followup_members")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="followup_memberships"
    )
    joined_at = models.DateTimeField(_("membre depuis"), default=timezone.now)

    class Meta:
        verbose_name = _("membre du groupe de suivi")
        verbose_name_plural = _("membres du groupe de suivi")
        ordering = ["plan", "agent__last_name", "agent__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "agent"], name="followup_unique_agent_per_plan"),
        ]

    def __str__(self):
        return f"{self.agent} ({self.plan})"


class Proposal(models.Model):
    """A proposal of the follow-up group on a card, shown to the committee in session."""

    card = models.ForeignKey(ActionCard, verbose_name=_("fiche"), on_delete=models.CASCADE, related_name="proposals")
    review = models.ForeignKey(
        Review,
        verbose_name=_("revue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        help_text=_("La revue en préparation quand elle a été déposée ; vide : pour la prochaine revue."),
    )
    text = models.TextField(_("proposition"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_label = models.CharField(_("auteur (nom)"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("déposée le"), default=timezone.now)

    class Meta:
        verbose_name = _("proposition du groupe de suivi")
        verbose_name_plural = _("propositions du groupe de suivi")
        ordering = ["card", "created_at", "pk"]

    def __str__(self):
        return f"{self.card_id}: {self.text[:50]}"


class Reminder(models.Model):
    """A reminder e-mailed to a pilot about a card before a review: the unique constraint
    is what makes the beat task idempotent (never the same reminder twice)."""

    class Kind(models.TextChoices):
        STALE = "stale", _("Fiche sans suivi depuis 90 jours")
        SELF_ASSESSMENT = "self_assessment", _("Auto-évaluation manquante")

    review = models.ForeignKey(Review, verbose_name=_("revue"), on_delete=models.CASCADE, related_name="reminders")
    card = models.ForeignKey(ActionCard, verbose_name=_("fiche"), on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pilote"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("relance")
        verbose_name_plural = _("relances")
        constraints = [
            models.UniqueConstraint(fields=["review", "card", "agent", "kind"], name="reminder_unique"),
        ]

    def __str__(self):
        return f"{self.review_id} {self.card_id} {self.agent_id} {self.kind}"
