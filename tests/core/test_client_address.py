"""Behind the reverse proxy every request comes from the proxy's address: login limits count each real client.

The proxy (docker-compose.yml asks for one) connects from one address and appends the client's address to
X-Forwarded-For; TRUSTED_PROXY_COUNT says how many such proxies to trust.
"""

import pytest
from django.test import Client

from config.settings import base
from tests.core.test_security import production_env, run_python
from tests.membres.factories import PASSWORD

LOGIN_URL = "/compte/login/"
PROXY = "10.0.0.2"
CLIENT_A = "203.0.113.7"
CLIENT_B = "198.51.100.23"
REFUSED = "Trop de tentatives de connexion échouées"


def _login(client_address: str, email: str, password: str, forged: str = "") -> tuple[Client, str]:
    """A login as the proxy forwards it: from the proxy's address, the client's address appended to the header."""
    client = Client(REMOTE_ADDR=PROXY)
    forwarded = f"{forged}, {client_address}" if forged else client_address
    response = client.post(LOGIN_URL, {"login": email, "password": password}, HTTP_X_FORWARDED_FOR=forwarded)
    return client, response.content.decode()


@pytest.fixture
def production_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS  # test settings turn them off
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


@pytest.mark.django_db
def test_failed_logins_from_one_client_do_not_lock_out_another(production_limits, member):
    # Client A tries 20 addresses (one failure each, so the per-account limit never fires: only the per-address one).
    refused_a = 0
    for attempt in range(20):
        _client, content = _login(CLIENT_A, f"inconnu{attempt}@exemple.org", "mauvais-mot-de-passe")
        refused_a += REFUSED in content
    assert refused_a == 10  # 10/m per address: A is still limited, from its 11th failure on

    client_b, content = _login(CLIENT_B, member.email, PASSWORD)
    assert REFUSED not in content
    assert client_b.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_a_client_cannot_escape_its_limit_by_forging_the_header(production_limits, member):
    """Only the last entry, written by the trusted proxy, counts: what the client put before it is ignored."""
    for attempt in range(10):
        _login(CLIENT_A, f"inconnu{attempt}@exemple.org", "mauvais", forged=f"192.0.2.{attempt}")
    _client, content = _login(CLIENT_A, member.email, PASSWORD, forged="192.0.2.200")
    assert REFUSED in content


@pytest.mark.django_db
def test_without_the_trusted_proxy_setting_everyone_shares_the_proxys_limit(production_limits, settings, member):
    """The bug this setting fixes, kept as a measure: A's failures refuse B's correct password."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for attempt in range(10):
        _login(CLIENT_A, f"inconnu{attempt}@exemple.org", "mauvais-mot-de-passe")
    client_b, content = _login(CLIENT_B, member.email, PASSWORD)
    assert REFUSED in content
    assert "_auth_user_id" not in client_b.session


def test_production_reads_the_trusted_proxy_count_and_keeps_connections_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.DATABASES['default']['CONN_MAX_AGE'], "
        "s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    result = run_python(code, production_env(TRUSTED_PROXY_COUNT="1", CONN_MAX_AGE="120"))
    assert result.stdout.split() == ["1", "120", "True"], result.stderr
