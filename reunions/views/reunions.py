"""Reunions: lists (upcoming and past, month), one reunion's page, create, change, cancel, invite, answer."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.selectors import open_actions
from collectifs import calendrier
from collectifs.access import MANAGE, READ, WRITE, collectif_view
from core.choices import choice_labels
from core.dates import DateLabels
from core.models import OutboxMessage
from core.pagecache import cached_page
from core.templatetags.schoolyear import school_year_label
from membres.models import person_name
from reunions import charts, permissions
from reunions.access import my_invitation_for, reunion_for
from reunions.forms import AudienceForm, ReunionForm
from reunions.hooks import agenda_proposals, atelier_restitutions, reunion_sections
from reunions.models import Invitation, ReminderDue, Reunion
from reunions.selectors import mail_stats, questionnaire_results, reminder_stats
from reunions.services import reunions as services
from reunions.views.common import ctx, decision_action_url, to_detail

PAGE_SIZE = 20
OPEN_ACTIONS_SHOWN = 30


def reunion_rows(reunions, collectif) -> list[dict]:
    """What each row of a list of reunions shows, computed once per page: the status and kind labels translated
    once (a model's `get_*_display` translates every choice at each call), dates formatted by `DateLabels`, and
    the link built from the list's URL (`reunions:detail` is the list's URL followed by the pk)."""
    statuses = {value: str(label) for value, label in Reunion.Status.choices}
    kinds = {value: str(label) for value, label in Reunion.Kind.choices}
    dates = DateLabels()
    prefix = reverse("reunions:list", kwargs={"collectif_slug": collectif.slug})
    return [
        {
            "pk": r.pk,
            "url": f"{prefix}{r.pk}/",
            "title": r.title,
            "status": r.status,
            "status_label": statuses.get(r.status, r.status),
            "kind_label": kinds.get(r.kind, r.kind),
            "groupe": r.groupe.name if r.groupe_id else "",
            "starts_iso": dates.iso(r.starts_at) if r.starts_at else "",
            "starts_label": dates.long(r.starts_at) if r.starts_at else "",
            "place": r.place,
            "video": bool(r.video_url),
            "invited": r.invited,
            "school_year": school_year_label(r.starts_at),
        }
        for r in reunions
    ]


@collectif_view(READ)
@cached_page
def reunion_list(request):
    reunions = Reunion.objects.filter(collectif=request.access.collectif)
    now = timezone.now()
    is_upcoming, is_past = Q(starts_at__gte=now) | Q(starts_at__isnull=True), Q(starts_at__lt=now)
    # Both sections' sizes in one query on the reunions alone (a paginator would count each through the join).
    counts = reunions.aggregate(upcoming=Count("pk", filter=is_upcoming), past=Count("pk", filter=is_past))
    # Invitations counted for the rows shown only (a correlated subquery, evaluated after the LIMIT), not
    # grouped over every reunion of the collectif.
    invited = (
        Invitation.objects.filter(reunion=OuterRef("pk"))
        .order_by()
        .values("reunion")
        .annotate(n=Count("pk"))
        .values("n")
    )
    base = reunions.select_related("groupe").annotate(invited=Coalesce(Subquery(invited), 0))
    upcoming = base.filter(is_upcoming).order_by("starts_at", "pk")
    past = base.filter(is_past).order_by("-starts_at", "-pk")
    pages = {}
    for name, queryset, param in (("upcoming", upcoming, "a_venir"), ("past", past, "passees")):
        paginator = Paginator(queryset, PAGE_SIZE)
        paginator.count = counts[name]
        page = paginator.get_page(request.GET.get(param))
        page.object_list = reunion_rows(page.object_list, request.access.collectif)
        pages[name] = page
    return render(request, "reunions/list.html", ctx(request, **pages, today=timezone.localdate()))


# The month view shows these years; a month outside them (?mois=9999-12, ?mois=1-1) shows the current month, so
# that « previous » and « next » never step out of what dates can hold.
MONTH_YEARS = range(1900, 2201)


def month_asked(value: str, today: date) -> date:
    """The first day of the `AAAA-MM` month asked for, or of the current month when it is malformed or too far."""
    try:
        year, month = (int(x) for x in value.split("-"))
        if year in MONTH_YEARS:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


@collectif_view(READ)
@cached_page
def reunion_month(request):
    today = timezone.localdate()
    first = month_asked(request.GET.get("mois", "")[:20], today)
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
    following = (first + timedelta(days=32)).replace(day=1)
    end = datetime.combine(following, datetime.min.time(), tzinfo=tz)
    # Each reunion as the plain values its link shows (about a hundred a month): the link built from the list's URL,
    # the time formatted here, instead of a {% url %} and a |time per reunion.
    by_day: dict[date, list[dict]] = {}
    in_month = Reunion.objects.filter(collectif=request.access.collectif, starts_at__gte=start, starts_at__lt=end)
    prefix = reverse("reunions:list", kwargs={"collectif_slug": request.access.collectif.slug})
    for pk, starts_at, title, status in in_month.order_by("starts_at").values_list(
        "pk", "starts_at", "title", "status"
    ):
        local = timezone.localtime(starts_at, tz)
        by_day.setdefault(local.date(), []).append(
            {
                "url": f"{prefix}{pk}/",
                "time": f"{local:%H:%M}",
                "title": title,
                "cancelled": status == Reunion.Status.CANCELLED,
            }
        )
    weeks = [
        [
            {"day": d, "in_month": d.month == first.month, "reunions": by_day.get(d, []), "today": d == today}
            for d in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    shaded = calendrier.day_labels(request.access.collectif, weeks[0][0]["day"], weeks[-1][-1]["day"])
    for week in weeks:
        for cell in week:
            cell["calendar_label"] = shaded.get(cell["day"], "")
    previous = (first - timedelta(days=1)).replace(day=1)
    return render(
        request,
        "reunions/month.html",
        ctx(
            request,
            month=first,
            weeks=weeks,
            previous=f"{previous:%Y-%m}",
            next=f"{following:%Y-%m}",
            count=sum(len(v) for v in by_day.values()),
        ),
    )


def _mail_tables(request) -> list[str]:
    """A coordinator's view of a reunion shows its e-mails and reminders: kept while their tables are unchanged too
    (core.pagecache follows them apart, as the workers write them all day)."""
    if permissions.can_manage_reunions(request.access):
        return [OutboxMessage._meta.db_table, ReminderDue._meta.db_table]
    return []


@collectif_view(READ)
@cached_page(tables=_mail_tables)
def reunion_detail(request, pk: int):
    access = request.access
    reunion = reunion_for(access, pk, "groupe", "secretary__user", "minutes", "poll", "questionnaire")
    # One row per invitee, as plain values (no model rows): name, institution, answer, attendance.
    invitations = list(
        reunion.invitations.order_by("membership__user__last_name", "membership__user__first_name", "pk").values_list(
            "pk",
            "membership_id",
            "response",
            "attendance",
            "membership__user_id",
            "membership__user__first_name",
            "membership__user__last_name",
            "membership__user__email",
            "membership__institution__name",
        )
    )
    my_membership = access.membership.pk if access.membership else None
    mine = next(
        (
            Invitation(pk=pk, reunion=reunion, membership_id=membership_id, response=response, attendance=attendance)
            for pk, membership_id, response, attendance, *_rest in invitations
            if my_membership is not None and membership_id == my_membership
        ),
        None,
    )
    decisions = [
        {"decision": d, "action_url": decision_action_url(reunion.collectif, d)} for d in reunion.decisions.all()
    ]
    responses = choice_labels(Invitation, "response")
    attendances = choice_labels(Invitation, "attendance")
    former_member = str(_("ancien membre"))
    invitation_rows = [
        {
            "name": person_name(first_name, last_name, email) if user_id else former_member,
            "institution": institution or "",
            "response": responses.get(response, response),
            "attendance": attendances.get(attendance, attendance),
        }
        for _pk, _m, response, attendance, user_id, first_name, last_name, email, institution in invitations
    ]
    counts = dict.fromkeys(("invite", "present", "excuse"), 0)
    for _pk, _m, response, *_rest in invitations:
        counts[response] = counts.get(response, 0) + 1
    can_manage = permissions.can_manage_reunions(access)
    questionnaire = getattr(reunion, "questionnaire", None)
    results = questionnaire_results(questionnaire) if questionnaire else None
    # A plénière still to come lists the collectif's open actions beside its agenda, so that each one can be
    # followed up there (one query; the actions app owns the selection). An atelier lists its restitutions
    # (given by the restitutions app through a hook).
    follow_up = []
    restitutions = []
    if reunion.kind == Reunion.Kind.ATELIER:
        restitutions = [r for found in atelier_restitutions.call(reunion) for r in found]
    if reunion.kind == Reunion.Kind.PLENIERE and reunion.status in (
        Reunion.Status.TO_SCHEDULE,
        Reunion.Status.CONVENED,
    ):
        follow_up = list(open_actions(reunion.collectif).prefetch_related(None)[:OPEN_ACTIONS_SHOWN])
        statuses = choice_labels(type(follow_up[0]), "status") if follow_up else {}
        # links built from the list's URL (`actions:detail` is it followed by the pk), not one reverse() per row
        actions_prefix = reverse("actions:list", kwargs={"collectif_slug": reunion.collectif.slug})
        for action in follow_up:
            action.status_label = statuses.get(action.status, action.status)
            action.url = f"{actions_prefix}{action.pk}/"
    # The reunion's own links, built once: the agenda's and documents' rows add their pk to them.
    reunion_url = reunion.get_absolute_url()
    return render(
        request,
        "reunions/detail.html",
        ctx(
            request,
            reunion=reunion,
            reunion_url=reunion_url,
            agenda=list(reunion.agenda.all()),
            open_actions=follow_up,
            restitutions=restitutions,
            documents=list(reunion.documents.all()),
            # What the apps above add (core.hooks): rendered HTML, each already access-checked by its app.
            extra_sections=reunion_sections.sections(request, reunion),
            agenda_extra=agenda_proposals.sections(request, reunion),
            invitations=invitations,
            invitation_rows=invitation_rows,
            mine=mine,
            counts=counts,
            decisions=decisions,
            minutes=getattr(reunion, "minutes", None),
            poll=getattr(reunion, "poll", None),
            questionnaire=questionnaire,
            results=results,
            result_charts=[(q, charts.score_chart(q), charts.mean_label(q.mean)) for q in results.questions]
            if results
            else [],
            can_manage=can_manage,
            can_edit_minutes=permissions.can_edit_minutes(access, reunion),
            can_upload=permissions.can_upload_document(access),
            reminder_stats=reminder_stats(reunion) if can_manage else {},
            mail_stats=mail_stats(reunion) if can_manage else {},
        ),
    )


@collectif_view(MANAGE)
def reunion_create(request):
    collectif = request.access.collectif
    initial = {"kind": request.GET.get("type", Reunion.Kind.PLENIERE), "groupe": request.GET.get("groupe")}
    form = ReunionForm(request.POST or None, collectif=collectif, initial=initial)
    if request.method == "POST" and form.is_valid():
        reunion = services.reunion_create(collectif=collectif, by=request.user, **form.cleaned_data)
        messages.success(request, _("Réunion créée. Invitez maintenant les participants ou proposez des dates."))
        calendrier.warn_date(request, collectif, reunion.starts_at, reunion.ends_at)
        return to_detail(reunion)
    return render(request, "reunions/form.html", ctx(request, form=form, reunion=None))


@collectif_view(MANAGE)
def reunion_update(request, pk: int):
    reunion = reunion_for(
        request.access,
        pk,
        rule=permissions.can_update_reunion,
        message=_("Une réunion annulée ne se modifie plus."),
    )
    form = ReunionForm(request.POST or None, instance=Reunion.objects.get(pk=reunion.pk), collectif=reunion.collectif)
    if request.method == "POST" and form.is_valid():
        services.reunion_update(reunion=reunion, by=request.user, **form.cleaned_data)
        messages.success(request, _("Réunion enregistrée."))
        calendrier.warn_date(
            request, reunion.collectif, form.cleaned_data.get("starts_at"), form.cleaned_data.get("ends_at")
        )
        return to_detail(reunion)
    return render(request, "reunions/form.html", ctx(request, form=form, reunion=reunion))


@collectif_view(MANAGE)
def reunion_cancel(request, pk: int):
    reunion = reunion_for(request.access, pk)
    if request.method == "POST":
        services.reunion_cancel(reunion=reunion, by=request.user)
        messages.success(request, _("Réunion annulée : les personnes invitées sont prévenues."))
        return to_detail(reunion)
    return render(request, "reunions/confirm_cancel.html", ctx(request, reunion=reunion))


@collectif_view(MANAGE)
def reunion_invite(request, pk: int):
    reunion = reunion_for(request.access, pk)
    collectif = reunion.collectif
    form = AudienceForm(request.POST or None, collectif=collectif, initial={"groupe": reunion.groupe_id})
    if request.method == "POST" and form.is_valid():
        people = services.audience_memberships(
            collectif=collectif,
            audience=form.cleaned_data["audience"],
            groupe=form.cleaned_data.get("groupe"),
            memberships=form.cleaned_data.get("memberships") or [],
        )
        created = services.reunion_invite(reunion=reunion, by=request.user, memberships=people)
        if reunion.starts_at:
            text = _(
                "Les invitations partent : %(n)s invitation(s), une par personne. Suivez leur envoi sur la page "
                "« Rappels et envois »."
            )
        else:
            text = _("%(n)s personne(s) ajoutée(s). Proposez des dates avec un sondage.")
        messages.success(request, text % {"n": len(created)})
        return to_detail(reunion, "reponses")
    return render(request, "reunions/invite.html", ctx(request, form=form, reunion=reunion))


@collectif_view(WRITE, methods=("POST",))
def reunion_respond(request, pk: int):
    reunion = reunion_for(request.access, pk)
    invitation = my_invitation_for(request.access, reunion)
    response = request.POST.get("response")
    if response not in (Invitation.Response.PRESENT, Invitation.Response.EXCUSED):
        return HttpResponse(_("Réponse inconnue."), status=400)
    services.invitation_respond(invitation=invitation, response=response, by=request.user)
    if request.htmx:
        return render(request, "reunions/detail.html#my-answer", ctx(request, reunion=reunion, mine=invitation))
    messages.success(request, _("Réponse enregistrée."))
    return to_detail(reunion)
