"""Shared fixtures: the real servers, a fixed cast of users, a real browser and a real Celery worker.

The cast (healthchecks' alice/bob/charlie): in `collectif` a coordinator, a member and a guest; in
`other_collectif` its own member; a CRPV editor who belongs to no collectif; a superuser; anonymous visitors.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.test import Client

from tests.helpers import client_for, make_collectif, make_institution, make_person
from tests.membres.factories import PASSWORD, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls made there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def pytest_configure(config):
    """Fail at once, naming the server, when PostgreSQL or Redis is not there (`make test` starts them)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql") and not _reachable(
        db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)
    ):
        pytest.exit(f"PostgreSQL ne répond pas sur {db.get('HOST')}:{db.get('PORT')} (voir `make services`).", 3)
    redis = urlparse(settings.REDIS_URL)
    if not _reachable(redis.hostname or "127.0.0.1", redis.port or 6379):
        pytest.exit(f"Redis ne répond pas sur {redis.hostname}:{redis.port} (voir `make services`).", 3)


# A test that uses one of these fixtures drives Chromium / starts a real Celery worker, and must say so with the
# marker, so that `make test-fast` (-m "not browser and not worker") leaves it out.
BROWSER_FIXTURES = {"page", "context", "browser", "new_context", "browser_login", "axe_check"}
WORKER_FIXTURES = {"celery_worker_process"}


def pytest_collection_modifyitems(config, items):
    """Refuse to run a test that uses the browser or worker fixtures without the `browser`/`worker` marker.

    Failing rather than adding the marker silently: the marker stays written in the module (`pytestmark`), where
    a reader sees that the test is slow and what it needs, and forgetting it cannot go unnoticed.
    """
    missing = []
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        for marker, fixtures in (("browser", BROWSER_FIXTURES), ("worker", WORKER_FIXTURES)):
            if used & fixtures and item.get_closest_marker(marker) is None:
                missing.append(f"  {item.nodeid} (utilise {', '.join(sorted(used & fixtures))}) : marqueur {marker}")
    if missing:
        raise pytest.UsageError(
            "Tests sans leur marqueur ; ajoutez `pytestmark = pytest.mark.browser` (ou `.worker`) au module :\n"
            + "\n".join(missing)
        )


@pytest.fixture(autouse=True)
def _clear_cache():
    """The cache is the real Redis: start every test from an empty one (rate limits, cached PDFs)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private-media")


@pytest.fixture(autouse=True)
def _no_invalid_template_variables(monkeypatch):
    """A template that outputs an undefined variable is a bug: fail the test that rendered it."""
    original = Client.request

    def request(self, **kwargs):
        response = original(self, **kwargs)
        content_type = response.get("Content-Type", "")
        if "html" in content_type and not getattr(response, "streaming", False):
            assert b"!!INVALID" not in response.content, response.content.decode()[:3000]
        return response

    monkeypatch.setattr(Client, "request", request)


# --- The cast -----------------------------------------------------------------------------------------------


@pytest.fixture
def collectif(db):
    return make_collectif()


@pytest.fixture
def other_collectif(db):
    return make_collectif(other=True)


@pytest.fixture
def institution(collectif):
    return make_institution(collectif)


@pytest.fixture
def coordinator(collectif, institution):
    return make_person("coordinator", collectif, institution)


@pytest.fixture
def member(collectif, institution):
    return make_person("member", collectif, institution)


@pytest.fixture
def guest(collectif, institution):
    return make_person("guest", collectif, institution)


@pytest.fixture
def other_member(other_collectif):
    return make_person("other", other_collectif)


@pytest.fixture
def crpv_editor(db):
    return make_person("crpv")


@pytest.fixture
def second_crpv_editor(db):
    return UserFactory(email="crpv2@exemple.org", first_name="Paul", last_name="Garnier", crpv_editor=True)


@pytest.fixture
def superuser(db):
    return make_person("superuser")


# The fixture that plays each role of tests/access.py's ROLES.
_ROLE_FIXTURES = {
    "coordinator": "coordinator",
    "member": "member",
    "guest": "guest",
    "other": "other_member",
    "crpv": "crpv_editor",
    "superuser": "superuser",
}


@pytest.fixture
def client_as(request, db):
    """A client logged in as the cast member playing a role: `client_as("guest")`, `client_as("anonymous")`."""

    def make(role: str) -> Client:
        return client_for(None if role == "anonymous" else request.getfixturevalue(_ROLE_FIXTURES[role]))

    return make


@pytest.fixture
def coordinator_client(coordinator):
    return client_for(coordinator)


@pytest.fixture
def member_client(member):
    return client_for(member)


@pytest.fixture
def guest_client(guest):
    return client_for(guest)


@pytest.fixture
def other_client(other_member):
    return client_for(other_member)


@pytest.fixture
def crpv_client(crpv_editor):
    return client_for(crpv_editor)


# --- A real browser -----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright must never download a browser of its own."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture
def axe_check():
    """Run axe-core on the page and fail on serious or critical violations (RGAA / WCAG 2.1 AA)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> None:
        results = axe.run(
            page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
        )
        violations = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        details = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations
        )
        assert not violations, f"axe-core sur {page.url} :\n{details}"

    return check


