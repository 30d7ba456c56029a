""" "Montre-moi ton job" (seed 004): campaigns, hosts' offers, wishes becoming visits, the
discretion agreement, and every transition of a visit recorded.

The path of a visit (Visit.State):
    wish → approved (by the visitor's manager) → accepted (by the host AND the host's manager)
    → scheduled (date, half day or day) → done → evaluated (the hot evaluation handed to the
    surveys app); refused (with a reason) at any step before "done"; cancelled at any step
    before "done".
A free wish ("a job I would like to discover", no offer) gets its host from HR or the
visitor's manager during the organisation (`visit_assign_host`) before the host steps.

Absent managers: a manager (or HR for them) records an `ApproverAbsence` (a period, and
optionally a named substitute). While it covers today, the named substitute and the head of
the absent manager's unit (the nearest unit above whose head is someone else) may act in
their place; HR may always act. The event records who acted and for whom.

Longer than STYLE.md's 300 lines on purpose: the app's one models module, as Django lays it out;
a visit's states, its campaign, offer, absences and events read together.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Availability(models.TextChoices):
    HALF_DAY = "demi_journee", _("Une demi-journée")
    DAY = "journee", _("Une journée")
    BOTH = "les_deux", _("Une demi-journée ou une journée")


class Slot(models.TextChoices):
    MORNING = "matin", _("Matin")
    AFTERNOON = "apres_midi", _("Après-midi")
    DAY = "journee", _("Journée entière")


class Campaign(models.Model):
    """One round of the action: a period for collecting wishes (open to all), then the
    organisation of the visits with the service heads. Several a year, each with its figures."""

    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True, max_length=4000)
    wishes_open_on = models.DateField(_("ouverture des souhaits"))
    wishes_close_on = models.DateField(_("clôture des souhaits"))
    visits_end_on = models.DateField(_("fin des visites"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    visitor_survey_id = models.PositiveIntegerField(_("questionnaire des visiteurs"), null=True, blank=True)
    host_survey_id = models.PositiveIntegerField(_("questionnaire des accueillants"), null=True, blank=True)

    class Meta:
        ordering = ["-wishes_open_on", "-pk"]
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        constraints = [
            models.CheckConstraint(
                condition=Q(wishes_close_on__gte=models.F("wishes_open_on")), name="shadowing_campaign_wishes_period"
            ),
            models.CheckConstraint(
                condition=Q(visits_end_on__gte=models.F("wishes_close_on")),
                name="shadowing_campaign_visits_after_wishes",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("shadowing:campaign-detail", args=[self.pk])

    def accepts_wishes(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.wishes_open_on <= today <= self.wishes_close_on

    def phase(self, today=None) -> str:
        today = today or timezone.localdate()
        if today < self.wishes_open_on:
            return _("à venir")
        if today <= self.wishes_close_on:
            return _("recueil des souhaits")
        if today <= self.visits_end_on:
            return _("organisation des visites")
        return _("terminée")


class OfferQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True, host__is_active=True)


class Offer(models.Model):
    """A host volunteers: the job they show, where, and for how long."""

    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shadowing_offers",
        verbose_name=_("accueillant"),
    )
    job_title = models.CharField(_("métier"), max_length=200)
    description = models.TextField(_("ce que vous ferez découvrir"), max_length=3000)
    org_unit = models.ForeignKey(
        "intranet.OrgUnit", on_delete=models.PROTECT, related_name="shadowing_offers", verbose_name=_("service")
    )
    site = models.ForeignKey(
        "intranet.Site", on_delete=models.PROTECT, related_name="shadowing_offers", verbose_name=_("site")
    )
    availability = models.CharField(
        _("durée possible"), max_length=20, choices=Availability.choices, default=Availability.BOTH
    )
    availability_note = models.CharField(
        _("disponibilités"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple : les mardis matin, hors juillet-août."),
    )
    active = models.BooleanField(_("offre ouverte"), default=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["job_title", "pk"]
        verbose_name = _("offre d'accueil")
        verbose_name_plural = _("offres d'accueil")

    def __str__(self):
        return f"{self.job_title} ({self.host.get_full_name()})"


class AgreementVersion(models.Model):
    """The discretion agreement (engagement de discrétion), versioned: a new text is a new row;
    a signature points to the version the visitor read."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("texte"), max_length=10000)
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publiée par"),
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("version de l'engagement de discrétion")
        verbose_name_plural = _("versions de l'engagement de discrétion")

    def __str__(self):
        return _("Engagement de discrétion, version %(version)s") % {"version": self.version}


