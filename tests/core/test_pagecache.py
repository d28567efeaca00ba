"""Pages kept rendered per person (core.pagecache): served again only while nothing they show has changed."""

import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import pagecache
from reunions.models import Invitation, Reunion
from tests.helpers import client_for
from tests.reunions.factories import AgendaItemFactory, InvitationFactory, ReunionFactory


def detail_url(reunion):
    return reverse("reunions:detail", kwargs={"collectif_slug": reunion.collectif.slug, "pk": reunion.pk})


@pytest.fixture
def convened(collectif, member):
    reunion = ReunionFactory(collectif=collectif, title="Plénière de novembre", status=Reunion.Status.CONVENED)
    InvitationFactory(reunion=reunion, membership=member.memberships.get(collectif=collectif))
    return reunion


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('SELECT "reunions_reunion"."id" FROM "reunions_reunion"', False),
        ('INSERT INTO "reunions_invitation" ("reunion_id") VALUES (%s)', True),
        ('UPDATE "reunions_reunion" SET "title" = %s', True),
        ('  delete from "documents_document" where id = 3', True),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('INSERT INTO "core_outboxmessage" ("to") VALUES (%s)', False),
        ('TRUNCATE "reunions_reunion"', True),
        ('SAVEPOINT "s1_x1"', False),
        ("WITH moved AS (UPDATE reunions_reunion SET title = 'x' RETURNING id) SELECT * FROM moved", True),
        ("WITH q AS (SELECT 1 AS q) SELECT q FROM q", False),
        ("CREATE INDEX fiche_updated ON fiches_experience_ficheexperience (updated_at)", True),
        ('UPDATE "membres_user" SET "last_login" = %s WHERE "membres_user"."id" = %s', False),
        ('UPDATE "membres_user" SET "last_login" = %s, "first_name" = %s WHERE "membres_user"."id" = %s', True),
    ],
)
def test_which_statements_move_the_content_generation(sql, writes):
    assert pagecache.writes_content(sql) is writes


def test_a_second_visit_is_served_without_a_query_and_a_change_shows_at_once(
    convened, member_client, django_assert_num_queries
):
    url = detail_url(convened)
    assert "Plénière de novembre" in member_client.get(url).content.decode()
    with django_assert_num_queries(0):
        again = member_client.get(url)
    assert again.status_code == 200 and "Plénière de novembre" in again.content.decode()

    # A queryset update(), which sends no signal, is seen as much as a save().
    Reunion.objects.filter(pk=convened.pk).update(title="Plénière déplacée")
    assert "Plénière déplacée" in member_client.get(url).content.decode()
    AgendaItemFactory(reunion=convened, title="Bilan des ateliers")
    assert "Bilan des ateliers" in member_client.get(url).content.decode()


def test_each_served_page_has_its_own_csrf_token_and_the_form_is_accepted(convened, member):
    client = client_for(member)
    client.handler.enforce_csrf_checks = True
    url = detail_url(convened)
    pages = [client.get(url).content.decode() for _ in range(2)]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1) for page in pages]
    assert tokens[0] != tokens[1]  # a new mask per response, as without the cache
    assert pagecache.CSRF_PLACEHOLDER not in pages[1]
    respond = reverse("reunions:respond", kwargs={"collectif_slug": convened.collectif.slug, "pk": convened.pk})
    answered = client.post(respond, {"response": "present", "csrfmiddlewaretoken": tokens[1]})
    assert answered.status_code == 302
    page = client.get(url).content.decode()
    assert "Réponse enregistrée." in page  # the message is shown once, by a page rendered for it
    assert "Vous êtes <strong>présent</strong>" in page
    assert "Réponse enregistrée." not in client.get(url).content.decode()


def test_each_served_page_has_the_nonce_of_its_own_policy(convened, member_client):
    url = detail_url(convened)
    nonces = []
    for _ in range(2):
        response = member_client.get(url)
        header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'nonce="{header}"' in response.content.decode()
        nonces.append(header)
    assert nonces[0] != nonces[1]


def test_pages_are_kept_per_person(convened, member, guest, collectif):
    url = detail_url(convened)
    assert "Ma réponse" in client_for(member).get(url).content.decode()
    seen_by_guest = client_for(guest).get(url).content.decode()
    assert "Ma réponse" not in seen_by_guest and guest.email in seen_by_guest  # the guest's own header


def queries_of(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code == 200
    return len(queries)


def test_a_coordinator_view_of_a_reunion_is_kept_until_its_mails_change(convened, coordinator_client):
    from core.models import OutboxMessage

    url = detail_url(convened)
    assert "Rappels et envois" in coordinator_client.get(url).content.decode()
    assert queries_of(coordinator_client, url) == 0
    # The outbox is written all day by the workers: it does not move the content generation, but the
    # coordinator's page, which shows its counts, puts the outbox's own generation in its key.
    message = OutboxMessage.objects.create(
        key="test-pagecache", to="x@exemple.org", subject="Convocation", body="…", reunion_id=convened.pk
    )
    assert "1 e-mail en cours d'envoi" in coordinator_client.get(url).content.decode()
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.FAILED)
    assert "1 e-mail n'a pas pu partir" in coordinator_client.get(url).content.decode()