@pytest.fixture
def browser_login(live_server):
    """Log a user in through the real login form."""

    def login(page, email: str, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/compte/login/")
        page.locator("#id_login").fill(email)
        page.locator("#id_password").fill(password)
        page.locator("form:has(#id_login) [type=submit]").click()
        page.wait_for_load_state()

    return login


# --- A real Celery worker and a real SMTP server --------------------------------------------------------------


class SMTPSink:
    """An aiosmtpd server on a free local port that keeps every message it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                from email import message_from_bytes, policy

                sink.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
                return "250 Message accepted for delivery"

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def smtp_sink(settings):
    sink = SMTPSink()
    sink.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    sink.controller.stop()


class WorkerProcess:
    """A `celery worker` subprocess on the test database and the test Redis; it can be killed and restarted."""

    def __init__(self, env: dict[str, str], log_dir: Path):
        self.env = env
        self.log_dir = log_dir
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 30) -> None:
        from config.celery_app import app

        self.starts += 1
        name = f"test-{uuid.uuid4().hex[:8]}@%h"
        log = open(self.log_dir / f"worker-{self.starts}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-n", name, "-l", "INFO"],
            env=self.env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Le worker Celery s'est arrêté : {self.log()}")
            if app.control.ping(timeout=0.5, destination=[name.replace("%h", socket.gethostname())]):
                return
        raise RuntimeError(f"Le worker Celery n'a pas démarré : {self.log()}")

    def log(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.log_dir.glob("worker-*.log")))

    def kill(self) -> None:
        """SIGKILL: the worker gets no chance to finish or acknowledge what it is doing."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def celery_worker_process(transactional_db, settings, tmp_path):
    """Start a real worker; tasks enqueued by the test go through Redis to it (not run eagerly)."""
    from config.celery_app import app

    db = settings.DATABASES["default"]
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_DATABASE_URL": database_url,
        "TEST_REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        env["TEST_EMAIL_URL"] = f"smtp://{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    # Start from an empty Redis index: purge() drops waiting messages but not those a killed worker left unacked,
    # which Redis hands out again after the visibility timeout, in the middle of the next test.
    import redis

    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    worker = WorkerProcess(env, tmp_path)
    worker.start()
    yield worker
    worker.stop()
    app.conf.task_always_eager = previous
    app.control.purge()


@pytest.fixture
def transactional_db(transactional_db):
    """A transactional test (live server, real worker) starts from a flushed database, which has lost the
    reference vocabularies that migrations seed (themes, dispositifs): seed them again, with the migration's own
    idempotent function, so that pages look as they do in production."""
    import importlib

    from django.apps import apps

    importlib.import_module("collectifs.migrations.0002_reference_vocabularies").create(apps, None)
    return transactional_db
