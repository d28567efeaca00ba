import copy

import pytest
from django.db.utils import ConnectionHandler
from django.urls import reverse

from config.celery_app import app as celery_app
from core import health
from core.tasks import ping

DEAD_PORT = 9  # discard: nothing listens there


@pytest.fixture
def dead_broker():
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{DEAD_PORT}/0"
    yield
    celery_app.conf.broker_url = previous


@pytest.fixture
def dead_database(monkeypatch, settings):
    databases = copy.deepcopy(settings.DATABASES)
    databases["default"].update(HOST="127.0.0.1", PORT=str(DEAD_PORT), CONN_MAX_AGE=0)
    databases["default"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    handler = ConnectionHandler(databases)
    monkeypatch.setattr(health, "connections", handler)
    yield
    handler.close_all()


@pytest.mark.django_db
def test_healthz_answers_200_when_database_and_broker_are_up(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_broker_when_it_is_down(client, dead_broker):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down"}


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_database_when_it_is_down(client, dead_database):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "down", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post(reverse("core:healthz")).status_code == 405


def test_ping_task_answers_pong():
    assert ping.delay("essai").get() == "pong"


@pytest.mark.django_db
def test_healthz_reuses_one_broker_connection_across_calls(client, settings, monkeypatch):
    """The load balancer probes every few seconds: one Redis connection per process, not one per probe."""
    import socket
    from urllib.parse import urlparse

    broker_port = urlparse(settings.CELERY_BROKER_URL).port or 6379
    health._drop_broker_connection()
    opened = []
    original = socket.socket.connect

    def counting_connect(self, address):
        if isinstance(address, tuple) and address[1] == broker_port:
            opened.append(address)
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", counting_connect)
    for _ in range(10):
        assert client.get(reverse("core:healthz")).status_code == 200
    assert len(opened) == 1, opened


@pytest.mark.django_db
def test_healthz_reconnects_after_the_broker_comes_back(client, settings, dead_broker):
    assert client.get(reverse("core:healthz")).status_code == 503
    celery_app.conf.broker_url = settings.CELERY_BROKER_URL  # the broker is back
    assert client.get(reverse("core:healthz")).status_code == 200
