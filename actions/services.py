"""Writes on actions and their journals. Every state change is logged with the acting user's id."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from actions import hooks
from actions.models import Action, FollowupNudge, JournalEntry, JournalEntryVersion
from core.outbox import mail_queue_message
from membres.models import Membership, User

logger = logging.getLogger(__name__)

FOLLOWUP_SILENCE_DAYS = 30


def _check_referents(collectif, referents) -> None:
    allowed = set(
        Membership.objects.active()
        .filter(collectif=collectif, role__in=[Membership.Role.COORDINATOR, Membership.Role.MEMBER])
        .values_list("user_id", flat=True)
    )
    outsiders = [u for u in referents if u.pk not in allowed]
    if outsiders:
        raise ValidationError(_("Les référents doivent être membres du collectif."))


@transaction.atomic
def action_create(
    *,
    collectif,
    by: User,
    title: str,
    description: str = "",
    status: str = Action.Status.IDEA,
    target_public: str = "",
    lead_institution=None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    origin=None,
    themes=(),
    dispositifs=(),
    partner_institutions=(),
    referents=(),
) -> Action:
    """Log an action of the collectif. A new action cannot start as abandonnée (there is nothing to abandon)."""
    if status == Action.Status.ABANDONED:
        raise ValidationError(_("Une nouvelle action ne peut pas être abandonnée."))
    if origin is not None and origin.reunion.collectif_id != collectif.pk:
        raise ValidationError(_("La décision d'origine appartient à un autre collectif."))
    referents = list(referents)
    _check_referents(collectif, referents)
    action = Action.objects.create(
        collectif=collectif,
        created_by=by,
        title=title,
        description=description,
        status=status,
        target_public=target_public,
        lead_institution=lead_institution,
        starts_on=starts_on,
        ends_on=ends_on,
        origin=origin,
    )
    action.themes.set(themes)
    action.dispositifs.set(dispositifs)
    action.partner_institutions.set(partner_institutions)
    action.referents.set(referents)
    logger.info("action_create action=%s collectif=%s user=%s", action.pk, collectif.pk, by.pk)
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    by: User,
    title: str,
    description: str,
    target_public: str,
    lead_institution,
    starts_on: date | None,
    ends_on: date | None,
    themes,
    dispositifs,
    partner_institutions,
    referents,
) -> Action:
    """Edit an action's description (the status changes through `action_change_status`)."""
    referents = list(referents)
    _check_referents(action.collectif, referents)
    action.title = title
    action.description = description
    action.target_public = target_public
    action.lead_institution = lead_institution
    action.starts_on = starts_on
    action.ends_on = ends_on
    action.save(
        update_fields=[
            "title",
            "description",
            "target_public",
            "lead_institution",
            "starts_on",
            "ends_on",
            "updated_at",
        ]
    )
    action.themes.set(themes)
    action.dispositifs.set(dispositifs)
    action.partner_institutions.set(partner_institutions)
    action.referents.set(referents)
    logger.info("action_update action=%s user=%s", action.pk, by.pk)
    return action


@transaction.atomic
def action_change_status(*, action: Action, by: User, status: str, reason: str = "") -> Action:
    """Move an action forward (idée → en préparation → en cours → réalisée, steps may be skipped) or abandon it
    with a reason. Going back, or moving a réalisée or abandonnée action, is refused."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if status not in action.allowed_next_statuses():
        raise ValidationError(
            _("Une action passe de « %(old)s » seulement à une étape suivante ou à « abandonnée ».")
            % {"old": action.get_status_display()}
        )
    reason = reason.strip()
    if status == Action.Status.ABANDONED and not reason:
        raise ValidationError(_("Indiquez pourquoi l'action est abandonnée."))
    previous = action.status
    action.status = status
    action.abandon_reason = reason if status == Action.Status.ABANDONED else ""
    update_fields = ["status", "abandon_reason", "updated_at"]
    if status == Action.Status.IN_PROGRESS and action.starts_on is None:
        action.starts_on = timezone.localdate()
        update_fields.append("starts_on")
    if status in (Action.Status.DONE, Action.Status.ABANDONED) and action.ends_on is None:
        action.ends_on = timezone.localdate()
        update_fields.append("ends_on")
    action.save(update_fields=update_fields)
    logger.info("action_change_status action=%s %s->%s user=%s", action.pk, previous, status, by.pk)
    return action


@transaction.atomic
def journal_entry_add(
    *, action: Action, by: User, kind: str, text: str, entry_date: date | None = None, attachment=None
) -> JournalEntry:
    """Add a dated entry to an action's journal (the attachment was checked by the form)."""
    entry = JournalEntry(action=action, author=by, kind=kind, text=text, date=entry_date or timezone.localdate())
    if attachment is not None:
        entry.attachment_name = attachment.name[:255]
        entry.attachment = attachment
    entry.save()
    logger.info("journal_entry_add entry=%s action=%s user=%s", entry.pk, action.pk, by.pk)
    return entry


