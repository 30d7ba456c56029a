"""News (« Actualités »), editable pages, the resource library and the managers' questions.

News. An editor drafts, submits for review; a communication officer publishes (now or at a
later date), or sends it back with a note. A published item is read by its audience (the shared
rule of intranet.audiences) from its publication date on; its expiry takes it off the home page
(the archive keeps it). `search_text` holds its normalised words (title, summary, text) for the
search; on PostgreSQL `search_vector` is their French full-text vector (GIN index, migration 0002).

Longer than STYLE.md's 300 lines on purpose: the app's one models module, as Django lays it out;
the news, pages, library and questions share their editors and moderation.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Under MEDIA_ROOT/private/, which intranet.views.media never serves: the app's own views serve
# these files after their permission check.
NEWS_IMAGE_FOLDER = "private/content/actualites/%Y/"


class NewsQuerySet(models.QuerySet):
    def live(self, *, now=None):
        """Published, and their publication date has come."""
        return self.filter(status=News.Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def current(self, *, now=None):
        """Live and not expired: what the home page shows."""
        now = now or timezone.now()
        return self.live(now=now).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class News(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        REVIEW = "review", _("À relire")
        PUBLISHED = "published", _("Publiée")

    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(
        _("chapeau"), max_length=400, help_text=_("Deux ou trois phrases : ce qui s'affiche dans les listes.")
    )
    body = models.TextField(_("texte"), blank=True, help_text=_("HTML nettoyé à l'enregistrement."))
    image = models.ImageField(_("image"), upload_to=NEWS_IMAGE_FOLDER, blank=True)
    image_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=300,
        blank=True,
        help_text=_("Ce que montre l'image, pour qui ne la voit pas (obligatoire avec une image)."),
    )
    audience = models.JSONField(_("public"), default=dict, blank=True, help_text=_("Un AudienceSpec."))
    # Copies of the audience the lists filter on in SQL (every internal agent, external partners,
    # agents named): only the other items' audiences are read, in Python (content.selectors).
    audience_everyone = models.BooleanField(default=True, editable=False)
    audience_partners = models.BooleanField(default=False, editable=False)
    audience_named = models.BooleanField(default=False, editable=False)  # agents named one by one
    featured = models.BooleanField(_("à la une"), default=False)
    publish_at = models.DateTimeField(_("publiée le"), null=True, blank=True, db_index=True)
    expires_at = models.DateTimeField(
        _("retirée de l'accueil le"),
        null=True,
        blank=True,
        help_text=_("Facultatif : l'actualité quitte alors la page d'accueil ; elle reste dans les archives."),
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rédigée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(_("rédigée par (nom)"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    submitted_at = models.DateTimeField(_("soumise à relecture le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("publiée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    review_note = models.TextField(_("remarques de relecture"), max_length=2000, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = NewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "publish_at"], name="news_status_publish_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False), name="news_published_has_date"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("content:news-detail", args=[self.pk])

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at > timezone.now()

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at <= timezone.now()
        )

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class Editor(models.Model):
    """An agent the communication officers allow to draft news (a « correspondant » of a service):
    their drafts are published after review."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="news_editor"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ajouté par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("ajouté le"), default=timezone.now)

    class Meta:
        verbose_name = _("rédacteur")
        verbose_name_plural = _("rédacteurs")

    def __str__(self):
        return str(self.agent)


def feed_token_new() -> str:
    return secrets.token_urlsafe(24)