def test_writes_to_the_workers_tables_leave_the_members_pages_kept(convened, member_client):
    from core.models import OutboxMessage

    url = detail_url(convened)
    member_client.get(url)
    OutboxMessage.objects.create(key="test-pagecache", to="x@exemple.org", subject="Rappel", body="…")
    assert queries_of(member_client, url) == 0


def test_htmx_requests_are_rendered_each_time(collectif, member_client):
    ReunionFactory(collectif=collectif)
    url = reverse("reunions:list", kwargs={"collectif_slug": collectif.slug})
    member_client.get(url, HTTP_HX_REQUEST="true")
    assert queries_of(member_client, url, HTTP_HX_REQUEST="true") > 0
    assert queries_of(member_client, url) > 0 and queries_of(member_client, url) == 0


def test_without_a_shared_cache_nothing_is_kept(convened, member_client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = detail_url(convened)
    member_client.get(url)
    assert queries_of(member_client, url) > 0


def test_a_transaction_moves_the_generation_once_for_its_own_reads_and_again_at_its_commit(convened):
    before = pagecache.generation()
    with transaction.atomic():
        Reunion.objects.filter(pk=convened.pk).update(title="Un")
        Reunion.objects.filter(pk=convened.pk).update(title="Deux")
        registered = [
            f for _s, f, _r in connection.run_on_commit if getattr(f, "func", None) is pagecache._after_commit
        ]
        assert len(registered) == 1  # once per transaction, whatever the number of statements
        during = pagecache.generation()
        assert during > before  # moved on before this connection reads a kept page: it sees its own writes
        assert pagecache.generation() == during  # and only once
    # (the test's own transaction is never committed: the callback is checked above, not run)


@pytest.mark.django_db(transaction=True)
def test_a_write_from_another_process_is_seen_at_the_next_visit(collectif, member):
    reunion = ReunionFactory(collectif=collectif, title="Plénière de décembre", status=Reunion.Status.CONVENED)
    InvitationFactory(reunion=reunion, membership=member.memberships.get(collectif=collectif))
    client = client_for(member)
    url = detail_url(reunion)
    assert "Plénière de décembre" in client.get(url).content.decode()
    database = settings.DATABASES["default"]
    script = (
        "import django; django.setup()\n"
        "from reunions.models import Invitation\n"
        f"Invitation.objects.filter(reunion_id={reunion.pk}).update(response='excuse')\n"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TEST_DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
            f"{database['NAME']}"
        ),
        "TEST_REDIS_URL": settings.REDIS_URL,
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run([sys.executable, "-c", script], check=True, env=env, cwd=settings.BASE_DIR, timeout=120)
    assert Invitation.objects.get(reunion=reunion).response == "excuse"
    assert "Vous êtes <strong>excusé</strong>" in client.get(url).content.decode()


def test_an_anonymous_client_is_sent_to_login(convened):
    response = Client().get(detail_url(convened))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_the_access_is_checked_before_a_kept_page_is_served(convened, member, coordinator, collectif):
    from membres.services import membership_end

    client = client_for(member)
    url = detail_url(convened)
    assert client.get(url).status_code == 200
    membership_end(membership=member.memberships.get(collectif=collectif), by=coordinator)
    assert client.get(url).status_code == 404


def test_one_kept_page_per_person_and_address_whatever_the_writes(convened, member_client):
    from django.core.cache import cache

    redis = cache._cache.get_client(None, write=False)
    url = detail_url(convened)
    for title in ("Un", "Deux", "Trois"):
        Reunion.objects.filter(pk=convened.pk).update(title=f"Plénière {title}")
        assert f"Plénière {title}" in member_client.get(url).content.decode()
    assert len(redis.keys("*pagecache:page:*")) == 1  # replaced at each render, not one per generation


def test_the_generations_move_on_in_one_round_trip_and_a_lost_one_gets_a_new_value(convened, monkeypatch):
    """After every write statement the content generation and the table's move on: one round trip to Redis for
    both (a write in a loop of 10,000 reminders paid four). A generation lost (Redis emptied, evicted) comes back
    as a value no kept page carries."""
    import redis.connection
    from django.core.cache import cache

    before = pagecache.generation()
    table_before = pagecache.table_generations(["reunions_reunion"])
    sent = []
    real = redis.connection.AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return real(self, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)
    pagecache.move_generation(["reunions_reunion"])
    assert len(sent) == 1  # one round trip
    monkeypatch.undo()
    assert pagecache.generation() == before + 1
    assert pagecache.table_generations(["reunions_reunion"])[0] == table_before[0] + 1
    cache.delete(pagecache.GENERATION_KEY)
    pagecache.move_generation(["reunions_reunion"])
    assert pagecache.generation() > before + 1_000_000  # a new value from the clock, not a count restarted at 1


def test_a_login_leaves_the_kept_pages_kept(convened, coordinator, member_client):
    """Each login writes the user's last login: no page shows it, so other people's kept pages stay kept."""
    url = detail_url(convened)
    member_client.get(url)
    before = pagecache.generation()
    Client().force_login(coordinator)  # someone else logs in
    coordinator.refresh_from_db()
    assert coordinator.last_login is not None
    assert pagecache.generation() == before
    with CaptureQueriesContext(connection) as queries:
        assert member_client.get(url).status_code == 200
    assert not [q for q in queries.captured_queries if "reunions_reunion" in q["sql"]]  # served kept
