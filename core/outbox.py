"""The outbox: every e-mail the platform sends is a row written in the transaction that causes it, then sent by a
Celery worker. Hand-written rather than django-post-office (see docs/architecture.md, « Background work »):

- queue: `mail_queue(key=...)` inserts one row per recipient inside the caller's transaction; the unique `key`
  makes queuing idempotent. After commit, the ids are handed to the broker (`outbox_send.delay`); a broker error is
  logged and swallowed: the row waits in the database.
- send: `outbox_send_batch` claims rows atomically (queued → sending, `SKIP LOCKED`), sends them over one SMTP
  connection and marks each « sent » right after the mail server accepted it. A worker killed between those two
  steps leaves one row « sending » that is sent again after the lease: at most one duplicate per kill.
- sweep: the beat runs `outbox_sweep` every minute: rows whose hand-off failed (queued for longer than the grace),
  retries whose backoff is over, rows left « sending » by a dead worker past the lease.
- failures: an SMTP error requeues the row with exponential backoff; after MAX_ATTEMPTS it is « failed » and the
  coordinator sees it and can retry it (`mail_retry_failed`).
"""

from __future__ import annotations

import base64
import contextlib
import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import formataddr, parseaddr
from functools import lru_cache

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from core.models import OutboxMessage

logger = logging.getLogger(__name__)

SMTP_ERRORS = (smtplib.SMTPException, OSError)
BROKER_ERRORS: tuple[type[BaseException], ...] = (KombuOperationalError, OSError)
with contextlib.suppress(ImportError):
    import redis.exceptions

    BROKER_ERRORS += (redis.exceptions.RedisError,)

MAX_ATTEMPTS = 6  # backoff 2, 4, 8, 16, 32 minutes: about an hour of outage before « failed »
BATCH_SIZE = 50

S = OutboxMessage.Status


# --- Queue ------------------------------------------------------------------------------------------------------


def mail_queue(
    *,
    key: str,
    to: str,
    subject: str,
    body: str,
    html_body: str = "",
    attachments: Iterable[tuple[str, str | bytes, str]] = (),
    from_email: str = "",
    reply_to: str = "",
    reunion_id: int | None = None,
    collectif_id: int | None = None,
    erase_after_send: bool = False,
    headers: dict[str, str] | None = None,
) -> bool:
    """Record one e-mail to one address in the current transaction; it leaves after commit. Returns False when a
    mail with this key was already queued (a service or task run twice queues it once). `reply_to`: the address a
    reply goes to (a discussion's reply address), sent as the Reply-To header. `erase_after_send` for a mail
    carrying a secret (a one-time link): its text is blanked once the mail server accepted it."""
    stored = []
    for name, content, mimetype in attachments:
        if isinstance(content, bytes):
            stored.append(
                {"name": name, "content": base64.b64encode(content).decode(), "mimetype": mimetype, "base64": True}
            )
        else:
            stored.append({"name": name, "content": content, "mimetype": mimetype, "base64": False})
    row, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "subject": subject,
            "body": body,
            "html_body": html_body,
            "attachments": stored,
            "from_email": from_email,
            "reply_to": reply_to,
            "reunion_id": reunion_id,
            "collectif_id": collectif_id,
            "erase_after_send": erase_after_send,
            "headers": headers or {},
        },
    )
    if created:
        _hand_off_after_commit(row.pk)
    return created


def mail_queue_message(
    *, key: str, message: EmailMessage, reunion_id: int | None = None, collectif_id: int | None = None
) -> bool:
    """`mail_queue` for a message built by one of the apps' builders (one recipient)."""
    (to,) = message.to
    html = ""
    for content, mimetype in getattr(message, "alternatives", ()):
        if mimetype == "text/html":
            html = content
    return mail_queue(
        key=key,
        to=to,
        subject=str(message.subject),
        body=message.body,
        html_body=html,
        attachments=[tuple(a)[:3] for a in message.attachments],
        from_email=message.from_email if message.from_email != settings.DEFAULT_FROM_EMAIL else "",
        reply_to=message.reply_to[0] if message.reply_to else "",
        reunion_id=reunion_id,
        collectif_id=collectif_id,
    )


def mail_withdraw(*, key_prefix: str, keep: str = "") -> int:
    """A newer version replaces what has not left yet (an invitation moved twice): queued rows whose key starts
    with `key_prefix` (except `keep`) will not be sent. A row already « sending » is not touched."""
    waiting = OutboxMessage.objects.filter(key__startswith=key_prefix, status=S.QUEUED).exclude(key=keep)
    return waiting.update(status=S.SKIPPED)


class _HandOff:
    """The ids queued in one transaction, handed to the broker in one go after it commits."""

    def __init__(self, pk: int):
        self.ids = [pk]
        self.done = False

    def __call__(self) -> None:
        self.done = True
        outbox_hand_off(self.ids)