class FeedToken(models.Model):
    """The secret of a person's news feed address (Atom): whoever holds the address reads that
    person's news, so the person can replace it (the old address then answers 404)."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="news_feed"
    )
    token = models.CharField(_("clé"), max_length=64, unique=True, default=feed_token_new)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    class Meta:
        verbose_name = _("flux d'actualités")
        verbose_name_plural = _("flux d'actualités")

    def __str__(self):
        return str(self.agent)


# --- Pages -----------------------------------------------------------------------------------

PAGE_REVIEW_DAYS = 365  # a page is due for review a year after it was last reviewed


class Page(models.Model):
    """An editable page of the intranet (« Nos valeurs », « Charte du management », procedures…), in
    a tree. Every change of its title or text is a `PageRevision`; `reviewed_on` says when its owner
    last confirmed it is still true (a reminder comes a year later)."""

    parent = models.ForeignKey(
        "self", verbose_name=_("page parente"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    body = models.TextField(_("texte"), blank=True, help_text=_("HTML nettoyé à l'enregistrement."))
    position = models.PositiveIntegerField(_("position"), default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_pages",
        help_text=_("Relit la page chaque année ; il est prévenu quand la relecture est due."),
    )
    reviewed_on = models.DateField(_("page relue le"), default=timezone.localdate)
    review_reminded_on = models.DateField(_("relance envoyée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    search_text = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["position", "title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("content:page-detail", args=[self.slug])

    def review_due_on(self):
        return self.reviewed_on + timedelta(days=PAGE_REVIEW_DAYS)


class PageRevision(models.Model):
    """One state of a page: its title and text as someone saved them, and what they said they changed."""

    page = models.ForeignKey(Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"), blank=True)
    note = models.CharField(_("ce qui a changé"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(_("auteur (nom)"), max_length=255, blank=True)
    restored_from = models.PositiveIntegerField(_("rétablit la version"), null=True, blank=True)
    created_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("version de page")
        verbose_name_plural = _("versions de page")
        ordering = ["page", "-number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="page_revision_number_unique")]

    def __str__(self):
        return f"{self.page} v{self.number}"


# --- The resource library --------------------------------------------------------------------

# Under MEDIA_ROOT/private/: served by content.views.library after the folder's permission check.
DOCUMENT_FOLDER = "private/content/documents/%Y/"


class Folder(models.Model):
    """A folder of the library, with its own audience (the shared rule): « Espace managers —
    Ressourcez-vous » for the managers only. A sub-folder is read by those who read every folder
    above it and are in its own audience. Its moderator adds and updates its documents, as
    communication does everywhere."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("dossier parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    audience = models.JSONField(_("public"), default=dict, blank=True, help_text=_("Un AudienceSpec."))
    audience_everyone = models.BooleanField(default=True, editable=False)
    audience_partners = models.BooleanField(default=False, editable=False)
    audience_named = models.BooleanField(default=False, editable=False)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modérateur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_folders",
        help_text=_("Ajoute et met à jour les documents du dossier."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["position", "title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("content:folder-detail", args=[self.slug])


class Document(models.Model):
    """A document of the library: its versions (the latest is the current one), a description, an
    owner who keeps it true and the date it is to be reviewed; `search_text` holds its words and
    those of its current version's text."""

    folder = models.ForeignKey(Folder, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_documents",
    )
    review_on = models.DateField(
        _("à revoir le"),
        null=True,
        blank=True,
        help_text=_("La date à laquelle le responsable vérifie qu'il est à jour."),
    )
    current = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("version actuelle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    download_count = models.PositiveIntegerField(_("téléchargements"), default=0)
    created_at = models.DateTimeField(_("ajouté le"), default=timezone.now)
    updated_at = models.DateTimeField(_("mis à jour le"), default=timezone.now, db_index=True)
    search_text = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("content:document-detail", args=[self.pk])


class DocumentVersion(models.Model):
    class TextStatus(models.TextChoices):
        PENDING = "pending", _("à extraire")
        DONE = "done", _("extrait")
        NONE = "none", _("sans texte")
        FAILED = "failed", _("illisible")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("fichier"), upload_to=DOCUMENT_FOLDER)
    filename = models.CharField(_("nom du fichier"), max_length=255)
    kind = models.CharField(_("format"), max_length=10)  # an intranet.uploads.KINDS key, found in the bytes
    size = models.PositiveIntegerField(_("taille"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    note = models.CharField(_("ce qui a changé"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposé par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_by_label = models.CharField(_("déposé par (nom)"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    text = models.TextField(_("texte extrait"), blank=True)
    text_status = models.CharField(
        _("extraction du texte"), max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING
    )

    class Meta:
        verbose_name = _("version de document")
        verbose_name_plural = _("versions de document")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_number_unique")]
        indexes = [models.Index(fields=["text_status", "uploaded_at"], name="docversion_text_status_idx")]

    def __str__(self):
        return f"{self.document} v{self.number}"


# --- The managers' space: questions and answers between managers (seed 002) -------------------


class Moderated(models.Model):
    """What the library's moderator or communication hid, with their reason (kept, not deleted)."""

    hidden_at = models.DateTimeField(_("masqué le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("masqué par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    hidden_reason = models.CharField(_("motif"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Question(Moderated):
    title = models.CharField(_("votre question"), max_length=200)
    body = models.TextField(_("précisions"), blank=True)  # rich text, sanitised by the service
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(_("posée par (nom)"), max_length=255)
    created_at = models.DateTimeField(_("posée le"), default=timezone.now)
    answer_count = models.PositiveIntegerField(_("réponses"), default=0)  # visible ones, kept by the services
    last_answer_at = models.DateTimeField(_("dernière réponse le"), null=True, blank=True)
    useful_answer = models.ForeignKey(
        "Answer",
        verbose_name=_("réponse utile"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("question des managers")
        verbose_name_plural = _("questions des managers")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["hidden_at", "created_at"], name="question_list_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("content:question-detail", args=[self.pk])


class Answer(Moderated):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers")
    body = models.TextField(_("votre réponse"))  # rich text, sanitised by the service
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("répondu par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(_("répondu par (nom)"), max_length=255)
    created_at = models.DateTimeField(_("répondu le"), default=timezone.now)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["question", "created_at", "pk"]

    def __str__(self):
        return f"{self.question} — {self.author_label}"
