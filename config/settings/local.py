"""Development: `make run`. Debug on, embedded defaults, e-mail verification optional for demo accounts."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-0f3b8c7e2a1d4e5f9a8b7c6d5e4f3a2b1c0d9e8f7a6b")
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
# The demo's superuser and editors sign in without a second factor on a development machine.
MFA_REQUIRED_FOR_PRIVILEGED = env.bool("MFA_REQUIRED_FOR_PRIVILEGED", default=False)
# Replies by e-mail under `make run`: notifications printed on the console carry a Reply-To on this domain, and the
# Procfile's `replies` process receives answers sent to 127.0.0.1:8025 (e.g. `swaks --server 127.0.0.1:8025`).
REPLY_DOMAIN = env("REPLY_DOMAIN", default="reponses.perseverance.localhost").strip().lower()
