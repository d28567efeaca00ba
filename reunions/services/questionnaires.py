"""The questionnaire after a meeting: the organiser picks a few questions of the catalogue; the day after the reunion
each person marked present (member, registrant, walk-in with an e-mail) gets one e-mail with a personal link (the
token kept as its SHA-256 only, one answer per link, until the questionnaire closes, no account needed).

Anonymity is real, not a display choice: an answer (`Reponse`) has no foreign key to the link or the person and no
timestamp; the link is only marked `used`, without a time. Nothing logged when answering names the link or the
person. What is left (the order of the database's own transactions, the web server's access log at the moment of
answering) is only within reach of whoever runs the servers."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, time, timedelta

from celery import shared_task
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.outbox import mail_queue
from membres.models import User
from reunions.emails import site_url
from reunions.models import Invitation, Questionnaire, QuestionnaireInvite, Registration, Reponse, Reunion

logger = logging.getLogger(__name__)

# The links work this many days after they were sent.
RESPONSE_DAYS = 14
# The questionnaire leaves the day after the meeting, from this hour (Paris time)...
SEND_HOUR = 9
# ...and no longer once the meeting is this old (attendance recorded very late: too late to ask).
SEND_WITHIN_DAYS = 30
MAX_QUESTIONS = len(Questionnaire.Question.values)
MAX_COMMENT = 2000

S = QuestionnaireInvite.Status


class QuestionnaireError(ValueError):
    """A change the questionnaire refuses, with its French message."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def questionnaire_send_at(reunion: Reunion) -> datetime | None:
    """The morning after the meeting (Paris time): when the links leave."""
    if reunion.starts_at is None:
        return None
    day = timezone.localdate(reunion.starts_at) + timedelta(days=1)
    return datetime.combine(day, time(SEND_HOUR), tzinfo=timezone.get_current_timezone())