class ApproverAbsence(models.Model):
    """A manager away from `starts_on` to `ends_on`: the named substitute, the head of their
    unit (or an HR agent) approves in their place meanwhile."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shadowing_absences",
        verbose_name=_("encadrant absent"),
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shadowing_substitutions",
        verbose_name=_("suppléant désigné"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("absence d'un encadrant")
        verbose_name_plural = _("absences d'encadrants")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="shadowing_absence_period"),
        ]

    def __str__(self):
        return f"{self.manager} {self.starts_on} – {self.ends_on}"


class VisitQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related(
            "campaign",
            "visitor",
            "visitor__org_unit",
            "host",
            "host__org_unit",
            "offer",
            "offer__org_unit",
            "offer__site",
            "agreement",
        )

    def done(self):
        return self.filter(state__in=[Visit.State.DONE, Visit.State.EVALUATED])


class Visit(models.Model):
    """A wish, and the visit it becomes."""

    class State(models.TextChoices):
        # Who acts next is `Visit.next_step` (it depends on more than the state).
        WISH = "souhait", _("Souhait")
        APPROVED = "approuvee", _("Approuvée par l'encadrant")
        ACCEPTED = "acceptee", _("Acceptée")
        SCHEDULED = "programmee", _("Programmée")
        DONE = "realisee", _("Réalisée")
        EVALUATED = "evaluee", _("Évaluée")
        REFUSED = "refusee", _("Refusée")
        CANCELLED = "annulee", _("Annulée")

    OPEN_STATES = (State.WISH, State.APPROVED, State.ACCEPTED, State.SCHEDULED)

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="visits", verbose_name=_("campagne"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shadowing_visits", verbose_name=_("visiteur")
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits", verbose_name=_("offre")
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shadowing_hosted",
        verbose_name=_("accueillant"),
    )
    wished_job = models.CharField(
        _("métier souhaité"),
        max_length=200,
        blank=True,
        help_text=_("Si aucune offre ne correspond : le métier que vous aimeriez découvrir."),
    )
    motivation = models.TextField(_("pourquoi ce métier ?"), max_length=2000, blank=True)
    duration = models.CharField(
        _("durée"), max_length=20, choices=Availability.choices[:2], default=Availability.HALF_DAY
    )
    state = models.CharField(_("état"), max_length=20, choices=State.choices, default=State.WISH, db_index=True)
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)

    host_accepted_at = models.DateTimeField(_("acceptée par l'accueillant le"), null=True, blank=True)
    host_manager_accepted_at = models.DateTimeField(
        _("acceptée par l'encadrant de l'accueillant le"), null=True, blank=True
    )
    scheduled_on = models.DateField(_("date de la visite"), null=True, blank=True)
    slot = models.CharField(_("moment"), max_length=20, choices=Slot.choices, blank=True)
    refusal_reason = models.TextField(_("motif du refus"), max_length=2000, blank=True)
    cancel_reason = models.TextField(_("motif de l'annulation"), max_length=2000, blank=True)

    agreement = models.ForeignKey(
        AgreementVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("engagement signé"),
    )
    agreement_signed_at = models.DateTimeField(_("engagement signé le"), null=True, blank=True)

    report = models.TextField(_("rapport d'étonnement"), max_length=6000, blank=True)
    report_written_at = models.DateTimeField(null=True, blank=True)
    report_publish_consent = models.BooleanField(
        _("j'accepte que mon rapport soit publié sur l'intranet"), default=False
    )
    report_published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    evaluation_sent_at = models.DateTimeField(_("évaluation envoyée le"), null=True, blank=True)
    routed_to_hr_at = models.DateTimeField(
        _("transmise aux RH le"),
        null=True,
        blank=True,
        help_text=_("Un souhait sans accueillant désigné dans le délai passe dans la file « À décider » des RH."),
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("visite")
        verbose_name_plural = _("visites")
        constraints = [
            models.CheckConstraint(condition=~Q(offer=None) | ~Q(wished_job=""), name="shadowing_visit_has_a_job"),
        ]

    def __str__(self):
        return _("%(visitor)s découvre %(job)s") % {"visitor": self.visitor.get_full_name(), "job": self.job_label}

    def get_absolute_url(self):
        return reverse("shadowing:visit-detail", args=[self.pk])

    @property
    def job_label(self) -> str:
        return self.offer.job_title if self.offer_id else self.wished_job

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def next_step(self) -> str:
        """Who acts next, in words, for every state (with the visitor and host loaded): « Prochaine
        étape : la réponse de Karim Accueillant, l'accueillant »; "" once the request is closed."""
        State = self.State
        visitor = self.visitor.get_full_name()
        host = self.host.get_full_name() if self.host_id else ""
        today = timezone.localdate()
        if self.state == State.WISH:
            step = _("l'accord de l'encadrant de %(visitor)s") % {"visitor": visitor}
        elif self.state == State.APPROVED and not self.host_id:
            step = (
                _("les RH désignent l'accueillant")
                if self.routed_to_hr_at
                else _("l'encadrant de %(visitor)s (ou les RH) désigne l'accueillant") % {"visitor": visitor}
            )
        elif self.state == State.APPROVED and self.host_accepted_at is None:
            step = _("la réponse de %(host)s, l'accueillant") % {"host": host}
        elif self.state == State.APPROVED:
            step = _("l'accord de l'encadrant de %(host)s") % {"host": host}
        elif self.state == State.ACCEPTED:
            step = _("%(host)s fixe la date de la visite") % {"host": host}
        elif self.state == State.SCHEDULED and self.agreement_signed_at is None:
            step = _("%(visitor)s signe l'engagement de discrétion avant la visite") % {"visitor": visitor}
        elif self.state == State.SCHEDULED and self.scheduled_on > today:
            step = _("la visite, le %(date)s") % {"date": self.scheduled_on.strftime("%d/%m/%Y")}
        elif self.state == State.SCHEDULED:
            step = _("%(visitor)s ou %(host)s confirme que la visite a eu lieu") % {"visitor": visitor, "host": host}
        elif self.state in (State.DONE, State.EVALUATED) and not self.report:
            step = _("%(visitor)s écrit son rapport d'étonnement") % {"visitor": visitor}
        else:
            return ""
        return _("Prochaine étape : %(step)s") % {"step": step}


class VisitEvent(models.Model):
    """One transition of a visit: who did it, when, and for whom when a substitute acted."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    comment = models.TextField(blank=True)

    ACTION_LABELS = {
        "request": _("souhait formulé"),
        "approve": _("accord de l'encadrant du visiteur"),
        "assign_host": _("accueillant désigné"),
        "accept": _("acceptation"),
        "refuse": _("refus"),
        "schedule": _("visite programmée"),
        "sign_agreement": _("engagement de discrétion signé"),
        "cancel": _("annulation"),
        "complete": _("visite réalisée"),
        "evaluate": _("évaluation à chaud envoyée"),
        "evaluation_skipped": _("évaluation à chaud non envoyée"),
        "route_to_hr": _("transmise aux RH : pas d'accueillant désigné"),
        "report": _("rapport d'étonnement écrit"),
        "publish": _("rapport publié"),
        "unpublish": _("rapport retiré des témoignages"),
    }

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.visit_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action)
