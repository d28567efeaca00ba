"""Tests: the real PostgreSQL and Redis (`make test` starts them when they are installed but stopped).

TEST_DATABASE_URL and TEST_REDIS_URL let several checkouts run their suites side by side.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import TEMPLATES, env

DEBUG = False
SECRET_KEY = "test-only-not-secret-7d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f3e"
DATABASES = {"default": env.db("TEST_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/perseverance")}
REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/1")
CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = REDIS_URL
# The shared cache is Redis here too: pages are kept as in production (core.pagecache).
PAGE_CACHE_SECONDS = 300
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60, "socket_connect_timeout": 3}
# Tasks run in the calling process unless a test starts a real worker (fixture `celery_worker_process`).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Replies by e-mail on, their inbound webhooks served (tests/discussions).
REPLY_DOMAIN = "reponses.exemple.org"
ANYMAIL = {"WEBHOOK_SECRET": "fournisseur:secret-de-test", "MAILGUN_WEBHOOK_SIGNING_KEY": "cle-mailgun"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_RATE_LIMITS = False
# The cast's superuser and CRPV editor have no TOTP; the test of the rule turns it on.
MFA_REQUIRED_FOR_PRIVILEGED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "core.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))  # noqa: F405
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-private-media"))  # noqa: F405
# Undefined variables in templates are bugs: make them loud (les-emplois does the same).
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "!!INVALID: %s!!"

# A test that starts a real worker points it at its SMTP sink (see tests/conftest.py).
if env("TEST_EMAIL_URL", default=""):
    vars().update(env.email_url("TEST_EMAIL_URL"))
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
