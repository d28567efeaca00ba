"""Public registration for a reunion opened to partners (« inscriptions »): no account, a confirmed e-mail, a place
or the waiting list, a signed link to cancel, a reminder the day before, and erasure at the end of the retention
period stated on the form."""

from __future__ import annotations

import logging
import secrets
from datetime import date, datetime, timedelta

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import OutboxMessage
from core.outbox import mail_queue_message, mail_withdraw
from membres.models import User
from reunions import emails
from reunions.models import QuestionnaireInvite, Registration, RegistrationPage, Reunion

logger = logging.getLogger(__name__)

S = Registration.Status
# The outbox keys of a registration's e-mails: `registration-<kind>:<pk>`.
REGISTRATION_MAIL_KINDS = ("confirm", "waiting", "invitation", "reminder", "cancelled")


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def registration_page_open(
    *, reunion: Reunion, by: User, closes_at: datetime | None, capacity: int | None, retention_months: int
) -> RegistrationPage:
    """Open (or reopen, or change) the public registration page of a reunion; its address never changes."""
    page, created = RegistrationPage.objects.get_or_create(
        reunion=reunion,
        defaults={
            "public_id": secrets.token_urlsafe(12),
            "closes_at": closes_at,
            "capacity": capacity,
            "retention_months": retention_months,
        },
    )
    if not created:
        page.is_open = True
        page.closes_at, page.capacity, page.retention_months = closes_at, capacity, retention_months
        page.save(update_fields=["is_open", "closes_at", "capacity", "retention_months"])
        _promote_waiting(reunion=reunion, page=page)
    logger.info("registration_page_open reunion=%s by=%s created=%s", reunion.pk, by.pk, created)
    return page


@transaction.atomic
def registration_page_close(*, page: RegistrationPage, by: User) -> None:
    page.is_open = False
    page.save(update_fields=["is_open"])
    logger.info("registration_page_close reunion=%s by=%s", page.reunion_id, by.pk)


def _erase_after(page: RegistrationPage) -> date:
    start = page.reunion.starts_at or timezone.now()
    return add_months(timezone.localdate(start), page.retention_months)


@transaction.atomic
def registration_create(
    *, page: RegistrationPage, name: str, email: str, structure: str, structure_kind: str
) -> Registration:
    """A person registers from the public page: the row waits for the e-mail to be confirmed (signed link). The
    person acts for themselves: there is no `by` (no account). Registering again with the same address while a
    registration is still active changes nothing (one place per person; the page answers the same)."""
    existing = (
        Registration.objects.filter(reunion=page.reunion, email__iexact=email, erased_at__isnull=True)
        .exclude(status=S.CANCELLED)
        .first()
    )
    if existing is not None:
        logger.info("registration_create_again registration=%s", existing.pk)
        return existing
    registration = Registration.objects.create(
        reunion=page.reunion,
        name=name,
        email=email,
        structure=structure,
        structure_kind=structure_kind,
        consented_at=timezone.now(),
        erase_after=_erase_after(page),
    )
    mail_queue_message(
        key=f"registration-confirm:{registration.pk}",
        message=emails.registration_confirm_message(registration),
        reunion_id=page.reunion_id,
        collectif_id=page.reunion.collectif_id,
    )
    logger.info("registration_create registration=%s reunion=%s", registration.pk, page.reunion_id)
    return registration


def _has_room(page: RegistrationPage) -> bool:
    if page.capacity is None:
        return True
    return Registration.objects.filter(reunion_id=page.reunion_id).holding_place().count() < page.capacity


def _send_invitation(registration: Registration) -> None:
    mail_queue_message(
        key=f"registration-invitation:{registration.pk}",
        message=emails.registration_invitation_message(registration),
        reunion_id=registration.reunion_id,
        collectif_id=registration.reunion.collectif_id,
    )


@transaction.atomic
def registration_confirm(*, registration: Registration) -> Registration:
    """The e-mail is confirmed: a place if there is one (invitation with its .ics), otherwise the waiting list.
    Confirming twice changes nothing. The reunion's row is locked so that two confirmations never take one place."""
    Reunion.objects.select_for_update().filter(pk=registration.reunion_id).first()
    registration.refresh_from_db()
    if registration.status != S.PENDING:
        return registration
    page = RegistrationPage.objects.select_related("reunion__collectif").get(reunion_id=registration.reunion_id)
    registration.confirmed_at = timezone.now()
    if _has_room(page):
        registration.status = S.CONFIRMED
        registration.save(update_fields=["status", "confirmed_at"])
        _send_invitation(registration)
    else:
        registration.status = S.WAITING
        registration.save(update_fields=["status", "confirmed_at"])
        mail_queue_message(
            key=f"registration-waiting:{registration.pk}",
            message=emails.registration_waiting_message(registration),
            reunion_id=registration.reunion_id,
            collectif_id=registration.reunion.collectif_id,
        )
    logger.info("registration_confirm registration=%s status=%s", registration.pk, registration.status)
    return registration


def _promote_waiting(*, reunion: Reunion, page: RegistrationPage) -> list[Registration]:
    """Give the free places to the waiting list, first come first served, each with an e-mail."""
    promoted = []
    waiting = Registration.objects.filter(reunion=reunion, status=S.WAITING).order_by("confirmed_at", "pk")
    for registration in waiting:
        if not _has_room(page):
            break
        registration.status = S.CONFIRMED
        registration.save(update_fields=["status"])
        _send_invitation(registration)
        promoted.append(registration)
        logger.info("registration_promote registration=%s", registration.pk)
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    """The registrant cancels from their link; the first on the waiting list gets the place (and an e-mail)."""
    Reunion.objects.select_for_update().filter(pk=registration.reunion_id).first()
    registration.refresh_from_db()
    if registration.status == S.CANCELLED:
        return registration
    held_place = registration.status == S.CONFIRMED
    registration.status = S.CANCELLED
    registration.save(update_fields=["status"])
    logger.info("registration_cancel registration=%s", registration.pk)
    if held_place:
        page = RegistrationPage.objects.select_related("reunion__collectif").get(reunion_id=registration.reunion_id)
        _promote_waiting(reunion=page.reunion, page=page)
    return registration


