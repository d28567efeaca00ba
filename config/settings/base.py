"""Settings shared by every environment.

Everything that differs between a laptop, CI and production is read from the environment (see
`.env.example` and the README table); the other modules only set defaults for their context.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))
# Everything the embedded default writes (SQLite, Celery's filesystem broker, collected static files, uploads).
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_htmx",
    "template_partials",
    "csp",
    # Inbound mail from providers (replies to discussions, discussions/inbound.py).
    "anymail",
    # The project's own apps, one per part of the domain.
    "core",
    "membres",
    "collectifs",
    "reunions",
    "actions",
    "fiches_experience",
    "restitutions",
    "documents",
    "discussions",
    "bilans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user read from the shared cache while the session matches it (one query less a page).
    "membres.middleware.CachedAuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.PrivilegedMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.site",
                "collectifs.context_processors.navigation",
                "core.context_processors.page_cache",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# Without DATABASE_URL the platform runs on an embedded SQLite file, so that `make run` needs no server.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Connections stay open between requests (seconds; 0 closes each at the end of its request), checked before reuse
# so that a database restart costs no failed request.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Links typed without a scheme are https (the Django 6 default), e.g. a video link « visio.example.org/abc ».
FORMS_URLFIELD_ASSUME_HTTPS = True

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are read from Redis and written through to the database: no session query on a page. Only with Redis,
# shared by every worker (a per-process cache would keep a session alive in one worker after logout in another).
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Pages kept rendered per person while nothing written can have changed them (core.pagecache), at most this many
# seconds (what depends only on the clock is at most that late). Only with Redis: the writes of every process must
# move the same content generation.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300 if REDIS_URL else 0)

AUTH_USER_MODEL = "membres.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login, no username; sign-up only through an invitation (membres.adapters).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_ADAPTER = "membres.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Behind a reverse proxy every request comes from the proxy's address: the client's address is the one the N-th
# trusted proxy from the end wrote into X-Forwarded-For. 0 (no proxy) uses the address of the connection. Without
# it, the per-address login limits above would be shared by every visitor of the site.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Persévérance] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Anonymous requests of a public PDF per client IP: (how many, per how many seconds); beyond, a 429.
PUBLIC_PDF_RATE_LIMIT = (env.int("PUBLIC_PDF_RATE_LIMIT", default=20), 60)
# Anonymous POSTs of the public registration pages, per client IP: (requests, seconds).
PUBLIC_REGISTRATION_RATE_LIMIT = (20, 600)
# Superusers and CRPV editors must set up TOTP before using the site (core.middleware.PrivilegedMFAMiddleware).
MFA_REQUIRED_FOR_PRIVILEGED = env.bool("MFA_REQUIRED_FOR_PRIVILEGED", default=True)
MFA_EXEMPT_PATHS = ("/healthz", "/mentions-legales/", "/confidentialite/", "/accessibilite/")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Persévérance scolaire"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Meeting documents, journal attachments and cycle PDFs: outside MEDIA_ROOT, served only by views (core.storage).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(Path(MEDIA_ROOT).parent / "private-media"))
# With several web replicas, uploads go to an S3-compatible bucket instead of local disk: `media/` for public
# files, `private/` for the others, which are only reached through short-lived signed URLs after the access check.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _s3 = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        "access_key": env("AWS_ACCESS_KEY_ID", default=None),
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=60),
        "signature_version": "s3v4",
    }
    _uploads = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3, "location": "media"}},
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3, "location": "private"}},
    }
else:
    _uploads = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "core.storage.PrivateFileSystemStorage"},
    }
STORAGES = {
    **_uploads,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Fiche import files (.txt, .docx, .odt): a CRPV's annex of fiches is well under 1 MB; larger is refused.
FICHES_IMPORT_MAX_BYTES = env.int("FICHES_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)

# Mail: EMAIL_URL (smtp://user:pass@host:587, with ?tls=True) or the console in development.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Persévérance scolaire <ne-pas-repondre@perseverance.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20

# Replies by e-mail to a discussion's notifications (discussions/replies.py, discussions/inbound.py). Each
# notification carries a Reply-To signed for its recipient and its thread, `reponse+<token>@REPLY_DOMAIN`; empty: no
# Reply-To, the feature is off. The domain's MX points at the SMTP receiver (`manage.py receive_replies`, listening on
# REPLY_SMTP_HOST:REPLY_SMTP_PORT) or at a mail provider whose inbound webhook posts to /anymail/<provider>/inbound/.
REPLY_DOMAIN = env("REPLY_DOMAIN", default="").strip().lower()
REPLY_SMTP_HOST = env("REPLY_SMTP_HOST", default="127.0.0.1")
REPLY_SMTP_PORT = env.int("REPLY_SMTP_PORT", default=8025)
# A reply bigger than this is refused (SMTP 552 at DATA, or refused and answered when it came through a webhook).
REPLY_MAX_BYTES = env.int("REPLY_MAX_BYTES", default=10 * 1024 * 1024)
# A reply address is valid this many days after the notification that carried it.
REPLY_ADDRESS_MAX_AGE_DAYS = env.int("REPLY_ADDRESS_MAX_AGE_DAYS", default=180)
# django-anymail's inbound webhooks: the provider calls them with this « user:password » in HTTP basic auth. Empty:
# the webhook URLs are not served at all (anymail would otherwise accept posts from anyone).
ANYMAIL = {
    "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default=""),
    # Mailgun signs its posts too: its inbound webhook is served only with its signing key.
    "MAILGUN_WEBHOOK_SIGNING_KEY": env("ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY", default=""),
}

# Celery. Without REDIS_URL the broker is kombu's filesystem transport under var/, which needs no server.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # socket_connect_timeout: a request that hands mails to an unreachable broker gives up after 3 s (the mails
    # wait in the outbox, see core/outbox.py) instead of hanging.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 3}
else:
    CELERY_BROKER_URL = "filesystem://localhost/"
    _queue = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "queue"),
        "data_folder_out": str(_queue / "queue"),
        "processed_folder": str(_queue / "processed"),
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged after it ran, so a worker killed mid-task leaves it to another worker; the
# services it calls are idempotent (see STYLE.md, background work).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Publishing a task retries briefly (under a second): the outbox's hand-off must not keep a request waiting when
# the broker is down; the beat's sweep hands the mails over again.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# The outbox (core/outbox.py): a mail claimed (« sending ») by a worker that died is taken again after the lease;
# a mail still queued after the grace was not handed to the broker and the sweep hands it over.
CORE_OUTBOX_LEASE_SECONDS = env.int("CORE_OUTBOX_LEASE_SECONDS", default=600)
CORE_OUTBOX_HANDOFF_GRACE_SECONDS = env.int("CORE_OUTBOX_HANDOFF_GRACE_SECONDS", default=60)
# Sent (and replaced) mails are deleted after this many days by the nightly `core.tasks.outbox_purge`.
CORE_OUTBOX_KEEP_DAYS = env.int("CORE_OUTBOX_KEEP_DAYS", default=30)
# Periodic work. Each task checks itself what is due, so a missed or doubled beat changes nothing.
# reunions: a reminder claimed (« sending ») by a worker that died is taken again after this lease.
REUNIONS_REMINDER_LEASE_SECONDS = env.int("REUNIONS_REMINDER_LEASE_SECONDS", default=600)

CELERY_BEAT_SCHEDULE = {
    "core-outbox-sweep": {"task": "core.tasks.outbox_sweep", "schedule": 60.0},
    # Sent mails older than CORE_OUTBOX_KEEP_DAYS are deleted (failed ones stay until handled).
    "core-outbox-purge": {"task": "core.tasks.outbox_purge", "schedule": crontab(minute=30, hour=3)},
    "reunions-send-due-reminders": {"task": "reunions.tasks.send_due_reminders", "schedule": 300.0},
    # Registrants (no account): J-1 reminders and erasure past the retention period stated on the form.
    "reunions-registrations-beat": {"task": "reunions.tasks.registrations_beat", "schedule": 3600.0},
    # The questionnaire after a meeting, to those present, from 9:00 the day after.
    "reunions-questionnaires-beat": {"task": "reunions.tasks.questionnaires_beat", "schedule": 3600.0},
    "actions-send-followup-nudges": {
        "task": "actions.tasks.send_followup_nudges",
        "schedule": crontab(minute=0, hour=8, day_of_month=1),
    },
    "fiches-send-review-reminders": {
        "task": "fiches_experience.tasks.send_review_reminders",
        "schedule": crontab(minute=0, hour=7),
    },
    # One e-mail per person with the messages of the discussions they follow (those who chose the daily digest).
    "discussions-send-daily-digests": {
        "task": "discussions.tasks.send_daily_digests",
        "schedule": crontab(minute=0, hour=7),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_AGE = int(timedelta(days=14).total_seconds())

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No secret in any log line: tokens in paths and passwords in URLs are masked (core.logmask).
    "filters": {"secrets": {"()": "core.logmask.SecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["secrets"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver's access log through the masking console handler (Django's own handler has no filter).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
