"""Every change to reunions goes through these functions: atomic, logged with the acting user's id, and the
e-mails they cause are enqueued only once the transaction has committed."""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from core.html import sanitize_html
from membres.models import Membership
from reunions.models import (
    DEFAULT_REMINDER_OFFSETS,
    AgendaItem,
    CalendarToken,
    DatePoll,
    Decision,
    Document,
    GroupeDeTaches,
    Invitation,
    Minutes,
    MinutesComment,
    MinutesSection,
    MinutesVersion,
    PollSlot,
    PollVote,
    ReminderDue,
    Reunion,
    ReunionSettings,
)

logger = logging.getLogger(__name__)

MAX_REMINDER_ATTEMPTS = 5
REMINDER_BATCH_SIZE = 50
# A row claimed (status « sending ») by a worker that died is taken again after this lease.
REMINDER_LEASE = timedelta(seconds=int(os.environ.get("REUNIONS_REMINDER_LEASE_SECONDS", "600")))
SMTP_ERRORS = (smtplib.SMTPException, OSError)
SCHEDULE_FIELDS = ("starts_at", "ends_at", "place", "video_url", "title")


# --- Reunions -------------------------------------------------------------------------------------------------


@transaction.atomic
def reunion_create(*, collectif, by, **fields) -> Reunion:
    reunion = Reunion.objects.create(collectif=collectif, **fields)
    logger.info("reunion_create reunion=%s by=%s", reunion.pk, by.pk)
    return reunion


@transaction.atomic
def reunion_update(*, reunion: Reunion, by, **fields) -> Reunion:
    """Change a reunion. Once it is convened, every change raises its calendar version (SEQUENCE, so that feeds
    replace the event); a change of date, place or title is also e-mailed to everyone invited, and the reminders
    are recomputed for the new date."""
    reunion = Reunion.objects.select_for_update().get(pk=reunion.pk)
    moved = any(getattr(reunion, name) != fields[name] for name in SCHEDULE_FIELDS if name in fields)
    changed = any(getattr(reunion, name) != value for name, value in fields.items())
    for name, value in fields.items():
        setattr(reunion, name, value)
    convened = reunion.status == Reunion.Status.CONVENED
    if changed and convened:
        reunion.sequence += 1
    reunion.save()
    logger.info("reunion_update reunion=%s by=%s moved=%s", reunion.pk, by.pk, moved)
    if moved and convened:
        _enqueue_invitation_emails(reunion, reunion.invitations.all())
    reminders_recompute(reunion=reunion)
    return reunion


@transaction.atomic
def reunion_cancel(*, reunion: Reunion, by) -> Reunion:
    """Cancel: every invited person gets a cancellation (METHOD:CANCEL) and no reminder goes out any more."""
    reunion = Reunion.objects.select_for_update().get(pk=reunion.pk)
    was_convened = reunion.status == Reunion.Status.CONVENED
    reunion.status = Reunion.Status.CANCELLED
    reunion.sequence += 1
    reunion.save(update_fields=["status", "sequence", "updated_at"])
    if hasattr(reunion, "poll"):
        DatePoll.objects.filter(pk=reunion.poll.pk).update(status=DatePoll.Status.CLOSED)
    logger.info("reunion_cancel reunion=%s by=%s", reunion.pk, by.pk)
    if was_convened:
        _enqueue_invitation_emails(reunion, reunion.invitations.all())
    reminders_recompute(reunion=reunion)
    return reunion


def audience_memberships(*, collectif, audience: str, groupe: GroupeDeTaches | None = None, memberships=()):
    """The active memberships of an audience: « all » members, a groupe's « groupe » members, or « named » ones."""
    active = Membership.objects.active().filter(collectif=collectif, user__isnull=False)
    if audience == "all":
        return list(active)
    if audience == "groupe" and groupe is not None:
        return list(active.filter(user__in=groupe.members.all()))
    return list(active.filter(pk__in=[m.pk for m in memberships]))


