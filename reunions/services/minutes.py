"""Minutes: draft, decisions, submission to the people present, comments, adoption, correction; the notices."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.html import sanitize_html
from core.outbox import mail_queue_message
from membres.models import Membership, User
from reunions.models import (
    Decision,
    Invitation,
    Minutes,
    MinutesComment,
    MinutesSection,
    MinutesVersion,
    Reunion,
)

logger = logging.getLogger(__name__)


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
        sections.append(MinutesSection(minutes=minutes, title=_("Questions diverses"), position=len(items) + 1))
        MinutesSection.objects.bulk_create(sections)
    return minutes


@transaction.atomic
def minutes_save(*, minutes: Minutes, by: User, bodies: dict[int, str]) -> None:
    """Save the sections' text, sanitized (paragraphs, lists, links, bold, italic). Adopted minutes are frozen."""
    if minutes.status == Minutes.Status.ADOPTED:
        raise ValueError(_("Un compte rendu adopté ne se modifie plus ; ouvrez une correction."))
    sections = list(minutes.sections.all())
    for section in sections:
        if section.pk in bodies:
            section.body = sanitize_html(bodies[section.pk])
    MinutesSection.objects.bulk_update(sections, ["body"])
    logger.info("minutes_save minutes=%s by=%s", minutes.pk, by.pk)


def _refuse_if_adopted(reunion: Reunion) -> None:
    if Minutes.objects.filter(reunion=reunion, status=Minutes.Status.ADOPTED).exists():
        raise ValueError(_("Un compte rendu adopté ne se modifie plus ; ouvrez une correction."))


@transaction.atomic
def decision_add(*, reunion: Reunion, by: User, text: str) -> Decision:
    """A decision of the meeting, while its minutes are not adopted (adopted minutes change only by correction)."""
    _refuse_if_adopted(reunion)
    last = reunion.decisions.order_by("-position").values_list("position", flat=True).first()
    decision = Decision.objects.create(reunion=reunion, text=text, position=(last or 0) + 1)
    logger.info("decision_add reunion=%s decision=%s by=%s", reunion.pk, decision.pk, by.pk)
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, by: User) -> None:
    """Remove a decision of minutes not yet adopted, unless it opened an action (it stays as the action's origin)."""
    _refuse_if_adopted(decision.reunion)
    if decision.actions.exists():
        raise ValueError(_("Cette décision a ouvert une action : elle reste, pour que l'action garde son origine."))
    logger.info("decision_delete decision=%s by=%s", decision.pk, by.pk)
    decision.delete()


@transaction.atomic
def minutes_submit(*, minutes: Minutes, by: User, comment_days: int) -> Minutes:
    """Submit the draft to the people present, who can comment for `comment_days` days; they get an e-mail."""
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
    text = _(
        "Le projet de compte rendu de « %(title)s » est soumis aux présents : "
        "vous pouvez le commenter pendant %(days)s jours."
    ) % {"title": minutes.reunion.title, "days": comment_days}
    for membership_id in present:
        notice_queue_email(
            key=f"reunion-minutes-submitted:{minutes.pk}:{minutes.submitted_at.timestamp():.0f}:{membership_id}",
            reunion=minutes.reunion,
            membership_id=membership_id,
            text=text,
            path="compte-rendu/",
        )
    return minutes


@transaction.atomic
def minutes_comment(*, minutes: Minutes, by: User, body: str) -> MinutesComment:
    comment = MinutesComment.objects.create(minutes=minutes, author=by, body=body)
    logger.info("minutes_comment minutes=%s by=%s", minutes.pk, by.pk)
    return comment


@transaction.atomic
def minutes_adopt(*, minutes: Minutes, by: User) -> MinutesVersion:
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
def minutes_reopen(*, minutes: Minutes, by: User) -> Minutes:
    """Start a correction of adopted minutes: the adopted versions stay as they were; the next adoption makes a
    new version."""
    minutes.status = Minutes.Status.DRAFT
    minutes.submitted_at = minutes.comments_until = None
    minutes.save(update_fields=["status", "submitted_at", "comments_until"])
    logger.info("minutes_reopen minutes=%s by=%s", minutes.pk, by.pk)
    return minutes


def secretaries_remind_due(*, now: datetime | None = None) -> int:
    """Three days after a meeting, a secretary who has submitted nothing gets one reminder."""
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
        # The conditional update is the claim; the reminder is queued in the outbox in the same transaction.
        with transaction.atomic():
            if not Minutes.objects.filter(pk=minutes.pk, secretary_reminded_at__isnull=True).update(
                secretary_reminded_at=now
            ):
                continue
            text = _(
                "La réunion « %(title)s » a eu lieu il y a trois jours : son compte rendu attend votre rédaction."
            ) % {"title": reunion.title}
            notice_queue_email(
                key=f"reunion-secretary-reminder:{reunion.pk}:{reunion.secretary_id}",
                reunion=reunion,
                membership_id=reunion.secretary_id,
                text=text,
                path="compte-rendu/",
            )
            count += 1
    return count


def notice_queue_email(*, key: str, reunion: Reunion, membership_id: int, text: str, path: str) -> bool:
    """Queue a notice about a reunion to one person in the outbox, once per `key`."""
    from reunions.emails import simple_message, site_url

    membership = Membership.objects.select_related("user").filter(pk=membership_id).first()
    if reunion is None or membership is None or membership.user is None or not membership.is_active:
        return False
    message = simple_message(
        to=membership.user.email,
        subject=_("[%(collectif)s] %(title)s") % {"collectif": reunion.collectif.name, "title": reunion.title},
        template="reunions/email/notice.txt",
        context={
            "reunion": reunion,
            "user": membership.user,
            "text": text,
            "url": site_url() + reunion.get_absolute_url() + path,
        },
    )
    return mail_queue_message(key=key, message=message, reunion_id=reunion.pk, collectif_id=reunion.collectif_id)


@shared_task(name="reunions.tasks.send_notice_email")
def send_notice_email(reunion_id: int, membership_id: int, text: str, path: str) -> bool:
    """Kept for the messages queued by a version before the outbox: the mail goes through the outbox."""
    import hashlib

    with transaction.atomic():
        reunion = Reunion.objects.select_related("collectif").filter(pk=reunion_id).first()
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        return reunion is not None and notice_queue_email(
            key=f"reunion-notice:{reunion_id}:{membership_id}:{digest}",
            reunion=reunion,
            membership_id=membership_id,
            text=text,
            path=path,
        )
