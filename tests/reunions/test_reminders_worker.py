"""Reminders through a real Celery worker on Redis and a real SMTP server, killed in the middle of a batch.

Each due reminder queues its mail in the outbox (core.outbox), whose worker sends it. The bound: a worker marks an
outbox row « sent » right after the mail server accepted its message. A SIGKILL between
those two steps leaves that one row « sending »; once its lease expires it is sent again. Rows claimed but not yet
reached are also « sending » and are sent after the lease, once. So per kill of a single-process worker, at most
one reminder goes out twice, and none is lost.
"""

import asyncio
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import OutboxMessage
from core.outbox import outbox_sweep_task
from reunions.models import ReminderDue, Reunion
from reunions.tasks import send_due_reminders
from tests.helpers import wait_for
from tests.membres.factories import MembershipFactory
from tests.reunions.factories import ReunionFactory

pytestmark = pytest.mark.worker

N = 300


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_batch_loses_no_reminder_and_duplicates_at_most_one(
    smtp_sink, celery_worker_process, collectif
):
    reunion = ReunionFactory(
        collectif=collectif, status=Reunion.Status.CONVENED, starts_at=timezone.now() + timedelta(hours=20)
    )
    memberships = [MembershipFactory(collectif=collectif) for _ in range(N)]
    due = timezone.now() - timedelta(minutes=1)
    ReminderDue.objects.bulk_create(
        [ReminderDue(reunion=reunion, membership=m, offset_days=1, due_at=due) for m in memberships]
    )

    # A mail server taking 20 ms per message, so that the kill lands inside a batch (messages 51–100).
    handler = smtp_sink.controller.handler
    accept = handler.handle_DATA

    async def slow_accept(server, session, envelope):
        await asyncio.sleep(0.02)
        return await accept(server, session, envelope)

    handler.handle_DATA = slow_accept
    send_due_reminders.delay()
    assert wait_for(lambda: len(smtp_sink.messages) >= 75, timeout=60, step=0.05), celery_worker_process.log()
    celery_worker_process.kill()
    received_before_restart = len(smtp_sink.messages)
    assert received_before_restart < N, "le worker a tout envoyé avant d'être tué : lot trop petit pour ce test"
    in_flight = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING).count()
    assert in_flight > 0

    # The dead worker's lease expires (here: moved back instead of waiting 10 minutes), the beats run again.
    ReminderDue.objects.filter(status=ReminderDue.Status.SENDING).update(
        claimed_at=timezone.now() - timedelta(hours=1)
    )
    OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING).update(
        claimed_at=timezone.now() - timedelta(hours=1)
    )
    celery_worker_process.start()
    send_due_reminders.delay()
    outbox_sweep_task.delay()
    assert wait_for(
        lambda: (
            not ReminderDue.objects.exclude(status=ReminderDue.Status.SENT).exists()
            and OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == N
        ),
        timeout=90,
        step=0.05,
    ), celery_worker_process.log()
    time.sleep(0.5)

    per_person = Counter(m["To"] for m in smtp_sink.messages)
    assert set(per_person) == {m.user.email for m in memberships}  # nobody lost
    duplicates = sum(n - 1 for n in per_person.values())
    print(f"reçus avant le SIGKILL : {received_before_restart}, en cours : {in_flight}, doublons : {duplicates}")
    assert duplicates <= 1, per_person.most_common(3)