def _hand_off_after_commit(pk: int) -> None:
    # One hand-off per transaction (one broker round trip for the thirty invitations of a plénière, one failure to
    # log when the broker is down): join the hand-off registered at the same savepoint level, if it is still
    # registered (a rolled-back savepoint drops its callbacks) and has not run yet.
    conn = transaction.get_connection()
    current = set(conn.savepoint_ids)
    for savepoints, func, _robust in conn.run_on_commit:
        if isinstance(func, _HandOff) and not func.done and set(savepoints) == current:
            func.ids.append(pk)
            return
    transaction.on_commit(_HandOff(pk), robust=True)


def outbox_hand_off(ids: list[int]) -> bool:
    """Give rows to the workers. Never raises: with the broker down the rows wait in the database for the sweep."""
    try:
        for start in range(0, len(ids), BATCH_SIZE):
            outbox_send.delay(ids[start : start + BATCH_SIZE])
    except BROKER_ERRORS as exc:
        # The class only: a broker error's text can carry its URL, password included.
        logger.warning("outbox_hand_off_failed messages=%s error=%s", len(ids), type(exc).__name__)
        return False
    return True


# --- Send -------------------------------------------------------------------------------------------------------


def lease() -> timedelta:
    """A row claimed (« sending ») by a worker that died is taken again after this lease."""
    return timedelta(seconds=settings.CORE_OUTBOX_LEASE_SECONDS)


def _sendable(now: datetime) -> Q:
    return Q(status=S.QUEUED) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)) | Q(
        status=S.SENDING, claimed_at__lt=now - lease()
    )


def outbox_claim(*, ids: list[int], now: datetime) -> list[int]:
    """Take rows for this worker: rows locked by another worker are skipped, taken rows become « sending » before
    any mail leaves, so two workers never send the same row."""
    with transaction.atomic():
        claimed = list(
            OutboxMessage.objects.filter(pk__in=ids)
            .filter(_sendable(now))
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=claimed).update(status=S.SENDING, claimed_at=now)
    return claimed


@lru_cache(maxsize=16)
def ascii_from(from_email: str) -> str:
    """The sender encoded once (thousands of reminders share it; header encoding is slow)."""
    name, address = parseaddr(from_email)
    return formataddr((name, address), charset="utf-8") if name else address


def _message(row: OutboxMessage, connection) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=ascii_from(row.from_email or settings.DEFAULT_FROM_EMAIL),
        to=[row.to],
        reply_to=[row.reply_to] if row.reply_to else None,
        connection=connection,
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    for a in row.attachments:
        content = base64.b64decode(a["content"]) if a.get("base64") else a["content"]
        message.attach(a["name"], content, a["mimetype"])
    # `mail_queue(headers=...)`: e.g. Auto-Submitted on an automatic answer, so that no robot answers it back.
    message.extra_headers.update(row.headers)
    return message


def outbox_send_batch(*, ids: list[int]) -> dict[str, int]:
    """Claim then send the given rows over one SMTP connection, each marked « sent » right after the mail server
    accepted it. A kill between those two steps is the only way a mail goes out twice."""
    now = timezone.now()
    claimed = outbox_claim(ids=ids, now=now)
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not claimed:
        return counts
    rows = list(OutboxMessage.objects.filter(pk__in=claimed).order_by("pk"))
    # One commit per row (the « sent » mark) without waiting for the disk: a killed worker loses nothing; only a
    # crash of PostgreSQL itself could forget the last marks of a fraction of a second (mails sent twice).
    postgresql = db_connection.vendor == "postgresql" and not db_connection.in_atomic_block
    if postgresql:
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        _send_rows(rows, counts)
    finally:
        if postgresql:
            with db_connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
    logger.info("outbox_send_batch %s", " ".join(f"{k}={v}" for k, v in counts.items()))
    return counts


def _send_rows(rows: list[OutboxMessage], counts: dict[str, int]) -> None:
    connection = get_connection()
    opened = False
    for index, row in enumerate(rows):
        if not opened:
            try:
                connection.open()
                opened = True
            except SMTP_ERRORS as exc:
                # The mail server is unreachable: every row left waits for the next attempt, none is tried now.
                for rest in rows[index:]:
                    _send_failed(rest, exc, counts)
                return
        try:
            _message(row, connection).send()
        except SMTP_ERRORS as exc:
            _send_failed(row, exc, counts)
            with contextlib.suppress(*SMTP_ERRORS):
                connection.close()
            opened = False
            continue
        sent = {"status": S.SENT, "sent_at": timezone.now(), "last_error": ""}
        if row.erase_after_send:
            sent.update(body="", html_body="", attachments=[])
        OutboxMessage.objects.filter(pk=row.pk).update(**sent)
        counts["sent"] += 1
    if opened:
        with contextlib.suppress(*SMTP_ERRORS):
            connection.close()


