"""The core's data: agents (the user model), org units, sites, skills and the audit log, the
outbox, document requests, saved audiences, heartbeats and retention periods.

Longer than STYLE.md's 300 lines on purpose: the core's one models module, as Django lays it out;
the agent is most of it, and the tables beside it point at it and read together."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intranet import smtp
from intranet.text_policy import validate_phone


class Site(models.Model):
    class Kind(models.TextChoices):
        SIEGE = "siege", _("Siège")
        ANTENNE = "antenne", _("Antenne")
        LYCEE = "lycee", _("Lycée")
        COLLEGE = "college", _("Collège")
        CRECHE = "creche", _("Crèche")
        CENTRE_TECHNIQUE = "centre_technique", _("Centre technique")
        AUTRE = "autre", _("Autre")

    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.AUTRE)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=120, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True, validators=[validate_phone])

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrgUnitQuerySet(models.QuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)


class OrgUnit(models.Model):
    """A unit of the org chart: pôle > direction > service (and below, if need be)."""

    class Kind(models.TextChoices):
        POLE = "pole", _("Pôle")
        DIRECTION = "direction", _("Direction")
        SERVICE = "service", _("Service")
        UNITE = "unite", _("Unité")

    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("sigle"), max_length=30, blank=True)
    kind = models.CharField(_("niveau"), max_length=20, choices=Kind.choices, default=Kind.SERVICE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unité parente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("site principal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="org_units",
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unité")
        verbose_name_plural = _("unités")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="orgunit_unique_name_in_parent"),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="orgunit_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def ancestors(self):
        """Units above this one, nearest first (walks the parents: the tree is shallow)."""
        unit, chain = self.parent, []
        while unit is not None and unit not in chain:
            chain.append(unit)
            unit = unit.parent
        return chain


class Skill(models.Model):
    name = models.CharField(_("compétence"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["name"]

    def __str__(self):
        return self.name


class AgentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, anonymised_at__isnull=True)

    def internal(self):
        return self.filter(is_external=False)


class AgentManager(BaseUserManager.from_queryset(AgentQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An agent needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class Agent(AbstractBaseUser, PermissionsMixin):
    """An agent of the administration, or an external partner; logs in by e-mail."""

    class Status(models.TextChoices):
        TITULAIRE = "titulaire", _("Titulaire")
        STAGIAIRE = "stagiaire", _("Stagiaire de la fonction publique")
        CONTRACTUEL = "contractuel", _("Contractuel")
        APPRENTI = "apprenti", _("Apprenti")
        AUTRE = "autre", _("Autre")

    class Category(models.TextChoices):
        A = "A", _("Catégorie A")
        B = "B", _("Catégorie B")
        C = "C", _("Catégorie C")

    class Filiere(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("Administrative")
        TECHNIQUE = "technique", _("Technique")
        SOCIALE = "sociale", _("Sociale")
        MEDICO_SOCIALE = "medico_sociale", _("Médico-sociale")
        CULTURELLE = "culturelle", _("Culturelle")
        ANIMATION = "animation", _("Animation")
        SPORTIVE = "sportive", _("Sportive")
        POLICE = "police", _("Police municipale")

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    matricule = models.CharField(_("matricule"), max_length=30, unique=True, null=True, blank=True)
    job_title = models.CharField(_("fonction"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agents",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("responsable hiérarchique"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    phone = models.CharField(_("téléphone professionnel"), max_length=30, blank=True, validators=[validate_phone])
    mobile = models.CharField(_("téléphone mobile"), max_length=30, blank=True, validators=[validate_phone])
    arrival_date = models.DateField(_("date d'arrivée"), null=True, blank=True)
    departure_date = models.DateField(_("date de départ"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, blank=True)
    category = models.CharField(_("catégorie"), max_length=1, choices=Category.choices, blank=True)
    filiere = models.CharField(_("filière"), max_length=20, choices=Filiere.choices, blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/%Y/", blank=True)
    # The photo whose thumbnails are written (intranet.images.THUMBNAIL_SIZES): a page shows them
    # without asking the storage whether they exist; another photo (a new name) makes new ones.
    photo_thumbnails_of = models.CharField(
        _("vignettes écrites pour la photo"), max_length=100, blank=True, editable=False
    )
    missions = models.TextField(_("mes missions"), max_length=2000, blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("compétences"), blank=True, related_name="agents")
    has_mailbox = models.BooleanField(
        _("lit une messagerie professionnelle"),
        default=True,
        help_text=_(
            "Décoché pour les agents sans boîte professionnelle (lycées, routes) : "
            "les diffusions leur parviennent sur papier."
        ),
    )
    show_phone = models.BooleanField(_("afficher mon téléphone professionnel"), default=True)
    show_mobile = models.BooleanField(_("afficher mon téléphone mobile"), default=False)
    show_photo = models.BooleanField(_("afficher ma photo"), default=True)
    is_external = models.BooleanField(
        _("partenaire externe"),
        default=False,
        help_text=_("Proviseur, intendant… : n'accède qu'à l'extranet."),
    )
    organisation = models.CharField(
        _("organisme"),
        max_length=200,
        blank=True,
        help_text=_("Pour un partenaire externe : son établissement."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration Django"), default=False)
    date_joined = models.DateTimeField(_("compte créé le"), default=timezone.now)
    details_confirmed_at = models.DateTimeField(_("coordonnées confirmées le"), null=True, blank=True)
    todo_digest = models.BooleanField(
        _("recevoir chaque semaine par courriel ce qui m'attend"),
        default=True,
        help_text=_("Le lundi, un récapitulatif de « À faire », seulement quand quelque chose vous attend."),
    )
    todo_digest_checked_at = models.DateTimeField(_("récapitulatif « À faire » préparé le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)

    objects = AgentManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="agent_name_idx"),
            # The month's arrivals (home page slot, arrivals page) and departures: a range on a date.
            models.Index(fields=["arrival_date"], name="agent_arrival_idx"),
            models.Index(fields=["departure_date"], name="agent_departure_idx"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    @property
    def initials(self):
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()


class AuditLogEntry(models.Model):
    """One sensitive action: who did what, when, on which object. Written only by
    `intranet.services.audit_log_record`; never edited."""

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("auteur (au moment de l'action)"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("type d'objet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    target_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    target_label = models.CharField(_("objet"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal des actions sensibles")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def get_absolute_url(self):
        return reverse("admin:intranet_auditlogentry_change", args=[self.pk])


class OutgoingEmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=OutgoingEmail.Status.PENDING)

    def sendable(self, *, now):
        """Pending mails whose retry time, if an attempt failed, has come."""
        return self.pending().filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))

    def due(self, *, now, older_than):
        """Pending mails a worker should have taken by now: queued before `now - older_than`,
        and past their retry time if an attempt failed."""
        return self.sendable(now=now).filter(created_at__lt=now - older_than)


class OutgoingEmail(models.Model):
    """One message to one recipient, recorded before any worker sees it: the row is the
    request (work asked for while Redis is down is not lost) and its status is the delivery
    state (a task delivered twice sends nothing twice). Written by `intranet.services.email_*`."""

    MAX_ATTEMPTS = smtp.MAX_ATTEMPTS

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")

    to = models.EmailField(_("destinataire"))
    subject = models.CharField(_("objet"), max_length=255)
    text = models.TextField(_("texte"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    attachments = models.JSONField(
        _("pièces jointes"),
        default=list,
        blank=True,
        help_text=_("Liste de {filename, mimetype, content (base64)} : une invitation iCal, un PDF."),
    )
    kind = models.CharField(
        _("type de message"),
        max_length=60,
        db_index=True,
        help_text=_("Code court, par exemple « account.password_reset »."),
    )
    # Chosen when the mail is queued, sent with every attempt: a mail sent again after a crash
    # between the server's 250 and our commit carries the same one (intranet/smtp.py).
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("prochaine tentative après"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail sortant")
        verbose_name_plural = _("e-mails sortants")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="outgoingemail_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="outgoingemail_sent_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.to} ({self.get_status_display()})"


class DocumentRequest(models.Model):
    """A document (a PDF) asked for and rendered by a worker: the row is the request,
    recorded before any worker sees it (work asked for while Redis is down is not lost), and
    its status says where it is. `kind` names a renderer registered with
    `intranet.registry.DocumentRenderer`. Written by `intranet.services.document_*`."""

    MAX_ATTEMPTS = 3

    class Status(models.TextChoices):
        PENDING = "pending", _("En préparation")
        DONE = "done", _("Prêt")
        FAILED = "failed", _("Échec")

    kind = models.CharField(
        _("type de document"),
        max_length=60,
        db_index=True,
        help_text=_("Code court, par exemple « directory.trombinoscope »."),
    )
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        Agent,
        verbose_name=_("demandé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="document_requests",
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("fichier"), upload_to="documents/", blank=True)
    filename = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    done_at = models.DateTimeField(_("prêt le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande de document")
        verbose_name_plural = _("demandes de document")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="documentrequest_status_idx")]

    def __str__(self):
        return f"{self.kind} ({self.get_status_display()})"


class SavedAudience(models.Model):
    """A reusable list of recipients (see intranet/audiences/ for what `spec` means)."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    spec = models.JSONField(_("définition"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("liste de destinataires")
        verbose_name_plural = _("listes de destinataires")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Heartbeat(models.Model):
    """When a background process last showed it was alive: « worker » (the recovery tick ran in a
    worker), « beat » (beat published the tick). Read by the health page (intranet/health.py)."""

    key = models.CharField(_("processus"), max_length=40, primary_key=True)
    at = models.DateTimeField(_("dernier signe de vie"))

    class Meta:
        verbose_name = _("signe de vie")
        verbose_name_plural = _("signes de vie")

    def __str__(self):
        return f"{self.key} {self.at:%Y-%m-%d %H:%M:%S}"


class RetentionPeriod(models.Model):
    """How long HR keeps one kind of data (intranet.retention): the key of a RetentionRule and its
    period in days. Without a row, the rule's default applies."""

    key = models.CharField(_("donnée"), max_length=60, primary_key=True)
    days = models.PositiveIntegerField(_("durée de conservation (jours)"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("modifiée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("durée de conservation")
        verbose_name_plural = _("durées de conservation")

    def __str__(self):
        return f"{self.key}: {self.days}"