def registrations_send_update(*, reunion: Reunion) -> int:
    """The reunion moved (date, place or title; inside `reunion_update`'s transaction): each confirmed registrant
    gets the new invitation, its .ics carrying the new SEQUENCE; a newer change replaces one not sent yet."""
    count = 0
    confirmed = Registration.objects.filter(reunion=reunion, status=S.CONFIRMED, erased_at__isnull=True).exclude(
        email=""
    )
    for registration in confirmed:
        registration.reunion = reunion
        prefix = f"registration-update:{registration.pk}:"
        key = f"{prefix}{reunion.sequence}"
        mail_withdraw(key_prefix=prefix, keep=key)
        count += mail_queue_message(
            key=key,
            message=emails.registration_invitation_message(registration, updated=True),
            reunion_id=reunion.pk,
            collectif_id=reunion.collectif_id,
        )
    return count


def registrations_cancel_all(*, reunion: Reunion) -> int:
    """The reunion is cancelled (inside `reunion_cancel`'s transaction): each registrant with a place or on the
    waiting list gets the cancellation with its .ics (METHOD:CANCEL); the page stops taking registrations."""
    active = (
        Registration.objects.filter(reunion=reunion, status__in=[S.CONFIRMED, S.WAITING], erased_at__isnull=True)
        .exclude(email="")
        .select_related("reunion__collectif")
    )
    count = 0
    for registration in active:
        registration.reunion = reunion
        count += mail_queue_message(
            key=f"registration-cancelled:{registration.pk}",
            message=emails.registration_cancelled_message(registration),
            reunion_id=reunion.pk,
            collectif_id=reunion.collectif_id,
        )
    RegistrationPage.objects.filter(reunion=reunion).update(is_open=False)
    return count


@transaction.atomic
def registration_walk_in(
    *, reunion: Reunion, by: User, name: str, structure: str, structure_kind: str, email: str = ""
) -> Registration:
    """Someone came without registering: added on the day, present, kept as long as the registrants (the page's
    retention, 12 months without a page). An e-mail, if they give one, only serves the questionnaire after the
    meeting."""
    page = RegistrationPage.objects.filter(reunion=reunion).first()
    months = page.retention_months if page else 12
    registration = Registration.objects.create(
        reunion=reunion,
        status=S.CONFIRMED,
        walk_in=True,
        attended=True,
        name=name,
        email=email,
        structure=structure,
        structure_kind=structure_kind,
        confirmed_at=timezone.now(),
        erase_after=add_months(timezone.localdate(reunion.starts_at or timezone.now()), months),
    )
    logger.info("registration_walk_in registration=%s reunion=%s by=%s", registration.pk, reunion.pk, by.pk)
    return registration


@transaction.atomic
def registrations_erase_expired(*, today: date | None = None) -> int:
    """Erase name, e-mail and structure of registrants whose retention period is over; the type of structure and
    the attendance stay (counts by type). Nothing else is touched."""
    today = today or timezone.localdate()
    expired = Registration.objects.filter(erase_after__lt=today, erased_at__isnull=True)
    pks = list(expired.values_list("pk", flat=True))
    count = expired.update(name="", email="", structure="", erased_at=timezone.now())
    # The copies of their e-mails in the outbox go too (found by their keys, so a member's mails to the same
    # address are left alone); the key and dates stay for the counts.
    keys = [f"registration-{kind}:{pk}" for pk in pks for kind in REGISTRATION_MAIL_KINDS]
    keys += [
        f"questionnaire-invite:{pk}"
        for pk in QuestionnaireInvite.objects.filter(registration_id__in=pks).values_list("pk", flat=True)
    ]
    updates = Q()
    for pk in pks:
        updates |= Q(key__startswith=f"registration-update:{pk}:")
    mails = OutboxMessage.objects.filter(Q(key__in=keys) | updates)
    mails.filter(status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.FAILED]).update(
        status=OutboxMessage.Status.SKIPPED
    )
    mails.update(to="", subject="", body="", html_body="", attachments=[], last_error="")
    if count:
        logger.info("registrations_erase_expired count=%s", count)
    return count


def registration_reminders_queue(*, now: datetime | None = None) -> int:
    """A J-1 reminder for each confirmed registrant of a reunion starting within 24 hours; the outbox key makes it
    once per registration however often the beat runs."""
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            status=S.CONFIRMED,
            erased_at__isnull=True,
            reunion__starts_at__gt=now,
            reunion__starts_at__lte=now + timedelta(days=1),
        )
        .exclude(reunion__status=Reunion.Status.CANCELLED)
        .exclude(email="")
        .select_related("reunion__collectif")
    )
    queued = 0
    for registration in due:
        with transaction.atomic():
            queued += mail_queue_message(
                key=f"registration-reminder:{registration.pk}",
                message=emails.registration_reminder_message(registration),
                reunion_id=registration.reunion_id,
                collectif_id=registration.reunion.collectif_id,
            )
    return queued


@shared_task(name="reunions.tasks.registrations_beat")
def registrations_beat() -> dict[str, int]:
    """Every hour (CELERY_BEAT_SCHEDULE): J-1 reminders of registrants, erasure past the retention period."""
    return {"reminders": registration_reminders_queue(), "erased": registrations_erase_expired()}