@transaction.atomic
def journal_entry_edit(*, entry: JournalEntry, by: User, kind: str, text: str, entry_date: date) -> JournalEntry:
    """Amend an entry; its previous text is kept as a version (edits are kept, never overwritten)."""
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if (entry.kind, entry.text, entry.date) == (kind, text, entry_date):
        return entry
    JournalEntryVersion.objects.create(entry=entry, kind=entry.kind, date=entry.date, text=entry.text, edited_by=by)
    entry.kind, entry.text, entry.date = kind, text, entry_date
    entry.updated_at = timezone.now()
    entry.save(update_fields=["kind", "text", "date", "updated_at"])
    logger.info("journal_entry_edit entry=%s user=%s", entry.pk, by.pk)
    return entry


def silent_actions(today: date):
    """Actions en cours without a journal entry for 30 days (an action with no entry counts from its creation)."""
    cutoff = today - timedelta(days=FOLLOWUP_SILENCE_DAYS)
    return (
        Action.objects.filter(status=Action.Status.IN_PROGRESS)
        .annotate(last_entry=Max("journal__date"))
        .filter(Q(last_entry__lt=cutoff) | Q(last_entry__isnull=True, created_at__date__lt=cutoff))
    )


def followup_nudges_send(*, today: date | None = None) -> int:
    """Send each referent of silent actions ONE digest « Où en êtes-vous ? » per month, unless they opted out.

    The (user, month) row is created in the same transaction as the sending: a second run in the month finds it
    and sends nothing; a failed sending rolls it back so that the next run tries again. Returns the digests sent.
    """
    today = today or timezone.localdate()
    month = today.replace(day=1)
    through = Action.referents.through
    rows = (
        through.objects.filter(
            action__in=silent_actions(today).values("pk"),
            user__is_active=True,
            user__notify_action_followups=True,
        )
        .filter(
            # still a member of the action's collectif: a former member is not asked about it
            user__memberships__left_on__isnull=True,
            user__memberships__role__in=[Membership.Role.COORDINATOR, Membership.Role.MEMBER],
            user__memberships__collectif=F("action__collectif"),
        )
        .select_related("action__collectif", "user")
        .order_by("user_id", "action__title")
        .distinct()
    )
    by_user: dict = defaultdict(list)
    users = {}
    for row in rows:
        users[row.user_id] = row.user
        by_user[row.user_id].append(row.action)
    already = set(FollowupNudge.objects.filter(month=month, user_id__in=users).values_list("user_id", flat=True))
    sent = 0
    for user_id, actions in by_user.items():
        if user_id in already:
            continue
        try:
            with transaction.atomic():
                FollowupNudge.objects.create(user_id=user_id, month=month, action_count=len(actions))
                _queue_digest(users[user_id], actions, month)
        except IntegrityError:
            continue  # another run sent it in the meantime
        logger.info("followup_nudge_send user=%s month=%s actions=%s", user_id, month, len(actions))
        sent += 1
    return sent


def _queue_digest(user, actions: list[Action], month) -> None:
    """Queued in the outbox in the transaction that records the month's nudge: one digest per person and month."""
    context = {
        "user": user,
        "actions": [(a, settings.SITE_URL + a.get_absolute_url() + "#journal") for a in actions],
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=_("Où en êtes-vous ? %(count)s action(s) à mettre à jour") % {"count": len(actions)},
        body=render_to_string("actions/email/followup.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("actions/email/followup.html", context), "text/html")
    mail_queue_message(key=f"action-digest:{user.pk}:{month:%Y-%m}", message=message)


@transaction.atomic
def action_capitalise(*, action: Action, by: User):
    """Draft a fiche expérience from an action that worked (capitalisation), once.

    The action's description becomes « L'idée de départ » and its journal « Ce qui se passe »; the draft lands on
    the CRPV editors' desk. Asking twice returns the fiche already drafted: the action row is locked meanwhile.
    """
    from django.utils.html import escape, linebreaks

    Action.objects.select_for_update().filter(pk=action.pk).first()
    existing = hooks.capitalised_fiche(action.pk)
    if existing is not None:
        return existing
    drafters = list(hooks.fiche_draft_from_action)
    if not drafters:
        raise ImproperlyConfigured("No app registered in actions.hooks.fiche_draft_from_action.")
    entries = action.journal.select_related("author").order_by("date", "pk")
    items = [
        f"<li><strong>{entry.date:%d/%m/%Y} — {escape(entry.get_kind_display())}</strong> : {escape(entry.text)}</li>"
        for entry in entries
    ]
    journal_html = f"<ul>{''.join(items)}</ul>" if items else ""
    fiche = drafters[0](
        action=action, description_html=linebreaks(escape(action.description)), journal_html=journal_html, by=by
    )
    logger.info("action %s capitalised as fiche %s by user %s", action.pk, fiche.pk, by.pk)
    return fiche
