"""The outbox through a real Celery worker on Redis and a real SMTP server: a broker outage while a plénière is
convened, and a mail-server outage. Neither shows the coordinator an error, neither loses or doubles a mail."""

import socket
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import OutboxMessage
from core.outbox import outbox_sweep_task
from reunions.models import Invitation, Reunion
from reunions.services.reunions import reunion_invite
from tests.helpers import client_for, collectif_url, wait_for
from tests.membres.factories import MembershipFactory
from tests.reunions.factories import ReunionFactory

pytestmark = pytest.mark.worker

N = 30


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _use_broker(url: str) -> None:
    """Point this process's Celery app at `url`: forget the pools it took for the previous one (kombu keeps one per
    URL, so switching back finds the real broker's pools again)."""
    from config.celery_app import app

    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url


def _invitations_per_person(sink) -> Counter:
    return Counter(m["To"] for m in sink.messages if "Invitation" in m["Subject"])


@pytest.mark.django_db(transaction=True)
def test_broker_down_while_convening_loses_no_invitation_and_duplicates_none(
    smtp_sink, celery_worker_process, collectif, coordinator, settings
):
    from config.celery_app import app

    celery_worker_process.stop()  # started again once the broker is back
    people = [MembershipFactory(collectif=collectif) for _ in range(N - 1)]  # and the coordinator: 30 invitees
    reunion = ReunionFactory(collectif=collectif, status=Reunion.Status.TO_SCHEDULE)
    client = client_for(coordinator)
    broker = app.conf.broker_url
    _use_broker(f"redis://127.0.0.1:{_dead_port()}/0")
    try:
        started = time.monotonic()
        response = client.post(collectif_url(collectif, "reunions:invite", pk=reunion.pk), {"audience": "all"})
        elapsed = time.monotonic() - started
    finally:
        _use_broker(broker)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Les invitations partent" in page
    reunion.refresh_from_db()
    assert reunion.status == Reunion.Status.CONVENED
    assert Invitation.objects.filter(reunion=reunion).count() == N
    assert OutboxMessage.objects.filter(reunion_id=reunion.pk, status=OutboxMessage.Status.QUEUED).count() == N
    assert smtp_sink.messages == []
    envois = client.get(collectif_url(collectif, "reunions:reminders", pk=reunion.pk)).content.decode()
    assert f"En attente d'envoi : <strong>{N}</strong>" in envois

    # The broker is back: the worker starts, the beat's sweep hands the waiting mails over.
    celery_worker_process.start()
    settings.CORE_OUTBOX_HANDOFF_GRACE_SECONDS = 0  # rather than waiting a minute
    assert outbox_sweep_task() == N
    assert wait_for(
        lambda: OutboxMessage.objects.filter(reunion_id=reunion.pk, status=OutboxMessage.Status.SENT).count() == N,
        timeout=60,
    ), celery_worker_process.log()
    # A second sweep (the next beat) finds nothing to do.
    assert outbox_sweep_task() == 0
    time.sleep(1)

    per_person = _invitations_per_person(smtp_sink)
    expected = {m.user.email for m in people} | {coordinator.email}
    lost = len(expected - set(per_person))
    duplicated = sum(n - 1 for n in per_person.values())
    print(f"requête : {response.status_code} en {elapsed:.2f} s ; perdues : {lost} ; doublons : {duplicated}")
    assert set(per_person) == expected
    assert duplicated == 0, per_person.most_common(3)


@pytest.mark.django_db(transaction=True)
def test_mail_server_down_then_back_sends_each_mail_once(smtp_sink, celery_worker_process, collectif, coordinator):
    people = [MembershipFactory(collectif=collectif) for _ in range(5)]
    reunion = ReunionFactory(collectif=collectif, status=Reunion.Status.TO_SCHEDULE)
    smtp_sink.controller.stop()
    reunion_invite(reunion=reunion, by=coordinator, memberships=people)  # commits, hands over to the worker
    rows = OutboxMessage.objects.filter(reunion_id=reunion.pk)
    assert wait_for(
        lambda: rows.filter(status=OutboxMessage.Status.QUEUED, attempts=1).count() == len(people), timeout=60
    ), celery_worker_process.log()
    assert all(row.next_attempt_at > timezone.now() and row.last_error for row in rows)

    # The mail server is back and the backoff is over (moved back rather than waited for): the sweep retries.
    from aiosmtpd.controller import Controller

    smtp_sink.controller = Controller(smtp_sink.controller.handler, hostname="127.0.0.1", port=smtp_sink.port)
    smtp_sink.controller.start()  # a stopped controller cannot start again: a new one on the same port
    rows.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert outbox_sweep_task() == len(people)
    assert wait_for(lambda: rows.filter(status=OutboxMessage.Status.SENT).count() == len(people), timeout=60), (
        celery_worker_process.log()
    )
    time.sleep(1)
    per_person = _invitations_per_person(smtp_sink)
    assert per_person == Counter({m.user.email: 1 for m in people})