@transaction.atomic
def reunion_invite(*, reunion: Reunion, by, memberships: Iterable[Membership]) -> list[Invitation]:
    """Invite people (one invitation each). A reunion with a date becomes convened and each new invitee gets
    their own e-mail with the .ics; a reunion still to schedule only records who is concerned (for its poll)."""
    reunion = Reunion.objects.select_for_update().get(pk=reunion.pk)
    existing = set(reunion.invitations.values_list("membership_id", flat=True))
    new = [Invitation(reunion=reunion, membership=m) for m in memberships if m.pk not in existing]
    Invitation.objects.bulk_create(new, ignore_conflicts=True)
    created = list(reunion.invitations.filter(membership_id__in=[i.membership_id for i in new]))
    if reunion.starts_at and reunion.status in (Reunion.Status.TO_SCHEDULE, Reunion.Status.CONVENED):
        first_convocation = reunion.status == Reunion.Status.TO_SCHEDULE
        reunion.status = Reunion.Status.CONVENED
        reunion.save(update_fields=["status", "updated_at"])
        _enqueue_invitation_emails(reunion, reunion.invitations.all() if first_convocation else created)
        reminders_recompute(reunion=reunion)
    logger.info("reunion_invite reunion=%s by=%s invited=%s", reunion.pk, by.pk, len(created))
    return created


def _enqueue_invitation_emails(reunion: Reunion, invitations) -> None:
    from reunions.tasks import send_invitation_email

    pairs = [(inv.pk, reunion.sequence) for inv in invitations]
    transaction.on_commit(lambda: [send_invitation_email.delay(pk, seq) for pk, seq in pairs])