def questionnaire_can_still_be_sent(reunion: Reunion, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(
        reunion.starts_at and not reunion.is_cancelled and reunion.starts_at > now - timedelta(days=SEND_WITHIN_DAYS)
    )


@transaction.atomic
def questionnaire_open(*, reunion: Reunion, by: User, questions: list[str]) -> Questionnaire:
    """Open the questionnaire of a reunion, or change its questions until the first links have left (those who
    answered must all have been asked the same questions)."""
    valid = [code for code in Questionnaire.Question.values if code in questions]
    if not valid:
        raise QuestionnaireError(_("Choisissez au moins une question."))
    questionnaire, created = Questionnaire.objects.select_for_update().get_or_create(
        reunion=reunion, defaults={"questions": valid}
    )
    if not created and questionnaire.questions != valid:
        if questionnaire.invites.filter(status=S.SENT).exists():
            raise QuestionnaireError(_("Le questionnaire est déjà parti : ses questions ne changent plus."))
        questionnaire.questions = valid
        questionnaire.save(update_fields=["questions"])
    logger.info("questionnaire_open reunion=%s by=%s created=%s", reunion.pk, by.pk, created)
    return questionnaire


def _arm_invites(questionnaire: Questionnaire) -> None:
    """One row per person marked present (the unique constraints keep it to one, however often this runs; someone
    marked present later gets their row at the next run)."""
    reunion = questionnaire.reunion
    members = Invitation.objects.filter(
        reunion=reunion,
        attendance=Invitation.Attendance.PRESENT,
        membership__user__is_active=True,
    ).exclude(membership__user__email="")
    registrants = (
        Registration.objects.filter(
            reunion=reunion, attended=True, status=Registration.Status.CONFIRMED, erased_at__isnull=True
        )
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    rows = [
        QuestionnaireInvite(questionnaire=questionnaire, membership_id=pk)
        for pk in members.values_list("membership_id", flat=True)
    ]
    rows += [QuestionnaireInvite(questionnaire=questionnaire, registration_id=pk) for pk in registrants]
    QuestionnaireInvite.objects.bulk_create(rows, ignore_conflicts=True)


def _invite_mail(invite: QuestionnaireInvite, token: str, questionnaire: Questionnaire) -> tuple[str, str, str, str]:
    """(address, name, subject, body) of the e-mail carrying the link."""
    reunion = questionnaire.reunion
    if invite.membership_id:
        user = invite.membership.user
        to, name = user.email, user.get_full_name() or user.email
    else:
        to, name = invite.registration.email, invite.registration.name
    context = {
        "name": name,
        "reunion": reunion,
        "questions": [label for _code, label in questionnaire.question_labels],
        "url": site_url() + reverse("reunions:questionnaire_answer", kwargs={"token": token}),
        "closes_at": questionnaire.closes_at,
    }
    subject = _("[%(collectif)s] Votre avis sur « %(title)s »") % {
        "collectif": reunion.collectif.name,
        "title": reunion.title,
    }
    return to, name, subject, render_to_string("reunions/email/questionnaire.txt", context)


def questionnaire_send(*, questionnaire: Questionnaire, now: datetime | None = None) -> int:
    """Arm the rows, then claim the pending ones (locked, others' locked rows skipped) and queue one e-mail each,
    marking them « sent » in the same transaction: a second run, or two workers at once, send nothing twice."""
    now = now or timezone.now()
    _arm_invites(questionnaire)
    with transaction.atomic():
        claimed = list(
            QuestionnaireInvite.objects.filter(questionnaire=questionnaire, status=S.PENDING)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        if not claimed:
            return 0
        if questionnaire.closes_at is None:
            questionnaire.closes_at = now + timedelta(days=RESPONSE_DAYS)
            Questionnaire.objects.filter(pk=questionnaire.pk).update(closes_at=questionnaire.closes_at)
        rows = list(
            QuestionnaireInvite.objects.filter(pk__in=claimed).select_related("membership__user", "registration")
        )
        for row in rows:
            token = secrets.token_urlsafe(32)
            row.token_hash, row.status = hash_token(token), S.SENT
            to, _name, subject, body = _invite_mail(row, token, questionnaire)
            mail_queue(
                key=f"questionnaire-invite:{row.pk}",
                to=to,
                subject=subject,
                body=body,
                reunion_id=questionnaire.reunion_id,
                collectif_id=questionnaire.reunion.collectif_id,
                erase_after_send=True,  # the token is kept hashed only: the outbox forgets it once sent
            )
        QuestionnaireInvite.objects.bulk_update(rows, ["token_hash", "status"])
    logger.info("questionnaire_send questionnaire=%s sent=%s", questionnaire.pk, len(rows))
    return len(rows)


def questionnaires_send_due(*, now: datetime | None = None) -> int:
    """Every questionnaire whose reunion was held, from the morning after it, while its links are open."""
    now = now or timezone.now()
    candidates = (
        Questionnaire.objects.filter(
            reunion__status__in=[Reunion.Status.HELD, Reunion.Status.MINUTES_ADOPTED],
            reunion__starts_at__lt=now,
            reunion__starts_at__gt=now - timedelta(days=SEND_WITHIN_DAYS),
        )
        .exclude(closes_at__lte=now)
        .select_related("reunion__collectif")
    )
    sent = 0
    for questionnaire in candidates:
        if now >= questionnaire_send_at(questionnaire.reunion):
            sent += questionnaire_send(questionnaire=questionnaire, now=now)
    return sent


class AnswerRefused(Exception):
    """The link has already served, or the questionnaire is closed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def questionnaire_answer(*, invite: QuestionnaireInvite, scores: dict[str, int], comment: str) -> None:
    """Record one anonymous answer and mark the link used, under the link's row lock (two submissions of one link
    give one answer). The person acts for themselves, with no account: there is no `by`. Nothing logged names the
    link or the person."""
    locked = QuestionnaireInvite.objects.select_for_update().select_related("questionnaire").get(pk=invite.pk)
    questionnaire = locked.questionnaire
    if locked.used:
        raise AnswerRefused("used")
    if questionnaire.is_closed:
        raise AnswerRefused("closed")
    asked = set(questionnaire.questions)
    clean = {code: int(v) for code, v in scores.items() if code in asked and v is not None and 1 <= int(v) <= 5}
    Reponse.objects.create(questionnaire=questionnaire, scores=clean, comment=comment.strip()[:MAX_COMMENT])
    QuestionnaireInvite.objects.filter(pk=locked.pk).update(used=True)
    logger.info("questionnaire_answer questionnaire=%s", questionnaire.pk)


@shared_task(name="reunions.tasks.questionnaires_beat")
def questionnaires_beat() -> dict[str, int]:
    """Every hour (CELERY_BEAT_SCHEDULE): the questionnaires due the morning after their reunion."""
    return {"sent": questionnaires_send_due()}
