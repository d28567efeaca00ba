"""The outbox without a worker (tasks eager): queuing is idempotent and transactional, a broker error never reaches
the caller, the sweep finds what was not handed over or was left by a dead worker."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.models import OutboxMessage
from core.outbox import mail_queue, outbox_claim, outbox_due_ids, outbox_send_batch
from tests.helpers import mails_leave

pytestmark = pytest.mark.django_db

S = OutboxMessage.Status


def _queue(key="test:1", **kwargs):
    return mail_queue(key=key, to="a@exemple.org", subject="Objet é", body="Texte", **kwargs)


def test_a_queued_mail_leaves_after_commit_with_its_attachment():
    with mails_leave():
        assert _queue(attachments=[("invitation.ics", "BEGIN:VCALENDAR", "text/calendar")]) is True
        assert mail.outbox == []  # not before the commit
    assert [m.to for m in mail.outbox] == [["a@exemple.org"]]
    assert mail.outbox[0].attachments[0][0] == "invitation.ics"
    assert OutboxMessage.objects.get().status == S.SENT


def test_a_reply_address_leaves_as_the_reply_to_header():
    with mails_leave():
        _queue(key="test:reply", reply_to="reponse+abc@reponses.exemple.org")
        _queue(key="test:noreply")
    assert [m.reply_to for m in mail.outbox] == [["reponse+abc@reponses.exemple.org"], []]  # sent in queue order


def test_the_same_key_is_queued_and_sent_once():
    with mails_leave():
        assert _queue() is True
        assert _queue() is False
    with mails_leave():
        assert _queue() is False
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.count() == 1


def test_a_rolled_back_change_queues_no_mail():
    with mails_leave():
        try:
            with transaction.atomic():
                _queue()
                raise RuntimeError
        except RuntimeError:
            pass
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_a_broker_error_is_logged_without_credentials_and_never_raised(monkeypatch, caplog):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis://:s3cr3t@redis:6379/0. Connection refused.")

    monkeypatch.setattr("core.outbox.outbox_send.delay", broker_down)
    with caplog.at_level(logging.WARNING, logger="core.outbox"), mails_leave():
        _queue("test:1")
        _queue("test:2")
    assert mail.outbox == []
    assert OutboxMessage.objects.filter(status=S.QUEUED).count() == 2
    assert "outbox_hand_off_failed messages=2 error=OperationalError" in caplog.text  # one hand-off per transaction
    assert "s3cr3t" not in caplog.text


def test_the_sweep_takes_what_was_not_handed_over_retries_due_and_dead_workers_rows(settings):
    now = timezone.now()
    settings.CORE_OUTBOX_HANDOFF_GRACE_SECONDS = 60
    settings.CORE_OUTBOX_LEASE_SECONDS = 600
    for key in ("fresh", "lost", "backoff", "retry", "alive", "dead", "sent"):
        _queue(key)
    rows = OutboxMessage.objects
    rows.filter(key__in=["lost", "backoff", "retry", "alive", "dead", "sent"]).update(
        created_at=now - timedelta(minutes=5)
    )
    rows.filter(key="backoff").update(next_attempt_at=now + timedelta(minutes=2), attempts=1)
    rows.filter(key="retry").update(next_attempt_at=now - timedelta(seconds=1), attempts=1)
    rows.filter(key="alive").update(status=S.SENDING, claimed_at=now - timedelta(minutes=1))
    rows.filter(key="dead").update(status=S.SENDING, claimed_at=now - timedelta(minutes=11))
    rows.filter(key="sent").update(status=S.SENT)
    due = set(rows.filter(pk__in=outbox_due_ids(now=now)).values_list("key", flat=True))
    assert due == {"lost", "retry", "dead"}


def test_a_row_being_sent_is_not_claimed_twice_until_its_lease_expires():
    _queue()
    row = OutboxMessage.objects.get()
    now = timezone.now()
    assert outbox_claim(ids=[row.pk], now=now) == [row.pk]
    assert outbox_claim(ids=[row.pk], now=now) == []
    assert outbox_claim(ids=[row.pk], now=now + timedelta(minutes=11)) == [row.pk]


def test_an_unreachable_mail_server_requeues_the_whole_batch_without_trying_each(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard port: nothing listens
    for i in range(3):
        _queue(f"test:{i}")
    counts = outbox_send_batch(ids=list(OutboxMessage.objects.values_list("pk", flat=True)))
    assert counts == {"sent": 0, "retry": 3, "failed": 0}
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(S.QUEUED, 1)}


def test_the_nightly_purge_deletes_old_sent_mails_and_keeps_failed_and_pending_ones(settings):
    from core.tasks import outbox_purge_task

    assert settings.CELERY_BEAT_SCHEDULE["core-outbox-purge"]["task"] == "core.tasks.outbox_purge"
    now = timezone.now()
    old, recent = now - timedelta(days=31), now - timedelta(days=29)

    def row(key, status, sent_at=None, created_at=None):
        message = OutboxMessage.objects.create(key=key, to="a@exemple.org", subject="s", body="b", status=status)
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=sent_at, created_at=created_at or sent_at or now)

    row("sent-old", S.SENT, sent_at=old)
    row("skipped-old", S.SKIPPED, created_at=old)
    row("sent-recent", S.SENT, sent_at=recent)
    row("failed-old", S.FAILED, created_at=old)
    row("queued-old", S.QUEUED, created_at=old)
    row("sending-old", S.SENDING, created_at=old)
    assert outbox_purge_task.delay().get() == 2
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == {
        "sent-recent",
        "failed-old",
        "queued-old",
        "sending-old",
    }
    settings.CORE_OUTBOX_KEEP_DAYS = 10
    assert outbox_purge_task.delay().get() == 1
    assert not OutboxMessage.objects.filter(key="sent-recent").exists()
