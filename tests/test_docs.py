"""The README's promises: the two commands on its first screen, and every variable documented twice."""

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
README = (BASE_DIR / "README.md").read_text()
ENV_EXAMPLE = (BASE_DIR / ".env.example").read_text()
VARIABLES = [
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "SITE_URL",
    "CSRF_TRUSTED_ORIGINS",
    "PORT",
    "MEDIA_ROOT",
    "PRIVATE_MEDIA_ROOT",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_QUERYSTRING_EXPIRE",
    "LOG_LEVEL",
    "ACCOUNT_EMAIL_VERIFICATION",
    "MFA_REQUIRED_FOR_PRIVILEGED",
    "PUBLIC_PDF_RATE_LIMIT",
    "TRUSTED_PROXY_COUNT",
    "CONN_MAX_AGE",
    "PAGE_CACHE_SECONDS",
    "CONN_HEALTH_CHECKS",
    "REPLY_DOMAIN",
    "REPLY_SMTP_HOST",
    "REPLY_SMTP_PORT",
    "ANYMAIL_WEBHOOK_SECRET",
]


def test_readme_first_screen_shows_make_run_and_make_test():
    first_screen = "\n".join(README.splitlines()[:15])
    assert "make run" in first_screen
    assert "make test" in first_screen


def test_every_variable_is_in_the_readme_table_and_in_env_example():
    table = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", README, re.MULTILINE))
    assert table == set(VARIABLES)
    for name in VARIABLES:
        assert re.search(rf"^# ?{name}=", ENV_EXAMPLE, re.MULTILINE), name


def test_every_documented_variable_is_read_by_the_project():
    sources = "".join(p.read_text() for p in (BASE_DIR / "config" / "settings").glob("*.py"))
    sources += (BASE_DIR / "Procfile").read_text() + (BASE_DIR / "Makefile").read_text()
    for name in VARIABLES:
        assert f'"{name}"' in sources or f"${{{name}" in sources or f"{name} ?=" in sources, name


def test_demo_accounts_of_the_readme_are_the_demo_module_accounts():
    from membres.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    assert f"`{DEMO_PASSWORD}`" in README
    for email, _description in DEMO_ACCOUNTS:
        assert f"`{email}`" in README
