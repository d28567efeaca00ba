"""Production smoke test: the app served the way production serves it, walked over real HTTP.

gunicorn on a free loopback port, `config.settings.production`, static files collected with hashed names into a
temporary STATIC_ROOT and served by WhiteNoise, the demo data in the test database, every request arriving as
the TLS-terminating proxy forwards it (`X-Forwarded-Proto: https`, the client's address in `X-Forwarded-For`).
The journey fails on any 500, any missing static file and any PDF resource refused.
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.core.test_security import BASE_DIR, production_env
from tests.helpers import free_port
from tests.restitutions.pdftools import pdf_fonts

pytestmark = pytest.mark.smoke

HOST = "perseverance.example.org"
COORDINATOR = "coordination@exemple.org"
STATIC_REF = re.compile(r'(?:href|src)="(/static/[^"]+)"')
# What the server logs when something went wrong that the responses alone may not show.
LOG_ALARMS = ("Traceback", "Internal Server Error", "Ressource refusée", "PDF resource refused", "Failed to load")


class Visitor:
    """One person's HTTP client, behind the proxy: cookies kept, the client's address forwarded."""

    def __init__(self, port: int, address: str, proto: str = "https"):
        self.port = port
        self.address = address
        self.proto = proto
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": self.proto,
            "X-Forwarded-For": self.address,
            "User-Agent": "smoke-test",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"https://{HOST}",
                    "Referer": f"https://{HOST}{path}",
                }
            )
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, {k.lower(): v for k, v in response.getheaders()}, content
        finally:
            connection.close()

    def get(self, path: str, expect: int = 200) -> bytes:
        status, _headers, content = self.request("GET", path)
        assert status == expect, (path, status, content[:500])
        return content

    def page(self, path: str, seen_static: set[str]) -> str:
        """An HTML page, and every static file it links to (fetched once per run)."""
        html = self.get(path).decode()
        for ref in set(STATIC_REF.findall(html)) - seen_static:
            assert re.search(r"\.[0-9a-f]{12}\.", ref), f"nom non haché (manifeste absent ?) : {ref}"
            self.get(ref)
            seen_static.add(ref)
        return html

    def login(self, email: str, password: str) -> tuple[int, bytes]:
        self.get("/compte/login/")
        status, _headers, content = self.request("POST", "/compte/login/", {"login": email, "password": password})
        return status, content


@pytest.fixture
def production_server(transactional_db, tmp_path):
    """gunicorn serving the demo data with the production settings; yields (port, server log path)."""
    env = production_env(
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        TRUSTED_PROXY_COUNT="1",
        CONN_MAX_AGE="60",  # as docker-compose.yml sets it
        LOG_LEVEL="INFO",
    )
    # The demo through the production settings too: its passwords hashed as production checks them.
    for command in (["load_demo"], ["collectstatic", "--noinput"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    log = open(log_path, "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
        ],
        env=env,
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"gunicorn s'est arrêté : {log_path.read_text()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"gunicorn ne répond pas : {log_path.read_text()}"
                time.sleep(0.2)
        yield port, log_path
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
        log.close()


def _server_backends() -> set[int]:
    """PostgreSQL backends open on the test database, other than this test's own connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {row[0] for row in cursor.fetchall()}


def test_production_journey_over_http(production_server):
    from membres.demo import DEMO_PASSWORD
    from restitutions.models import Restitution
    from reunions.models import Reunion

    port, log_path = production_server
    seen_static: set[str] = set()

    # The load balancer's probe: plain HTTP is fine there; anything else goes to HTTPS.
    status, _headers, body = Visitor(port, "10.0.0.1", proto="http").request("GET", "/healthz")
    assert (status, body) == (200, b'{"database": "ok", "broker": "ok"}')
    status, headers, _body = Visitor(port, "198.51.100.23", proto="http").request("GET", "/compte/login/")
    assert status == 301 and headers["location"] == f"https://{HOST}/compte/login/"
    _status, headers, _body = Visitor(port, "198.51.100.23").request("GET", "/compte/login/")
    assert "max-age=" in headers["strict-transport-security"]

    # Someone tries 20 wrong logins; they are limited, and a member logging in at the same time is not.
    attacker = Visitor(port, "203.0.113.7")
    refused = 0
    for attempt in range(20):
        status, content = attacker.login(f"inconnu{attempt}@exemple.org", "mauvais-mot-de-passe")
        assert status == 200
        refused += "Trop de tentatives de connexion échouées" in content.decode()
    assert refused == 10

    member = Visitor(port, "198.51.100.23")
    member.page("/compte/login/", seen_static)
    status, content = member.login(COORDINATOR, DEMO_PASSWORD)
    assert status == 302, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content.decode()))[:3000]

    collectif_home = reverse("collectifs:detail", kwargs={"collectif_slug": "villefontaine"})
    member.page(collectif_home, seen_static)

    reunion = Reunion.objects.filter(collectif__slug="villefontaine").order_by("pk").first()
    member.page(reunion.get_absolute_url(), seen_static)

    calendar_url = reverse("reunions:calendar", kwargs={"collectif_slug": "villefontaine"})
    member.page(calendar_url, seen_static)
    # The feed address is shown once, when it is made (the token is stored hashed).
    status, _headers, made = member.request(
        "POST", reverse("reunions:calendar_revoke", kwargs={"collectif_slug": "villefontaine"}), {}
    )
    assert status == 200, made[:500]
    calendar = made.decode()
    feed_url = re.search(rf"https://{re.escape(HOST)}(/calendrier/[^\"<\s]+\.ics)", calendar).group(1)
    status, headers, feed = Visitor(port, "198.51.100.99").request("GET", feed_url)  # a calendar app, no cookie
    assert status == 200 and headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in feed and b"BEGIN:VEVENT" in feed

    restitution = Restitution.objects.filter(collectif__slug="villefontaine").order_by("pk").first()
    pdf = member.get(reverse("restitutions:pdf", kwargs={"collectif_slug": "villefontaine", "pk": restitution.pk}))
    assert pdf.startswith(b"%PDF")
    fonts = pdf_fonts(pdf)
    assert "PDF-Sans" in fonts, fonts  # the stylesheet and its fonts were loaded

    # Connections that last: the web workers keep their database connections (CONN_MAX_AGE) across requests.
    probe = Visitor(port, "10.0.0.1", proto="http")
    # Two workers of two threads (gunicorn.conf.py: gthread): whichever thread answers, its connection stays open,
    # so twenty requests see at most four backends (closing after each request would show a new one almost every
    # time).
    seen = []
    for _ in range(20):
        assert probe.request("GET", "/healthz")[0] == 200
        seen.append(_server_backends())
    assert all(seen) and len(set().union(*seen)) <= 4, seen

    assert seen_static, "aucun fichier statique vérifié"
    server_log = Path(log_path).read_text()
    assert not [alarm for alarm in LOG_ALARMS if alarm in server_log], server_log[-5000:]
    assert not re.search(r'" 5\d\d ', server_log), server_log[-5000:]
    # gunicorn.conf.py: the access log names the client, not only the proxy.
    assert re.search(r'^198\.51\.100\.23 127\.0\.0\.1 .*"POST /compte/login/ HTTP/1\.1" 302', server_log, re.M)
