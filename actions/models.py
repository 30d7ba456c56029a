"""The projet d'administration: a plan, its objectives, its action cards ("fiches actions"),
their steps and indicators, the indicators' measurements and each card's history.

Texts that are lists in a fiche action (objectives, resources) are stored one item per
line; the templates split them. Progress rules live in `actions.progress`.

Longer than STYLE.md's 300 lines on purpose: the app's one models module, as Django lays it out;
the plan's tables and their constraints point at one another and read together.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intranet.models import OrgUnit

STALE_AFTER_DAYS = 90


class PlanQuerySet(models.QuerySet):
    def current(self):
        """The plan shown by default: the one marked current, else the latest created."""
        return self.order_by("-is_current", "-created_at", "-pk").first()


class Plan(models.Model):
    title = models.CharField(_("titre"), max_length=255)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    organisation = models.CharField(_("collectivité"), max_length=255, blank=True)
    period_start = models.DateField(_("début de la période"), null=True, blank=True)
    period_end = models.DateField(_("fin de la période"), null=True, blank=True)
    vision = models.TextField(_("vision stratégique"), blank=True)
    values = models.JSONField(
        _("valeurs et pratiques managériales"),
        default=list,
        blank=True,
        help_text=_('Une liste de valeurs, chacune avec ses pratiques : [{"name": …, "practices": […]}].'),
    )
    governance = models.TextField(_("suivi et gouvernance"), blank=True)
    is_current = models.BooleanField(_("plan en cours"), default=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet d'administration")
        verbose_name_plural = _("projets d'administration")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="plan_period_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actions:plan-overview")


class Objective(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="objective_unique_number_in_plan"),
            models.CheckConstraint(condition=Q(number__gte=1), name="objective_number_positive"),
        ]

    def __str__(self):
        return _("Objectif %(number)s : %(title)s") % {"number": self.number, "title": self.title}


class ActionCardQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[ActionCard.Status.DONE, ActionCard.Status.ABANDONED])

    def late(self, *, today=None):
        """Cards marked late, and open cards whose end date has passed."""
        today = today or timezone.localdate()
        return self.filter(
            Q(status=ActionCard.Status.LATE)
            | Q(end_date__lt=today, status__in=[ActionCard.Status.TO_START, ActionCard.Status.IN_PROGRESS])
        )

    def stale(self, *, days=STALE_AFTER_DAYS, now=None):
        """Open cards nobody has updated for `days` days (a plan is only as good as its upkeep)."""
        now = now or timezone.now()
        return self.open().filter(updated_at__lt=now - timedelta(days=days))

    def piloted_by(self, user):
        return self.filter(Q(pilot_agents=user) | Q(pilot_units__head=user)).distinct()

    def with_progress_data(self):
        """What `actions.progress.card_progress` needs, in the same query: step counts and
        the latest value of the progress indicator."""
        latest = Measurement.objects.filter(indicator=OuterRef("progress_indicator")).order_by("-date")
        return self.annotate(
            steps_total=Count("steps", filter=~Q(steps__state=Step.State.CANCELLED), distinct=True),
            steps_done=Count("steps", filter=Q(steps__state=Step.State.DONE), distinct=True),
            progress_latest_value=Subquery(latest.values("value")[:1]),
        ).select_related("progress_indicator")


class ActionCard(models.Model):
    """A "fiche action": one action of the plan, numbered within its objective (1.1 … 5.4)."""

    class Status(models.TextChoices):
        TO_START = "a_lancer", _("À lancer")
        IN_PROGRESS = "en_cours", _("En cours")
        LATE = "en_retard", _("En retard")
        DONE = "realisee", _("Réalisée")
        POSTPONED = "reportee", _("Reportée")
        ABANDONED = "abandonnee", _("Abandonnée")

    class ProgressMode(models.TextChoices):
        STEPS = "steps", _("Part des étapes réalisées")
        INDICATOR = "indicator", _("Valeur d'un indicateur par rapport à sa cible")
        MANUAL = "manual", _("Saisie par le pilote")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="cards")
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objectif"),
        on_delete=models.CASCADE,
        related_name="cards",
    )
    number = models.CharField(_("numéro"), max_length=10, help_text=_("Par exemple 1.3."))
    position = models.PositiveSmallIntegerField(_("rang dans l'objectif"))
    title = models.CharField(_("intitulé"), max_length=255)
    subtitle = models.CharField(_("sous-titre"), max_length=255, blank=True)
    context_note = models.CharField(
        _("en lien avec"),
        max_length=255,
        blank=True,
        help_text=_("Un plan ou une démarche hors du projet d'administration."),
    )
    objectives = models.TextField(_("objectifs de l'action"), blank=True, help_text=_("Un objectif par ligne."))
    resources = models.TextField(_("ressources nécessaires"), blank=True, help_text=_("Une ressource par ligne."))
    pilot_label = models.CharField(
        _("pilote (tel que nommé dans le plan)"),
        max_length=255,
        blank=True,
        help_text=_("Un poste ou un service, par exemple « DGA »."),
    )
    pilot_agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agents pilotes"),
        blank=True,
        related_name="piloted_cards",
    )
    pilot_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("services pilotes"),
        blank=True,
        related_name="piloted_cards",
        help_text=_("Le responsable du service est pilote : la fiche survit aux départs."),
    )
    contributing_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("services contributeurs"),
        blank=True,
        related_name="contributed_cards",
    )
    related_cards = models.ManyToManyField(
        "self",
        verbose_name=_("actions liées"),
        blank=True,
        symmetrical=True,
    )
    start_date = models.DateField(_("date de début"), null=True, blank=True)
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.TO_START)
    progress_mode = models.CharField(
        _("calcul de l'avancement"),
        max_length=20,
        choices=ProgressMode.choices,
        default=ProgressMode.STEPS,
    )
    progress_indicator = models.ForeignKey(
        "Indicator",
        verbose_name=_("indicateur d'avancement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    manual_progress = models.PositiveSmallIntegerField(_("avancement saisi (%)"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("poids dans l'objectif"),
        default=1,
        help_text=_("Les poids des actions d'un objectif sont ramenés à une somme de 1."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(
        _("mise à jour le"),
        default=timezone.now,
        db_index=True,
        help_text=_("Date du dernier suivi (modification, étape, mesure) : sert à repérer les fiches délaissées."),
    )

    objects = ActionCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiche action")
        verbose_name_plural = _("fiches actions")
        ordering = ["objective__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="card_unique_number_in_plan"),
            models.UniqueConstraint(fields=["objective", "position"], name="card_unique_position_in_objective"),
            models.CheckConstraint(
                condition=Q(manual_progress__isnull=True) | Q(manual_progress__lte=100),
                name="card_manual_progress_percent",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="card_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(progress_mode="indicator") | Q(progress_indicator__isnull=False),
                name="card_indicator_mode_has_indicator",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("actions:card-detail", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.objective_id and self.plan_id and self.objective.plan_id != self.plan_id:
            raise ValidationError({"objective": _("L'objectif doit appartenir au même plan.")})
        if self.progress_indicator_id and self.pk and self.progress_indicator.card_id != self.pk:
            raise ValidationError({"progress_indicator": _("L'indicateur doit être un indicateur de cette fiche.")})

    @property
    def objectives_list(self):
        return [line for line in self.objectives.splitlines() if line.strip()]

    @property
    def resources_list(self):
        return [line for line in self.resources.splitlines() if line.strip()]

    def is_stale(self, *, now=None):
        now = now or timezone.now()
        open_ = self.status not in (self.Status.DONE, self.Status.ABANDONED)
        return open_ and self.updated_at < now - timedelta(days=STALE_AFTER_DAYS)


class SubObjective(models.Model):
    """An operational sub-objective of a card (1.3.1, 1.3.2 …) with its bullet points."""

    card = models.ForeignKey(
        ActionCard, verbose_name=_("fiche"), on_delete=models.CASCADE, related_name="sub_objectives"
    )
    number = models.CharField(_("numéro"), max_length=12)
    position = models.PositiveSmallIntegerField(_("rang"))
    title = models.CharField(_("intitulé"), max_length=255)
    items = models.TextField(_("déclinaison"), blank=True, help_text=_("Un point par ligne."))

    class Meta:
        verbose_name = _("sous-objectif opérationnel")
        verbose_name_plural = _("sous-objectifs opérationnels")
        ordering = ["card", "position"]
        constraints = [
            models.UniqueConstraint(fields=["card", "number"], name="subobjective_unique_number"),
            models.UniqueConstraint(fields=["card", "position"], name="subobjective_unique_position"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def items_list(self):
        return [line for line in self.items.splitlines() if line.strip()]


class Step(models.Model):
    """One of the card's "modalités et étapes de mise en œuvre", in order."""

    class State(models.TextChoices):
        TODO = "a_faire", _("À faire")
        IN_PROGRESS = "en_cours", _("En cours")
        DONE = "realisee", _("Réalisée")
        CANCELLED = "abandonnee", _("Abandonnée")

    card = models.ForeignKey(ActionCard, verbose_name=_("fiche"), on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("rang"))
    title = models.TextField(_("étape"))
    details = models.TextField(_("précisions"), blank=True, help_text=_("Un point par ligne."))
    state = models.CharField(_("état"), max_length=20, choices=State.choices, default=State.TODO)
    due_date = models.DateField(_("échéance"), null=True, blank=True)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["card", "position"]
        constraints = [
            models.UniqueConstraint(fields=["card", "position"], name="step_unique_position"),
        ]

    def __str__(self):
        return self.title

    @property
    def details_list(self):
        return [line for line in self.details.splitlines() if line.strip()]