def _send_failed(row: OutboxMessage, exc: Exception, counts: dict[str, int]) -> None:
    """Retry later with exponential backoff (2, 4, 8, 16, 32 minutes); after the last attempt the row is « failed »
    and shows on the coordinator's page."""
    attempts = row.attempts + 1
    failed = attempts >= MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=S.FAILED if failed else S.QUEUED,
        attempts=attempts,
        next_attempt_at=timezone.now() + timedelta(minutes=2**attempts),
        last_error=f"{type(exc).__name__}: {exc}"[:500],
    )
    counts["failed" if failed else "retry"] += 1
    logger.warning("outbox_send_failed message=%s attempts=%s error=%s", row.pk, attempts, type(exc).__name__)


def outbox_due_ids(*, now: datetime | None = None) -> list[int]:
    """What the sweep hands over: rows queued for longer than the hand-off grace (their hand-off failed or was
    lost), retries whose backoff is over, rows left « sending » by a dead worker past the lease."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.CORE_OUTBOX_HANDOFF_GRACE_SECONDS)
    return list(
        OutboxMessage.objects.filter(
            Q(status=S.QUEUED, next_attempt_at__isnull=True, created_at__lte=now - grace)
            | Q(status=S.QUEUED, next_attempt_at__lte=now)
            | Q(status=S.SENDING, claimed_at__lt=now - lease())
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def outbox_sweep(*, now: datetime | None = None) -> int:
    """Hand the due rows to the workers again; returns how many."""
    ids = outbox_due_ids(now=now)
    if ids:
        outbox_hand_off(ids)
    return len(ids)


def outbox_purge(*, now: datetime | None = None, batch: int = 5000) -> int:
    """Forget the mails that are done with: sent (or replaced, « skipped ») more than
    CORE_OUTBOX_KEEP_DAYS days ago. Failed rows stay until someone has retried or dropped them; queued and sending
    rows are still work. Keeps the outbox small at national scale (reminders alone queue one row per invitee).

    A key forgotten this way could be queued again: every key names something dated (an invitation's version, a
    reminder, a month's nudge) that is never due again that long after. Deletes in batches of `batch` rows, each
    its own short statement, and returns how many rows went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CORE_OUTBOX_KEEP_DAYS)
    done = Q(status=S.SENT, sent_at__lt=cutoff) | Q(status=S.SKIPPED, created_at__lt=cutoff)
    deleted = 0
    while ids := list(OutboxMessage.objects.filter(done).order_by("pk").values_list("pk", flat=True)[:batch]):
        deleted += OutboxMessage.objects.filter(pk__in=ids).delete()[0]
    if deleted:
        logger.info("outbox_purge deleted=%s before=%s", deleted, cutoff.isoformat())
    return deleted


# --- What the coordinator sees -------------------------------------------------------------------------------------


def mail_erase_address(*, emails: set[str]) -> int:
    """An account is deleted: mails not sent yet to its addresses are withdrawn, and every row keeps neither the
    address nor the text (the key and the dates stay, for the counts). Returns the number of rows erased."""
    query = Q()
    for email in {e.strip().lower() for e in emails} - {""}:
        query |= Q(to__iexact=email)
    if not query:
        return 0
    rows = OutboxMessage.objects.filter(query)
    rows.filter(status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.FAILED]).update(
        status=OutboxMessage.Status.SKIPPED
    )
    return rows.update(to="", subject="", body="", html_body="", attachments=[], reply_to="", last_error="")


def mail_counts(*, reunion_id: int) -> dict[str, int]:
    """A reunion's mails: waiting (queued or being sent), sent, failed."""
    by_status = dict(
        OutboxMessage.objects.for_reunion(reunion_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "waiting": by_status.get(S.QUEUED, 0) + by_status.get(S.SENDING, 0),
        "sent": by_status.get(S.SENT, 0),
        "failed": by_status.get(S.FAILED, 0),
    }


@transaction.atomic
def mail_retry_failed(*, reunion_id: int, by_id: int) -> int:
    """The coordinator asks for a reunion's failed mails to be tried again now (attempts start over)."""
    rows = OutboxMessage.objects.for_reunion(reunion_id).filter(status=S.FAILED)
    ids = list(rows.select_for_update().values_list("pk", flat=True))
    OutboxMessage.objects.filter(pk__in=ids).update(status=S.QUEUED, attempts=0, next_attempt_at=timezone.now())
    for pk in ids:
        _hand_off_after_commit(pk)
    logger.info("mail_retry_failed reunion=%s messages=%s by=%s", reunion_id, len(ids), by_id)
    return len(ids)


# --- Tasks ----------------------------------------------------------------------------------------------------------


@shared_task(name="core.tasks.outbox_send")
def outbox_send(ids: list[int]) -> dict:
    return outbox_send_batch(ids=ids)


@shared_task(name="core.tasks.outbox_sweep")
def outbox_sweep_task() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE)."""
    return outbox_sweep()


@shared_task(name="core.tasks.outbox_purge")
def outbox_purge_task() -> int:
    """Every night (CELERY_BEAT_SCHEDULE)."""
    return outbox_purge()
