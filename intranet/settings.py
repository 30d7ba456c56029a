"""Settings of Maison commune, read from the environment only (see .env.example).

Longer than STYLE.md's 300 lines on purpose: STYLE.md asks for one settings module read from the
environment, and Django reads one: every setting and its comment in one place.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from identity.config import oidc_apps_from_env, oidc_origins

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
# The embedded default's files (SQLite database, task queue, cache, mails, media): var/ unless set.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="debug-only-insecure-key-do-not-use-in-production")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "intranet.errors.csrf_failure"  # our own page, in French, inside the layout
SITE_NAME = env.str("SITE_NAME", default="Maison commune")
# The site's address, for the absolute links of e-mails (personal survey links, reminders…).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
# Shown on the footer's pages: who to write to about accessibility, and the data
# protection officer (délégué à la protection des données).
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="contact@localhost")
DPO_EMAIL = env.str("DPO_EMAIL", default=CONTACT_EMAIL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "js_lib_htmx",
    "template_partials",
    "csp",
    "bootstrap",
    "django_prometheus",
    "django_prose_editor",
    "django_tomselect",
    "intranet",
    "actions",
    "actions.reviews",
    "surveys",
    "mailing",
    "events",
    "newsletters",
    "vacancies",
    "onboarding",
    "onboarding.shadowing",
    "identity",
    "content",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "intranet.logs.request_id_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "identity.middleware.MFARequiredMiddleware",
    "intranet.middleware.todo_count_refresh",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "intranet.urls"
WSGI_APPLICATION = "intranet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "intranet.context_processors.site",
            ],
        },
    }
]

# Database: PostgreSQL in production and CI, a SQLite file in var/ otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves pages while a worker sends mailings and renders PDFs, on one file.
    # WAL: readers never wait for the writer, nor the writer for readers. IMMEDIATE: a transaction
    # takes the write lock when it begins, so two transactions that read then write queue for it
    # instead of failing at once with « database is locked » (SQLite cannot wait out that deadlock).
    # The busy timeout is how long a writer queues.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=30),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when available; a file cache otherwise, shared by every process of
# `make run` (allauth's login rate limits need a real cache).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "intranet.cache.SharedClientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Recovery: how fast work left behind is taken up again (a worker killed or restarted by a
# deployment, a broker restart, an SMTP outage). The rows in the database are the work; Celery
# only executes. Every figure in one place; docs/exploitation.md explains them with measurements.
# - beat looks for stalled work every WORK_RECOVERY_TICK seconds (intranet.workqueue);
WORK_RECOVERY_TICK = env.int("WORK_RECOVERY_TICK", default=10)
# - work published that long ago that no live worker holds is published again;
WORK_STALLED_AFTER = env.int("WORK_STALLED_AFTER", default=15)
# - a task that loops (a mailing's batch, the outbox, invitations) stops after that long and
#   publishes its continuation, so no task comes near the time limits below;
WORK_BATCH_SECONDS = env.int("WORK_BATCH_SECONDS", default=60)
# - while the SMTP server cannot be reached, it is tried again every SMTP_RETRY_SECONDS
#   (a 4xx answer to one message: 1, 2, 4 … minutes; see intranet/smtp.py);
SMTP_RETRY_SECONDS = env.int("SMTP_RETRY_SECONDS", default=15)
# - the longest task (a PDF) is stopped after CELERY_TASK_TIME_LIMIT; Redis hands an unacknowledged
#   message to another worker after twice that (a message waits at most one task in a worker
#   before its own run), never while it may still run.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=5 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_VISIBILITY_TIMEOUT = 2 * CELERY_TASK_TIME_LIMIT

# Celery: Redis in production; kombu's filesystem broker under var/ otherwise.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),  # else ./control in the working directory
        "store_processed": False,
    }
    for _folder in ("queue", "processed", "control"):  # any process may publish first: a test run, the web, the worker
        (VAR_DIR / "broker" / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A publish while Redis is down gives up within a second: the rows wait for the recovery.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# A worker whose broker went away tries again for as long as it takes (every 2, 4, 6 … 30 s:
# Celery's steps), instead of exiting after 100 tries.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TIMEZONE = "Europe/Paris"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Beat runs the periodic tasks the apps register (intranet.registry.PeriodicTask); among them the
# core's recovery of stalled work, every WORK_RECOVERY_TICK seconds (intranet.workqueue).
CELERY_BEAT_SCHEDULER = "intranet.celery:RegistryScheduler"

# Mail: SMTP from EMAIL_URL; files in var/mail/ otherwise.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # seconds; a silent SMTP server must not hang a worker
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <intranet@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Never handed to a real SMTP server (the demo's agents): empty the list to allow them.
EMAIL_SUPPRESSED_DOMAINS = env.list("EMAIL_SUPPRESSED_DOMAINS", default=["demo.local"])
# Outbox senders working at once (each holds one SMTP connection).
OUTBOX_SENDERS = env.int("OUTBOX_SENDERS", default=2)
# Bulk mailings (mailing app): at most this many messages per second per mailing (0: no limit).
MAILING_RATE_LIMIT = env.float("MAILING_RATE_LIMIT", default=0)
# Sending tasks working on one mailing at once (the rate limit is shared between them); the
# workers' concurrency should allow as many.
MAILING_SENDERS = env.int("MAILING_SENDERS", default=4)

# Accounts
AUTH_USER_MODEL = "intranet.Agent"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "intranet:home"
ACCOUNT_ADAPTER = "identity.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"add_email": "intranet.forms.ManagedEmailForm", "login": "intranet.forms.LoginForm"}
ACCOUNT_RATE_LIMITS = {
    # Five failed logins per account in 15 minutes, then a cool-off: nobody is locked out for ever.
    # Per address the limit is twenty times higher: a whole site can sit behind one address (a
    # NAT), and one address trying many accounts is still stopped. The address is the client's
    # real one behind the proxies of TRUSTED_PROXIES (intranet.client_ip).
    "login_failed": "100/15m/ip,5/15m/key",
    "reset_password": "20/m/ip,5/15m/key",
}
# Identity providers (identity app; docs/identity_providers.md): OpenID Connect providers from
# OIDC_PROVIDERS and OIDC_<ID>_*; an agent is matched by the e-mail the provider vouches for.
SOCIALACCOUNT_ADAPTER = "identity.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "identity.oidc.provider.OIDCProvider",
        "APPS": oidc_apps_from_env(env),
        "OAUTH_PKCE_ENABLED": True,
    }
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_LOGIN_ON_GET = False  # a sign-in starts from our form (POST + CSRF), never from a link
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# Second factor (allauth.mfa): TOTP, WebAuthn/passkeys, recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = SITE_NAME
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# The roles that must enrol a second factor (Django admin accounts too), and the days they have
# from their first sign-in without one.
MFA_REQUIRED_ROLES = env.list("MFA_REQUIRED_ROLES", default=["rh", "communication", "admin"])
MFA_GRACE_DAYS = env.int("MFA_GRACE_DAYS", default=14)
# Active Directory / LDAP (identity/ldap.py; docs/identity_providers.md): sign-in with the Windows
# password and the directory sync, when LDAP_SERVER_URI is set.
LDAP_SERVER_URI = env.str("LDAP_SERVER_URI", default="")
LDAP_BIND_DN = env.str("LDAP_BIND_DN", default="")
LDAP_BIND_PASSWORD = env.str("LDAP_BIND_PASSWORD", default="")
LDAP_USER_BASE = env.str("LDAP_USER_BASE", default="")
LDAP_USER_FILTER = env.str("LDAP_USER_FILTER", default="(&(objectClass=inetOrgPerson)(mail=*))")
LDAP_ATTRIBUTES = env.dict(
    "LDAP_ATTRIBUTES",
    default={
        "email": "mail",
        "first_name": "givenName",
        "last_name": "sn",
        "matricule": "employeeNumber",
        "job_title": "title",
        "phone": "telephoneNumber",
    },
)
LDAP_UNIT_ATTRIBUTE = env.str("LDAP_UNIT_ATTRIBUTE", default="")  # empty: the entry's first OU
LDAP_HR_FIELDS = env.list("LDAP_HR_FIELDS", default=[])  # fields HR owns: the sync never writes them
LDAP_TIMEOUT = env.int("LDAP_TIMEOUT", default=10)
# Use ldaps://, or StartTLS on ldap://: passwords cross this link. The certificate is checked
# against the system's authorities, or LDAP_CA_CERT_FILE (the administration's own CA).
LDAP_START_TLS = env.bool("LDAP_START_TLS", default=False)
LDAP_CA_CERT_FILE = env.str("LDAP_CA_CERT_FILE", default="")
if LDAP_SERVER_URI:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "identity.ldap.LDAPBackend"]

# Open sessions (allauth.usersessions): each person sees and ends theirs. Recorded at sign-in;
# not touched on every request (its middleware would write to the database on each page).
USERSESSIONS_TRACK_ACTIVITY = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=10 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions read from the cache, written to the database too (nothing lost when Redis is emptied):
# a page saves its session query. Ending a session (allauth.usersessions) deletes both.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Each person's roles (their menu, their permissions) are kept this long in the cache; every
# change made through the site starts a new version at once (intranet/roles.py).
ROLES_CACHE_SECONDS = env.int("ROLES_CACHE_SECONDS", default=10 * 60)
# Page fragments kept for everyone who sees them the same way (intranet.kept), renewed on change.
KEPT_FRAGMENT_SECONDS = env.int("KEPT_FRAGMENT_SECONDS", default=60)

# Internationalisation: French first, English available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Backups (manage.py backup / restore): the archive is encrypted with this key (a Fernet key:
# manage.py backup --generate-key) when it is set. Keep the key apart from the backups.
BACKUP_ENCRYPTION_KEY = env.str("BACKUP_ENCRYPTION_KEY", default="")

# RGPD: days after an agent's departure before HR (or `anonymise_departed_agents`) may
# anonymise them.
AGENT_RETENTION_DAYS = env.int("AGENT_RETENTION_DAYS", default=365)

# Widgets' templates may live in templates/ (the pickers' widget does).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers. Production values are the defaults; `make run` sets DJANGO_DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = False
# The proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed: the
# client's real address for login limits and the audit log (intranet.client_ip). Empty: none.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is the administration's choice.

# Content-Security-Policy: nothing from outside the site, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Signing in and out with an identity provider posts a form here that redirects there.
        "form-action": [SELF, *oidc_origins(SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"])],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Logs: one line per event on the standard output, JSON in production (LOG_FORMAT=json, the
# default outside debug) with the request's id (or the Celery task's), text in development.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "intranet.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},  # its progress lines are INFO
        "fontTools": {"level": "WARNING"},
    },
}
# The workers log through the same configuration (JSON, the task's id), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Prometheus (django-prometheus): /metrics, for these addresses only (the monitoring server's).
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])

# Error reporting: Sentry (or a compatible service: GlitchTip, Bugsink), off unless SENTRY_DSN is
# set. No personal data is sent (no user, no cookie, no request body).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# « À faire »: the weekly e-mail goes on this weekday (0 = Monday), from this hour (local time).
TODO_DIGEST_WEEKDAY = env.int("TODO_DIGEST_WEEKDAY", default=0)
TODO_DIGEST_HOUR = env.int("TODO_DIGEST_HOUR", default=7)