class Indicator(models.Model):
    """An evaluation indicator of a card; `source` names the module that feeds it, if any
    (a survey's satisfaction rate, the count of job-shadowing visits), else agents enter values."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Plus c'est haut, mieux c'est")
        LOWER = "lower", _("Plus c'est bas, mieux c'est")

    card = models.ForeignKey(ActionCard, verbose_name=_("fiche"), on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("rang"))
    definition = models.TextField(_("définition"))
    unit = models.CharField(_("unité"), max_length=50, blank=True)
    baseline = models.DecimalField(_("valeur de départ"), max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("cible"), max_digits=12, decimal_places=2, null=True, blank=True)
    direction = models.CharField(_("sens"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    source = models.CharField(
        _("alimenté par"),
        max_length=100,
        blank=True,
        help_text=_("Vide : saisie manuelle. Sinon le module qui fournit les valeurs."),
    )

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["card", "position"]
        constraints = [
            models.UniqueConstraint(fields=["card", "position"], name="indicator_unique_position"),
        ]

    def __str__(self):
        return self.definition

    @property
    def is_quantified(self):
        return self.target is not None


class Measurement(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicateur"), on_delete=models.CASCADE, related_name="measurements"
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("valeur"), max_digits=12, decimal_places=2)
    comment = models.TextField(_("commentaire"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saisie le"), auto_now_add=True)

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="measurement_unique_date"),
        ]

    def __str__(self):
        return f"{self.indicator} — {self.date:%Y-%m-%d} : {self.value}"


class CardChange(models.Model):
    """One change of a card: who changed which field, from what to what. Written only by
    the services in `actions.services`, never edited."""

    card = models.ForeignKey(ActionCard, verbose_name=_("fiche"), on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("date"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_label = models.CharField(_("auteur (au moment du changement)"), max_length=255, blank=True)
    field = models.CharField(_("champ"), max_length=100)
    old_value = models.TextField(_("ancienne valeur"), blank=True)
    new_value = models.TextField(_("nouvelle valeur"), blank=True)

    class Meta:
        verbose_name = _("modification de fiche")
        verbose_name_plural = _("historique des fiches")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["card", "-at"], name="cardchange_card_at_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.card_id} {self.field}"

    @property
    def field_label(self):
        """What changed, for the reader: a card's field, a step ("step:3", "step:3:due_date")
        or an indicator's measurement ("indicator:2")."""
        kind, _sep, rest = self.field.partition(":")
        if kind == "step":
            position, _sep, detail = rest.partition(":")
            labels = {
                "": _("Étape %(n)s"),
                "due_date": _("Échéance de l'étape %(n)s"),
                "title": _("Intitulé de l'étape %(n)s"),
                "added": _("Étape %(n)s ajoutée"),
                "deleted": _("Étape %(n)s supprimée"),
                "position": _("Étape déplacée au rang %(n)s"),
            }
            return labels.get(detail, labels[""]) % {"n": position}
        if kind == "indicator":
            position, _sep, detail = rest.partition(":")
            if not detail:
                return _("Mesure de l'indicateur %(n)s") % {"n": position}
            if detail == "added":
                return _("Indicateur %(n)s ajouté") % {"n": position}
            if detail == "deleted":
                return _("Indicateur %(n)s supprimé") % {"n": position}
            try:
                name = Indicator._meta.get_field(detail).verbose_name
            except FieldDoesNotExist:
                name = detail
            return _("Indicateur %(n)s : %(field)s") % {"n": position, "field": name}
        try:
            return ActionCard._meta.get_field(self.field).verbose_name
        except FieldDoesNotExist:
            return self.field
