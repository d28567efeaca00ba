"""Security baseline: Django's deployment checks, cookies and HSTS in production, CSP with nonces on every page."""

import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def production_env(**extra: str) -> dict[str, str]:
    db = django_settings.DATABASES["default"]
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in (
            "DATABASE_URL",
            "REDIS_URL",
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "SITE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="perseverance.example.org",
        SITE_URL="https://perseverance.example.org",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        REDIS_URL=django_settings.REDIS_URL,
        EMAIL_URL="smtp://mail.example.org:587?tls=True",
    )
    env.update(extra)
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_settings_and_a_real_secret():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(),
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_short_secret_key():
    result = run_python("import django; django.setup()", production_env(SECRET_KEY="trop-court"))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_cookies_are_secure_http_only_and_same_site_with_hsts():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', "
        "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', 'CSRF_COOKIE_SAMESITE', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'ACCOUNT_EMAIL_VERIFICATION', "
        "'X_FRAME_OPTIONS', 'SECURE_CONTENT_TYPE_NOSNIFF', 'ACCOUNT_RATE_LIMITS']}))"
    )
    result = run_python(code, production_env())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["ACCOUNT_EMAIL_VERIFICATION"] == "mandatory"
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["ACCOUNT_RATE_LIMITS"]["login_failed"]


# --- Content Security Policy ---------------------------------------------------------------------------------


class PageScan(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.styles: list[dict] = []
        self.event_handlers: list[str] = []
        self.style_attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.styles.append(attributes)
        for name, _value in attrs:
            if name.startswith("on"):
                self.event_handlers.append(f"<{tag} {name}>")
            if name == "style":
                self.style_attributes.append(f"<{tag} style>")


def assert_page_is_csp_clean(response) -> None:
    header = response.get("Content-Security-Policy")
    assert header, f"pas d'en-tête CSP sur {response.request['PATH_INFO']}"
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
    assert "frame-ancestors 'none'" in header
    nonces = re.findall(r"'nonce-([^']+)'", header)
    assert len(set(nonces)) == 1, header
    scan = PageScan()
    scan.feed(response.content.decode())
    assert scan.scripts, "la page charge au moins htmx et app.js"
    for script in scan.scripts:
        assert script.get("nonce") == nonces[0], f"script sans le nonce de la réponse : {script}"
    for style in scan.styles:
        assert style.get("nonce") == nonces[0], f"<style> sans nonce : {style}"
    assert not scan.event_handlers, scan.event_handlers
    assert not scan.style_attributes, scan.style_attributes


@pytest.mark.urls("tests.core.urls_forbidden")
@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("anonymous", "/", 200),
        ("member", "/", 200),
        ("anonymous", "/compte/login/", 200),
        ("anonymous", "/compte/signup/", 200),
        ("anonymous", "/compte/password/reset/", 200),
        ("member", "/c/villefontaine/", 200),
        ("member", "/compte/email/", 200),
        ("member", "/compte/2fa/", 200),
        ("member", "/compte/password/change/", 200),
        ("member", "/compte/reauthenticate/", 200),
        ("anonymous", "/page-qui-n-existe-pas/", 404),
        ("member", "/__interdit__/", 403),
    ],
)
def test_main_pages_carry_a_csp_with_nonce_and_no_inline_code(client, member, collectif, who, path, status):
    if who == "member":
        client.force_login(member)
    response = client.get(path)
    assert response.status_code == status
    assert_page_is_csp_clean(response)
    if status == 403:
        assert "réservée à la coordination" in response.content.decode()


def test_each_response_gets_its_own_nonce(client, db):
    first = client.get("/compte/login/")["Content-Security-Policy"]
    second = client.get("/compte/login/")["Content-Security-Policy"]
    assert re.search(r"'nonce-([^']+)'", first).group(1) != re.search(r"'nonce-([^']+)'", second).group(1)


TEMPLATE_DIRS = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
INLINE_CODE = re.compile(r"""<[a-z][^>]*\s(on[a-z]+|style)\s*=""", re.IGNORECASE)


def test_no_template_of_the_project_has_inline_event_handlers_or_style_attributes():
    """CSP allows neither: behaviour goes in static/js, presentation in static/css."""
    offenders = []
    for directory in TEMPLATE_DIRS:
        for template in directory.rglob("*.html"):
            if template.is_relative_to(BASE_DIR / "templates" / "pdf"):
                continue  # WeasyPrint renders PDFs offline, no browser and no CSP
            for match in INLINE_CODE.finditer(template.read_text()):
                offenders.append(f"{template.relative_to(BASE_DIR)}: {match.group(0)[:60]}")
    assert not offenders, "\n".join(offenders)