def invitation_send_email(*, invitation_id: int, sequence: int) -> bool:
    """Send one person the invitation (or update, or cancellation) of calendar version `sequence`, once.
    SMTP errors propagate so that the task retries with backoff; the error stays visible to the coordinator."""
    from reunions.emails import invitation_message

    invitation = (
        Invitation.objects.select_related("reunion__collectif", "membership__user").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.membership.user is None or invitation.sent_sequence >= sequence:
        return False
    if invitation.reunion.sequence != sequence:
        return False  # a newer version is on its way
    try:
        invitation_message(invitation).send()
    except SMTP_ERRORS as exc:
        Invitation.objects.filter(pk=invitation.pk).update(email_error=str(exc)[:500])
        raise
    Invitation.objects.filter(pk=invitation.pk, sent_sequence__lt=sequence).update(
        sent_sequence=sequence, email_error=""
    )
    return True


@transaction.atomic
def invitation_respond(*, invitation: Invitation, response: str, by=None) -> Invitation:
    """Record the answer before the meeting. Declining drops the person's pending reminders."""
    invitation.response = response
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    if response == Invitation.Response.EXCUSED:
        invitation.reunion.reminders.filter(
            membership_id=invitation.membership_id, status=ReminderDue.Status.PENDING
        ).update(status=ReminderDue.Status.SKIPPED)
    else:
        reminders_recompute(reunion=invitation.reunion)
    logger.info("invitation_respond invitation=%s response=%s by=%s", invitation.pk, response, getattr(by, "pk", None))
    return invitation


@transaction.atomic
def attendance_record(*, reunion: Reunion, by, values: dict[int, str]) -> None:
    """Record who came. A convened reunion whose date is past becomes « tenue »."""
    invitations = {i.pk: i for i in reunion.invitations.all()}
    changed = []
    for pk, value in values.items():
        inv = invitations.get(pk)
        if inv is not None and inv.attendance != value:
            inv.attendance = value
            changed.append(inv)
    Invitation.objects.bulk_update(changed, ["attendance"])
    if reunion.status == Reunion.Status.CONVENED:
        reunion.status = Reunion.Status.HELD
        reunion.save(update_fields=["status", "updated_at"])
    logger.info("attendance_record reunion=%s by=%s changed=%s", reunion.pk, by.pk, len(changed))


# --- Agenda and documents ------------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(*, reunion: Reunion, by, title: str, duration_minutes: int | None, presenter: str) -> AgendaItem:
    last = reunion.agenda.order_by("-position").values_list("position", flat=True).first()
    item = AgendaItem.objects.create(
        reunion=reunion,
        title=title,
        duration_minutes=duration_minutes,
        presenter=presenter,
        position=(last or 0) + 1,
    )
    logger.info("agenda_item_add reunion=%s item=%s by=%s", reunion.pk, item.pk, by.pk)
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by, direction: str) -> None:
    """Swap the item with its neighbour above (« up ») or below (« down »); positions are renumbered 1..n."""
    items = list(AgendaItem.objects.select_for_update().filter(reunion_id=item.reunion_id).order_by("position", "pk"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, it in enumerate(items, start=1):
        it.position = position
    AgendaItem.objects.bulk_update(items, ["position"])
    logger.info("agenda_item_move item=%s direction=%s by=%s", item.pk, direction, by.pk)


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by) -> None:
    logger.info("agenda_item_delete item=%s by=%s", item.pk, by.pk)
    item.delete()


@transaction.atomic
def document_add(*, reunion: Reunion, by, title: str, upload) -> Document:
    document = Document(
        reunion=reunion,
        title=title or upload.name,
        original_name=upload.name[:255],
        size=upload.size,
        content_type=getattr(upload, "checked_content_type", "application/octet-stream"),
        uploaded_by=by,
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    logger.info("document_add reunion=%s document=%s by=%s", reunion.pk, document.pk, by.pk)
    return document


@transaction.atomic
def document_delete(*, document: Document, by) -> None:
    logger.info("document_delete document=%s by=%s", document.pk, by.pk)
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Reminders -----------------------------------------------------------------------------------------------


def collectif_reminder_offsets(collectif) -> list[int]:
    settings_row = ReunionSettings.objects.filter(collectif=collectif).first()
    return (
        settings_row.reminder_offsets if settings_row and settings_row.reminder_offsets else DEFAULT_REMINDER_OFFSETS
    )


@transaction.atomic
def reunion_settings_update(*, collectif, by, reminder_offsets: list[int]) -> ReunionSettings:
    row, _ = ReunionSettings.objects.update_or_create(
        collectif=collectif, defaults={"reminder_offsets": reminder_offsets}
    )
    logger.info("reunion_settings_update collectif=%s by=%s offsets=%s", collectif.pk, by.pk, reminder_offsets)
    return row


@transaction.atomic
def reunion_reminders_update(*, reunion: Reunion, by, enabled: bool, offsets: list[int] | None, note: str) -> None:
    reunion.reminders_enabled = enabled
    reunion.reminder_offsets = offsets or None
    reunion.reminder_note = note
    reunion.save(update_fields=["reminders_enabled", "reminder_offsets", "reminder_note", "updated_at"])
    logger.info("reunion_reminders_update reunion=%s by=%s", reunion.pk, by.pk)
    reminders_recompute(reunion=reunion)


def reminders_recompute(*, reunion: Reunion) -> None:
    """Arm one row per (person, offset) still due for the reunion as it is now; drop the others.

    Nobody who declined, nobody who turned reminders off, nothing for a cancelled, undated or past meeting,
    nothing whose time has already gone by. A row already sent for the same date stays sent; a row sent for an
    old date is re-armed for the new one (same row: the unique constraint holds)."""
    now = timezone.now()
    wanted: dict[tuple[int, int], datetime] = {}
    if (
        reunion.reminders_enabled
        and reunion.starts_at
        and reunion.starts_at > now
        and reunion.status == Reunion.Status.CONVENED
    ):
        offsets = reunion.reminder_offsets or collectif_reminder_offsets(reunion.collectif)
        invitations = reunion.invitations.exclude(response=Invitation.Response.EXCUSED).filter(
            membership__user__notify_reunion_reminders=True, membership__left_on__isnull=True
        )
        for membership_id in invitations.values_list("membership_id", flat=True):
            for offset in offsets:
                due = reunion.starts_at - timedelta(days=offset)
                if due > now:
                    wanted[(membership_id, offset)] = due
    existing = {(r.membership_id, r.offset_days): r for r in ReminderDue.objects.filter(reunion=reunion)}
    S = ReminderDue.Status
    to_update, to_create = [], []
    for key, due in wanted.items():
        row = existing.get(key)
        if row is None:
            to_create.append(ReminderDue(reunion=reunion, membership_id=key[0], offset_days=key[1], due_at=due))
        elif row.status == S.SENDING or (row.status == S.SENT and row.due_at == due):
            continue
        elif row.status != S.PENDING or row.due_at != due:
            row.status, row.due_at, row.attempts, row.next_attempt_at, row.last_error = S.PENDING, due, 0, None, ""
            to_update.append(row)
    for key, row in existing.items():
        if key not in wanted and row.status in (S.PENDING, S.FAILED):
            row.status = S.SKIPPED
            to_update.append(row)
    ReminderDue.objects.bulk_create(to_create, ignore_conflicts=True)
    ReminderDue.objects.bulk_update(to_update, ["status", "due_at", "attempts", "next_attempt_at", "last_error"])


def reminders_due_ids(*, now: datetime | None = None) -> list[int]:
    """Rows to send now: pending and due (after their backoff), or claimed by a worker whose lease expired."""
    now = now or timezone.now()
    S = ReminderDue.Status
    return list(
        ReminderDue.objects.filter(
            Q(status=S.PENDING, due_at__lte=now) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            | Q(status=S.SENDING, claimed_at__lt=now - REMINDER_LEASE)
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )


def reminders_claim(*, ids: list[int], now: datetime | None = None) -> list[int]:
    """Atomically take rows for this worker: locked rows (another worker's) are skipped, taken rows become
    « sending » before any mail leaves, so two workers never send the same row."""
    now = now or timezone.now()
    S = ReminderDue.Status
    with transaction.atomic():
        claimable = ReminderDue.objects.filter(pk__in=ids).filter(
            Q(status=S.PENDING, due_at__lte=now) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            | Q(status=S.SENDING, claimed_at__lt=now - REMINDER_LEASE)
        )
        claimed = list(claimable.select_for_update(skip_locked=True).values_list("pk", flat=True))
        ReminderDue.objects.filter(pk__in=claimed).update(status=S.SENDING, claimed_at=now)
    return claimed


def _reminder_is_moot(reminder: ReminderDue, now: datetime) -> bool:
    reunion = reminder.reunion
    user = reminder.membership.user
    return (
        user is None
        or not user.notify_reunion_reminders
        or reunion.status != Reunion.Status.CONVENED
        or not reunion.reminders_enabled
        or reunion.starts_at is None
        or reunion.starts_at <= now
        or reminder.membership.left_on is not None
        or reminder.declined
    )


def reminders_send_batch(*, ids: list[int]) -> dict[str, int]:
    """Claim then send the given reminders over one SMTP connection, marking each row sent right after the mail
    server accepted it. A kill between those two steps is the only way a reminder goes out twice (see docs)."""

    now = timezone.now()
    claimed = reminders_claim(ids=ids, now=now)
    counts = {"sent": 0, "skipped": 0, "retry": 0}
    if not claimed:
        return counts
    rows = list(ReminderDue.objects.filter(pk__in=claimed).select_related("reunion__collectif", "membership__user"))
    declined = set(
        Invitation.objects.filter(
            reunion_id__in={r.reunion_id for r in rows}, response=Invitation.Response.EXCUSED
        ).values_list("reunion_id", "membership_id")
    )
    connection = get_connection()
    # One commit per row (the « sent » mark right after the mail server's answer) without waiting for the disk:
    # a killed worker loses nothing (the commit is in PostgreSQL already); only a crash of PostgreSQL itself could
    # forget the last marks of a fraction of a second, and those reminders would go out twice.
    postgresql = db_connection.vendor == "postgresql"
    if postgresql:
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        _send_rows(rows, declined, now, connection, counts)
    finally:
        if postgresql:
            with db_connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
    return counts


def _send_rows(rows, declined, now, connection, counts) -> None:
    from reunions.emails import reminder_message

    S = ReminderDue.Status
    opened = False
    for row in rows:
        row.declined = (row.reunion_id, row.membership_id) in declined
        if _reminder_is_moot(row, now):
            ReminderDue.objects.filter(pk=row.pk).update(status=S.SKIPPED)
            counts["skipped"] += 1
            continue
        try:
            if not opened:
                connection.open()
                opened = True
            reminder_message(row, connection=connection).send()
        except SMTP_ERRORS as exc:
            _reminder_failed(row, exc)
            counts["retry"] += 1
            with contextlib.suppress(SMTP_ERRORS):
                connection.close()
            opened = False
            continue
        ReminderDue.objects.filter(pk=row.pk).update(status=S.SENT, sent_at=timezone.now(), last_error="")
        counts["sent"] += 1
    if opened:
        with contextlib.suppress(SMTP_ERRORS):
            connection.close()


def _reminder_failed(row: ReminderDue, exc: Exception) -> None:
    """Retry later with exponential backoff (2, 4, 8, 16 minutes); after the last attempt the row is « failed »
    and shows on the coordinator's page."""
    attempts = row.attempts + 1
    S = ReminderDue.Status
    status = S.FAILED if attempts >= MAX_REMINDER_ATTEMPTS else S.PENDING
    ReminderDue.objects.filter(pk=row.pk).update(
        status=status,
        attempts=attempts,
        next_attempt_at=timezone.now() + timedelta(minutes=2**attempts),
        last_error=str(exc)[:500],
    )
    logger.warning("reminder_failed reminder=%s attempts=%s error=%s", row.pk, attempts, exc)


@transaction.atomic
def reminder_retry(*, reminder: ReminderDue, by) -> None:
    """A coordinator asks for a failed reminder to be tried again at the next run."""
    ReminderDue.objects.filter(pk=reminder.pk, status=ReminderDue.Status.FAILED).update(
        status=ReminderDue.Status.PENDING, next_attempt_at=None, attempts=0
    )
    logger.info("reminder_retry reminder=%s by=%s", reminder.pk, by.pk)


# --- Date polls ----------------------------------------------------------------------------------------------


@transaction.atomic
def poll_create(
    *, reunion: Reunion, by, deadline: datetime, slots: list[tuple[datetime, datetime]], memberships
) -> DatePoll:
    """Open a date poll: 2 to 10 slots, a deadline, the people concerned (invited, not yet convened)."""
    if not 2 <= len(slots) <= 10:
        raise ValueError("Un sondage propose de 2 à 10 créneaux.")
    poll = DatePoll.objects.create(reunion=reunion, deadline=deadline)
    PollSlot.objects.bulk_create([PollSlot(poll=poll, starts_at=s, ends_at=e) for s, e in slots])
    existing = set(reunion.invitations.values_list("membership_id", flat=True))
    Invitation.objects.bulk_create(
        [Invitation(reunion=reunion, membership=m) for m in memberships if m.pk not in existing], ignore_conflicts=True
    )
    logger.info("poll_create poll=%s reunion=%s by=%s", poll.pk, reunion.pk, by.pk)
    from reunions.tasks import send_poll_email

    ids = list(reunion.invitations.values_list("membership_id", flat=True))
    transaction.on_commit(lambda: [send_poll_email.delay(poll.pk, mid, False) for mid in ids])
    return poll


@transaction.atomic
def poll_vote(*, poll: DatePoll, membership: Membership, answers: dict[int, str]) -> None:
    if poll.status != DatePoll.Status.OPEN:
        raise ValueError("Ce sondage est clos.")
    slot_ids = set(poll.slots.values_list("pk", flat=True))
    for slot_id, answer in answers.items():
        if slot_id in slot_ids and answer in PollVote.Answer.values:
            PollVote.objects.update_or_create(slot_id=slot_id, membership=membership, defaults={"answer": answer})
    logger.info("poll_vote poll=%s membership=%s", poll.pk, membership.pk)


@transaction.atomic
def poll_choose(*, poll: DatePoll, slot: PollSlot, by) -> Reunion:
    """The coordinator picks a slot: the reunion gets its date, the poll closes, everyone concerned is convened."""
    poll = DatePoll.objects.select_for_update().get(pk=poll.pk)
    poll.status, poll.chosen_slot = DatePoll.Status.CLOSED, slot
    poll.save(update_fields=["status", "chosen_slot"])
    reunion = poll.reunion
    reunion.starts_at, reunion.ends_at = slot.starts_at, slot.ends_at
    reunion.save(update_fields=["starts_at", "ends_at", "updated_at"])
    logger.info("poll_choose poll=%s slot=%s by=%s", poll.pk, slot.pk, by.pk)
    reunion_invite(reunion=reunion, by=by, memberships=[])
    return reunion


def poll_send_email(*, poll_id: int, membership_id: int, nudge: bool) -> bool:
    from reunions.emails import simple_message, site_url

    poll = DatePoll.objects.select_related("reunion__collectif").filter(pk=poll_id).first()
    membership = Membership.objects.select_related("user").filter(pk=membership_id).first()
    if poll is None or membership is None or membership.user is None or poll.status != DatePoll.Status.OPEN:
        return False
    if nudge and PollVote.objects.filter(slot__poll=poll, membership=membership).exists():
        return False
    reunion = poll.reunion
    url = site_url() + reunion.get_absolute_url() + "sondage/"
    prefix = "Relance : " if nudge else ""
    simple_message(
        to=membership.user.email,
        subject=f"[{reunion.collectif.name}] {prefix}Vos disponibilités pour « {reunion.title} »",
        template="reunions/email/poll.txt",
        context={"reunion": reunion, "poll": poll, "user": membership.user, "url": url, "nudge": nudge},
    ).send()
    return True


def polls_nudge_due(*, now: datetime | None = None) -> int:
    """One nudge per poll, in the last two days before its deadline, to those who have not answered yet."""
    from reunions.tasks import send_poll_email

    now = now or timezone.now()
    count = 0
    for poll in DatePoll.objects.filter(
        status=DatePoll.Status.OPEN, nudged_at__isnull=True, deadline__gt=now, deadline__lte=now + timedelta(days=2)
    ):
        # The conditional update is the claim: only one run gets 1 back, so nobody is nudged twice.
        if DatePoll.objects.filter(pk=poll.pk, nudged_at__isnull=True).update(nudged_at=now) != 1:
            continue
        voted = set(PollVote.objects.filter(slot__poll=poll).values_list("membership_id", flat=True))
        for membership_id in poll.reunion.invitations.exclude(membership_id__in=voted).values_list(
            "membership_id", flat=True
        ):
            send_poll_email.delay(poll.pk, membership_id, True)
            count += 1
    return count


# --- Minutes -------------------------------------------------------------------------------------------------


@transaction.atomic
def minutes_get_or_create(*, reunion: Reunion) -> Minutes:
    """The minutes start with one section per agenda item (and one for the rest), in the agenda's order."""
    minutes, created = Minutes.objects.get_or_create(reunion=reunion)
    if created:
        items = list(reunion.agenda.all())
        sections = [
            MinutesSection(minutes=minutes, agenda_item=item, title=item.title, position=i)
            for i, item in enumerate(items, start=1)
        ]
        sections.append(MinutesSection(minutes=minutes, title="Questions diverses", position=len(items) + 1))
        MinutesSection.objects.bulk_create(sections)
    return minutes


@transaction.atomic
def minutes_save(*, minutes: Minutes, by, bodies: dict[int, str]) -> None:
    """Save the sections' text, sanitized (paragraphs, lists, links, bold, italic). Adopted minutes are frozen."""
    if minutes.status == Minutes.Status.ADOPTED:
        raise ValueError("Un compte rendu adopté ne se modifie plus ; ouvrez une correction.")
    sections = list(minutes.sections.all())
    for section in sections:
        if section.pk in bodies:
            section.body = sanitize_html(bodies[section.pk])
    MinutesSection.objects.bulk_update(sections, ["body"])
    logger.info("minutes_save minutes=%s by=%s", minutes.pk, by.pk)


@transaction.atomic
def decision_add(*, reunion: Reunion, by, text: str) -> Decision:
    last = reunion.decisions.order_by("-position").values_list("position", flat=True).first()
    decision = Decision.objects.create(reunion=reunion, text=text, position=(last or 0) + 1)
    logger.info("decision_add reunion=%s decision=%s by=%s", reunion.pk, decision.pk, by.pk)
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, by) -> None:
    logger.info("decision_delete decision=%s by=%s", decision.pk, by.pk)
    decision.delete()


@transaction.atomic
def minutes_submit(*, minutes: Minutes, by, comment_days: int) -> Minutes:
    """Submit the draft to the people present, who can comment for `comment_days` days; they get an e-mail."""
    from reunions.tasks import send_notice_email

    minutes.status = Minutes.Status.SUBMITTED
    minutes.comment_days = comment_days
    minutes.submitted_at = timezone.now()
    minutes.comments_until = minutes.submitted_at + timedelta(days=comment_days)
    minutes.save(update_fields=["status", "comment_days", "submitted_at", "comments_until"])
    logger.info("minutes_submit minutes=%s by=%s", minutes.pk, by.pk)
    present = list(
        minutes.reunion.invitations.filter(attendance=Invitation.Attendance.PRESENT).values_list(
            "membership_id", flat=True
        )
    )
    text = (
        f"Le projet de compte rendu de « {minutes.reunion.title} » est soumis aux présents : "
        f"vous pouvez le commenter pendant {comment_days} jours."
    )
    transaction.on_commit(
        lambda: [send_notice_email.delay(minutes.reunion_id, mid, text, "compte-rendu/") for mid in present]
    )
    return minutes


@transaction.atomic
def minutes_comment(*, minutes: Minutes, by, body: str) -> MinutesComment:
    comment = MinutesComment.objects.create(minutes=minutes, author=by, body=body)
    logger.info("minutes_comment minutes=%s by=%s", minutes.pk, by.pk)
    return comment


@transaction.atomic
def minutes_adopt(*, minutes: Minutes, by) -> MinutesVersion:
    """Adopt: the text and the decisions are frozen in a new numbered version; the reunion is « compte rendu
    adopté »."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    sections = list(minutes.sections.all())
    html = render_to_string("reunions/includes/minutes_body.html", {"sections": sections})
    decisions = [d.text for d in minutes.reunion.decisions.all()]
    minutes.version += 1
    minutes.status = Minutes.Status.ADOPTED
    minutes.save(update_fields=["version", "status"])
    version = MinutesVersion.objects.create(
        minutes=minutes, number=minutes.version, html=html, decisions=decisions, adopted_by=by
    )
    Reunion.objects.filter(pk=minutes.reunion_id).update(status=Reunion.Status.MINUTES_ADOPTED)
    logger.info("minutes_adopt minutes=%s version=%s by=%s", minutes.pk, version.number, by.pk)
    return version


@transaction.atomic
def minutes_reopen(*, minutes: Minutes, by) -> Minutes:
    """Start a correction of adopted minutes: the adopted versions stay as they were; the next adoption makes a
    new version."""
    minutes.status = Minutes.Status.DRAFT
    minutes.submitted_at = minutes.comments_until = None
    minutes.save(update_fields=["status", "submitted_at", "comments_until"])
    logger.info("minutes_reopen minutes=%s by=%s", minutes.pk, by.pk)
    return minutes


def secretaries_remind_due(*, now: datetime | None = None) -> int:
    """Three days after a meeting, a secretary who has submitted nothing gets one reminder."""
    from reunions.tasks import send_notice_email

    now = now or timezone.now()
    count = 0
    reunions = Reunion.objects.filter(
        secretary__isnull=False,
        starts_at__lte=now - timedelta(days=3),
        starts_at__gte=now - timedelta(days=30),
        status__in=[Reunion.Status.CONVENED, Reunion.Status.HELD],
    ).exclude(minutes__secretary_reminded_at__isnull=False)
    for reunion in reunions:
        minutes = minutes_get_or_create(reunion=reunion)
        if minutes.status != Minutes.Status.DRAFT or minutes.version > 0:
            continue
        if Minutes.objects.filter(pk=minutes.pk, secretary_reminded_at__isnull=True).update(secretary_reminded_at=now):
            text = (
                f"La réunion « {reunion.title} » a eu lieu il y a trois jours : "
                "son compte rendu attend votre rédaction."
            )
            send_notice_email.delay(reunion.pk, reunion.secretary_id, text, "compte-rendu/")
            count += 1
    return count


def notice_send_email(*, reunion_id: int, membership_id: int, text: str, path: str) -> bool:
    from reunions.emails import simple_message, site_url

    reunion = Reunion.objects.select_related("collectif").filter(pk=reunion_id).first()
    membership = Membership.objects.select_related("user").filter(pk=membership_id).first()
    if reunion is None or membership is None or membership.user is None:
        return False
    simple_message(
        to=membership.user.email,
        subject=f"[{reunion.collectif.name}] {reunion.title}",
        template="reunions/email/notice.txt",
        context={
            "reunion": reunion,
            "user": membership.user,
            "text": text,
            "url": site_url() + reunion.get_absolute_url() + path,
        },
    ).send()
    return True


# --- Groupes de tâches and calendar --------------------------------------------------------------------------


@transaction.atomic
def groupe_save(*, groupe: GroupeDeTaches, by, members) -> GroupeDeTaches:
    groupe.save()
    groupe.members.set(members)
    logger.info("groupe_save groupe=%s by=%s", groupe.pk, by.pk)
    return groupe


@transaction.atomic
def calendar_token_get_or_create(*, user) -> CalendarToken:
    import secrets

    token = CalendarToken.objects.filter(user=user, revoked_at__isnull=True).first()
    if token is None:
        token = CalendarToken.objects.create(user=user, token=secrets.token_urlsafe(32))
        logger.info("calendar_token_create user=%s", user.pk)
    return token


@transaction.atomic
def calendar_token_revoke(*, user) -> CalendarToken:
    """Revoke the current feed URL (it answers 404 from now on) and give a new one."""
    CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    logger.info("calendar_token_revoke user=%s", user.pk)
    return calendar_token_get_or_create(user=user)
