"""Pages of reunions. Every view fetches through the collectif of the URL (another collectif's object is 404),
asks reunions.permissions, then calls one service."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions.selectors import open_actions
from collectifs.access import collectif_view
from core.pdf import render_pdf
from core.storage import private_file_response
from restitutions.models import Restitution
from reunions import permissions, services
from reunions.emails import read_rsvp_token, site_url
from reunions.forms import (
    AgendaItemForm,
    AttendanceForm,
    AudienceForm,
    CollectifSettingsForm,
    CommentForm,
    DecisionForm,
    DocumentForm,
    GroupeForm,
    MinutesForm,
    PollForm,
    ReminderSettingsForm,
    ReunionForm,
    SubmitMinutesForm,
    VoteForm,
)
from reunions.ics import feed_ics
from reunions.models import (
    AgendaItem,
    CalendarToken,
    DatePoll,
    Decision,
    Document,
    GroupeDeTaches,
    Invitation,
    Minutes,
    PollVote,
    ReminderDue,
    Reunion,
)

PAGE_SIZE = 20
OPEN_ACTIONS_SHOWN = 30


def _reunions(request):
    return Reunion.objects.filter(collectif=request.access.collectif)


def _get_reunion(request, pk: int, *related) -> Reunion:
    reunion = get_object_or_404(_reunions(request).select_related(*related), pk=pk)
    reunion.collectif = request.access.collectif  # already loaded with the access: no second query
    return reunion


def _ctx(request, **extra) -> dict:
    return {"collectif": request.access.collectif, "access": request.access, **extra}


def _detail(reunion: Reunion, anchor: str = "") -> HttpResponse:
    return redirect(reunion.get_absolute_url() + (f"#{anchor}" if anchor else ""))


# --- Lists ---------------------------------------------------------------------------------------------------


@collectif_view()
def reunion_list(request):
    base = _reunions(request).select_related("groupe").annotate(invited=Count("invitations"))
    now = timezone.now()
    upcoming = base.filter(Q(starts_at__gte=now) | Q(starts_at__isnull=True)).order_by("starts_at", "pk")
    past = base.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    return render(
        request,
        "reunions/list.html",
        _ctx(
            request,
            upcoming=Paginator(upcoming, PAGE_SIZE).get_page(request.GET.get("a_venir")),
            past=Paginator(past, PAGE_SIZE).get_page(request.GET.get("passees")),
            today=timezone.localdate(),
        ),
    )


@collectif_view()
def reunion_month(request):
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("mois", "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
    following = (first + timedelta(days=32)).replace(day=1)
    end = datetime.combine(following, datetime.min.time(), tzinfo=tz)
    by_day: dict[date, list[Reunion]] = {}
    for reunion in _reunions(request).filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at"):
        by_day.setdefault(timezone.localtime(reunion.starts_at).date(), []).append(reunion)
    weeks = [
        [
            {"day": d, "in_month": d.month == first.month, "reunions": by_day.get(d, []), "today": d == today}
            for d in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    return render(
        request,
        "reunions/month.html",
        _ctx(
            request,
            month=first,
            weeks=weeks,
            previous=f"{previous:%Y-%m}",
            next=f"{following:%Y-%m}",
            count=sum(len(v) for v in by_day.values()),
        ),
    )


# --- One reunion ---------------------------------------------------------------------------------------------


def _decision_action_url(collectif, decision) -> str:
    try:
        return reverse(
            "actions:create_from_decision", kwargs={"collectif_slug": collectif.slug, "decision_pk": decision.pk}
        )
    except NoReverseMatch:
        return ""


@collectif_view()
def reunion_detail(request, pk: int):
    reunion = _get_reunion(request, pk, "groupe", "secretary__user", "minutes", "poll")
    invitations = list(
        reunion.invitations.select_related("membership__user", "membership__institution").order_by(
            "membership__user__last_name", "membership__user__first_name", "pk"
        )
    )
    mine = next(
        (i for i in invitations if request.access.membership and i.membership_id == request.access.membership.pk),
        None,
    )
    decisions = [
        {"decision": d, "action_url": _decision_action_url(reunion.collectif, d)} for d in reunion.decisions.all()
    ]
    counts = dict.fromkeys(("invite", "present", "excuse"), 0)
    for inv in invitations:
        counts[inv.response] = counts.get(inv.response, 0) + 1
    minutes = getattr(reunion, "minutes", None)
    can_manage = permissions.can_manage_reunions(request.access)
    # A plénière still to come lists the collectif's open actions beside its agenda, so that each one can be
    # followed up there (one query; the actions app owns the selection).
    follow_up = []
    restitutions = []
    if reunion.kind == Reunion.Kind.ATELIER:
        restitutions = list(Restitution.objects.for_reunion(reunion).order_by("pk"))
    if reunion.kind == Reunion.Kind.PLENIERE and reunion.status in (
        Reunion.Status.TO_SCHEDULE,
        Reunion.Status.CONVENED,
    ):
        follow_up = list(open_actions(reunion.collectif).prefetch_related(None)[:OPEN_ACTIONS_SHOWN])
    reminder_stats = {}
    if can_manage:
        reminder_stats = dict(
            reunion.reminders.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
    return render(
        request,
        "reunions/detail.html",
        _ctx(
            request,
            reunion=reunion,
            agenda=list(reunion.agenda.all()),
            open_actions=follow_up,
            restitutions=restitutions,
            documents=list(reunion.documents.all()),
            invitations=invitations,
            mine=mine,
            counts=counts,
            decisions=decisions,
            minutes=minutes,
            poll=getattr(reunion, "poll", None),
            can_manage=can_manage,
            can_edit_minutes=permissions.can_edit_minutes(request.access, reunion),
            can_upload=permissions.can_upload_document(request.access),
            agenda_form=AgendaItemForm(),
            document_form=DocumentForm(),
            reminder_stats=reminder_stats,
            failed_invitations=[i for i in invitations if i.email_error] if can_manage else [],
        ),
    )


@collectif_view(manage=True)
def reunion_create(request):
    collectif = request.access.collectif
    initial = {"kind": request.GET.get("type", Reunion.Kind.PLENIERE), "groupe": request.GET.get("groupe")}
    form = ReunionForm(request.POST or None, collectif=collectif, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {**form.cleaned_data}
        fields["secretary"] = fields.pop("secretary")
        reunion = services.reunion_create(collectif=collectif, by=request.user, **fields)
        messages.success(request, "Réunion créée. Invitez maintenant les participants ou proposez des dates.")
        return _detail(reunion)
    return render(request, "reunions/form.html", _ctx(request, form=form, reunion=None))


@collectif_view(manage=True)
def reunion_update(request, pk: int):
    reunion = _get_reunion(request, pk)
    if reunion.is_cancelled:
        raise PermissionDenied("Une réunion annulée ne se modifie plus.")
    form = ReunionForm(request.POST or None, instance=Reunion.objects.get(pk=reunion.pk), collectif=reunion.collectif)
    if request.method == "POST" and form.is_valid():
        fields = {**form.cleaned_data}
        services.reunion_update(reunion=reunion, by=request.user, **fields)
        messages.success(request, "Réunion enregistrée.")
        return _detail(reunion)
    return render(request, "reunions/form.html", _ctx(request, form=form, reunion=reunion))


@collectif_view(manage=True)
def reunion_cancel(request, pk: int):
    reunion = _get_reunion(request, pk)
    if request.method == "POST":
        services.reunion_cancel(reunion=reunion, by=request.user)
        messages.success(request, "Réunion annulée : les personnes invitées sont prévenues.")
        return _detail(reunion)
    return render(request, "reunions/confirm_cancel.html", _ctx(request, reunion=reunion))


@collectif_view(manage=True)
def reunion_invite(request, pk: int):
    reunion = _get_reunion(request, pk)
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
            messages.success(request, f"{len(created)} invitation(s) envoyée(s), une par personne.")
        else:
            messages.success(request, f"{len(created)} personne(s) ajoutée(s). Proposez des dates avec un sondage.")
        return _detail(reunion, "reponses")
    return render(request, "reunions/invite.html", _ctx(request, form=form, reunion=reunion))


@collectif_view(write=True)
@require_POST
def reunion_respond(request, pk: int):
    reunion = _get_reunion(request, pk)
    invitation = get_object_or_404(reunion.invitations, membership=request.access.membership)
    response = request.POST.get("response")
    if response not in (Invitation.Response.PRESENT, Invitation.Response.EXCUSED):
        return HttpResponse("Réponse inconnue.", status=400)
    services.invitation_respond(invitation=invitation, response=response, by=request.user)
    if request.htmx:
        return render(request, "reunions/detail.html#my-answer", _ctx(request, reunion=reunion, mine=invitation))
    messages.success(request, "Réponse enregistrée.")
    return _detail(reunion)


def rsvp(request, token: str):
    """Answer from the e-mail without logging in: the signed link names the invitation and the answer. A GET only
    shows the question (mail scanners follow links); the answer is recorded by the button (POST)."""
    try:
        payload = read_rsvp_token(token)
    except signing.SignatureExpired:
        return render(request, "reunions/rsvp.html", {"expired": True, "invitation": None, "done": False}, status=410)
    except signing.BadSignature:
        raise Http404("Lien invalide.") from None
    invitation = get_object_or_404(
        Invitation.objects.select_related("reunion__collectif", "membership__user"), pk=payload["i"]
    )
    response = payload["r"]
    done = False
    if request.method == "POST":
        if invitation.reunion.is_cancelled:
            raise Http404("Réunion annulée.")
        services.invitation_respond(invitation=invitation, response=response)
        done = True
    label = Invitation.Response(response).label
    return render(
        request,
        "reunions/rsvp.html",
        {"invitation": invitation, "response_label": label, "done": done, "expired": False},
    )


# --- Agenda --------------------------------------------------------------------------------------------------


def _agenda_response(request, reunion):
    if request.htmx:
        return render(
            request,
            "reunions/detail.html#agenda",
            _ctx(request, reunion=reunion, agenda=list(reunion.agenda.all()), can_manage=True),
        )
    return _detail(reunion, "ordre-du-jour")


@collectif_view(manage=True)
@require_POST
def agenda_add(request, pk: int):
    reunion = _get_reunion(request, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        services.agenda_item_add(reunion=reunion, by=request.user, **form.cleaned_data)
    else:
        messages.error(request, "Le point n'a pas été ajouté : indiquez au moins son titre.")
    return _agenda_response(request, reunion)


@collectif_view(manage=True)
@require_POST
def agenda_move(request, pk: int, item_pk: int):
    reunion = _get_reunion(request, pk)
    item = get_object_or_404(AgendaItem, reunion=reunion, pk=item_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponse("Direction inconnue.", status=400)
    services.agenda_item_move(item=item, by=request.user, direction=direction)
    return _agenda_response(request, reunion)


@collectif_view(manage=True)
@require_POST
def agenda_delete(request, pk: int, item_pk: int):
    reunion = _get_reunion(request, pk)
    item = get_object_or_404(AgendaItem, reunion=reunion, pk=item_pk)
    services.agenda_item_delete(item=item, by=request.user)
    return _agenda_response(request, reunion)


# --- Documents -----------------------------------------------------------------------------------------------


@collectif_view(write=True)
def document_upload(request, pk: int):
    reunion = _get_reunion(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.document_add(
            reunion=reunion, by=request.user, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
        )
        messages.success(request, "Document ajouté.")
        return _detail(reunion, "documents")
    return render(request, "reunions/document_form.html", _ctx(request, form=form, reunion=reunion))


@collectif_view()
def document_download(request, pk: int, document_pk: int):
    reunion = _get_reunion(request, pk)
    document = get_object_or_404(Document, reunion=reunion, pk=document_pk)
    return private_file_response(
        document.file.storage, document.file.name, filename=document.original_name, content_type=document.content_type
    )


@collectif_view(manage=True)
def document_delete(request, pk: int, document_pk: int):
    reunion = _get_reunion(request, pk)
    document = get_object_or_404(Document, reunion=reunion, pk=document_pk)
    if request.method == "POST":
        services.document_delete(document=document, by=request.user)
        messages.success(request, "Document supprimé.")
        return _detail(reunion, "documents")
    return render(request, "reunions/confirm_delete.html", _ctx(request, reunion=reunion, thing=document))


# --- Attendance and reminders --------------------------------------------------------------------------------


@collectif_view(manage=True)
def attendance(request, pk: int):
    reunion = _get_reunion(request, pk)
    invitations = list(
        reunion.invitations.select_related("membership__user", "membership__institution").order_by(
            "membership__user__last_name", "pk"
        )
    )
    form = AttendanceForm(request.POST or None, invitations=invitations)
    if request.method == "POST" and form.is_valid():
        services.attendance_record(reunion=reunion, by=request.user, values=form.values())
        messages.success(request, "Présences enregistrées.")
        return _detail(reunion, "reponses")
    return render(request, "reunions/attendance.html", _ctx(request, form=form, reunion=reunion))


@collectif_view(manage=True)
def reminders(request, pk: int):
    reunion = _get_reunion(request, pk)
    form = ReminderSettingsForm(
        request.POST or None,
        initial={
            "enabled": reunion.reminders_enabled,
            "offsets": reunion.reminder_offsets or "",
            "note": reunion.reminder_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.reunion_reminders_update(
            reunion=reunion,
            by=request.user,
            enabled=form.cleaned_data["enabled"],
            offsets=form.cleaned_data["offsets"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, "Rappels enregistrés.")
        return redirect("reunions:reminders", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
    rows = reunion.reminders.select_related("membership__user").order_by("due_at", "membership__user__last_name")
    return render(
        request,
        "reunions/reminders.html",
        _ctx(
            request,
            form=form,
            reunion=reunion,
            reminders=Paginator(rows, 100).get_page(request.GET.get("page")),
            defaults=services.collectif_reminder_offsets(reunion.collectif),
        ),
    )


@collectif_view(manage=True)
@require_POST
def reminder_retry(request, pk: int, reminder_pk: int):
    reunion = _get_reunion(request, pk)
    reminder = get_object_or_404(ReminderDue, reunion=reunion, pk=reminder_pk)
    services.reminder_retry(reminder=reminder, by=request.user)
    messages.success(request, "Le rappel sera retenté au prochain passage.")
    return redirect("reunions:reminders", collectif_slug=reunion.collectif.slug, pk=reunion.pk)


@collectif_view(manage=True)
def collectif_settings(request):
    collectif = request.access.collectif
    form = CollectifSettingsForm(
        request.POST or None, initial={"offsets": services.collectif_reminder_offsets(collectif)}
    )
    if request.method == "POST" and form.is_valid():
        services.reunion_settings_update(
            collectif=collectif, by=request.user, reminder_offsets=form.cleaned_data["offsets"]
        )
        messages.success(request, "Réglages enregistrés.")
        return redirect("reunions:settings", collectif_slug=collectif.slug)
    return render(request, "reunions/settings.html", _ctx(request, form=form))


# --- Date poll -----------------------------------------------------------------------------------------------


@collectif_view(manage=True)
def poll_create(request, pk: int):
    reunion = _get_reunion(request, pk, "poll")
    if hasattr(reunion, "poll"):
        return redirect("reunions:poll", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
    try:
        slot_count = min(10, max(2, int(request.POST.get("slot_count") or request.GET.get("creneaux") or 4)))
    except ValueError:
        slot_count = 4
    form = PollForm(
        request.POST or None,
        collectif=reunion.collectif,
        slot_count=slot_count,
        initial={"groupe": reunion.groupe_id, "audience": "groupe" if reunion.groupe_id else "all"},
    )
    if request.method == "POST" and form.is_valid():
        people = services.audience_memberships(
            collectif=reunion.collectif,
            audience=form.cleaned_data["audience"],
            groupe=form.cleaned_data.get("groupe"),
            memberships=form.cleaned_data.get("memberships") or [],
        )
        services.poll_create(
            reunion=reunion,
            by=request.user,
            deadline=form.cleaned_data["deadline"],
            slots=form.cleaned_data["slots"],
            memberships=people,
        )
        messages.success(request, "Sondage ouvert : chaque personne concernée a reçu un message.")
        return redirect("reunions:poll", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
    return render(request, "reunions/poll_form.html", _ctx(request, form=form, reunion=reunion, slot_count=slot_count))


@collectif_view()
def poll_detail(request, pk: int):
    reunion = _get_reunion(request, pk)
    poll = get_object_or_404(DatePoll.objects.select_related("chosen_slot"), reunion=reunion)
    slots = list(poll.slots.all())
    votes = list(PollVote.objects.filter(slot__poll=poll).select_related("membership__user"))
    invitations = list(reunion.invitations.select_related("membership__user").order_by("membership__user__last_name"))
    membership = request.access.membership
    my_votes = {v.slot_id: v.answer for v in votes if membership and v.membership_id == membership.pk}
    invited = bool(membership and any(i.membership_id == membership.pk for i in invitations))
    can_vote = invited and request.access.can_write and poll.status == DatePoll.Status.OPEN
    form = VoteForm(request.POST or None, slots=slots, votes=my_votes)
    if request.method == "POST":
        if not can_vote:
            raise PermissionDenied("Vous n'êtes pas invité·e à ce sondage, ou il est clos.")
        if form.is_valid():
            services.poll_vote(poll=poll, membership=membership, answers=form.answers())
            messages.success(request, "Vos disponibilités sont enregistrées.")
            return redirect("reunions:poll", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
    grid = {(v.slot_id, v.membership_id): v.answer for v in votes}
    rows = [
        {"invitation": inv, "answers": [grid.get((s.pk, inv.membership_id), "") for s in slots]} for inv in invitations
    ]
    tally = [
        {
            "slot": s,
            "oui": sum(1 for v in votes if v.slot_id == s.pk and v.answer == PollVote.Answer.YES),
            "si_besoin": sum(1 for v in votes if v.slot_id == s.pk and v.answer == PollVote.Answer.MAYBE),
            "non": sum(1 for v in votes if v.slot_id == s.pk and v.answer == PollVote.Answer.NO),
        }
        for s in slots
    ]
    answered = {v.membership_id for v in votes}
    return render(
        request,
        "reunions/poll.html",
        _ctx(
            request,
            reunion=reunion,
            poll=poll,
            slots=slots,
            rows=rows,
            tally=tally,
            form=form,
            can_vote=can_vote,
            can_manage=permissions.can_manage_reunions(request.access),
            waiting=[i for i in invitations if i.membership_id not in answered],
        ),
    )


@collectif_view(manage=True)
@require_POST
def poll_choose(request, pk: int):
    reunion = _get_reunion(request, pk)
    poll = get_object_or_404(DatePoll, reunion=reunion, status=DatePoll.Status.OPEN)
    slot = get_object_or_404(poll.slots, pk=request.POST.get("slot") or 0)
    services.poll_choose(poll=poll, slot=slot, by=request.user)
    messages.success(request, "Date retenue : la réunion est convoquée et chacun a reçu son invitation.")
    return _detail(reunion)


# --- Minutes -------------------------------------------------------------------------------------------------


def _minutes_context(request, reunion, minutes, **extra):
    attended = bool(
        request.access.membership
        and reunion.invitations.filter(
            membership=request.access.membership, attendance=Invitation.Attendance.PRESENT
        ).exists()
    )
    decisions = [
        {"decision": d, "action_url": _decision_action_url(reunion.collectif, d)} for d in reunion.decisions.all()
    ]
    return _ctx(
        request,
        reunion=reunion,
        minutes=minutes,
        sections=list(minutes.sections.all()) if minutes else [],
        decisions=decisions,
        versions=list(minutes.versions.all()) if minutes else [],
        comments=list(minutes.comments.select_related("author")) if minutes else [],
        can_edit=permissions.can_edit_minutes(request.access, reunion),
        can_manage=permissions.can_manage_reunions(request.access),
        can_comment=bool(minutes and permissions.can_comment_minutes(request.access, minutes, attended)),
        comment_form=CommentForm(),
        decision_form=DecisionForm(),
        submit_form=SubmitMinutesForm(initial={"comment_days": minutes.comment_days if minutes else 7}),
        **extra,
    )


@collectif_view()
def minutes_detail(request, pk: int):
    reunion = _get_reunion(request, pk, "secretary__user")
    minutes = Minutes.objects.filter(reunion=reunion).first()
    return render(request, "reunions/minutes.html", _minutes_context(request, reunion, minutes))


@collectif_view(write=True)
def minutes_edit(request, pk: int):
    reunion = _get_reunion(request, pk)
    if not permissions.can_edit_minutes(request.access, reunion):
        raise PermissionDenied("Seuls le ou la secrétaire de séance et la coordination rédigent le compte rendu.")
    minutes = services.minutes_get_or_create(reunion=reunion)
    if minutes.status == Minutes.Status.ADOPTED:
        messages.error(request, "Ce compte rendu est adopté : ouvrez une correction pour le modifier.")
        return redirect("reunions:minutes", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
    form = MinutesForm(request.POST or None, sections=list(minutes.sections.all()))
    if request.method == "POST" and form.is_valid():
        services.minutes_save(minutes=minutes, by=request.user, bodies=form.bodies())
        messages.success(request, "Compte rendu enregistré.")
        return redirect("reunions:minutes", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
    return render(request, "reunions/minutes_form.html", _ctx(request, form=form, reunion=reunion, minutes=minutes))


def _minutes_action(request, pk):
    reunion = _get_reunion(request, pk)
    if not permissions.can_edit_minutes(request.access, reunion):
        raise PermissionDenied("Seuls le ou la secrétaire de séance et la coordination agissent sur le compte rendu.")
    return reunion


@collectif_view(write=True)
@require_POST
def decision_add(request, pk: int):
    reunion = _minutes_action(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        services.decision_add(reunion=reunion, by=request.user, text=form.cleaned_data["text"])
    return redirect(
        reverse("reunions:minutes", kwargs={"collectif_slug": reunion.collectif.slug, "pk": pk}) + "#decisions"
    )


@collectif_view(write=True)
@require_POST
def decision_delete(request, pk: int, decision_pk: int):
    reunion = _minutes_action(request, pk)
    decision = get_object_or_404(Decision, reunion=reunion, pk=decision_pk)
    services.decision_delete(decision=decision, by=request.user)
    return redirect(
        reverse("reunions:minutes", kwargs={"collectif_slug": reunion.collectif.slug, "pk": pk}) + "#decisions"
    )


@collectif_view(write=True)
@require_POST
def minutes_submit(request, pk: int):
    reunion = _minutes_action(request, pk)
    minutes = services.minutes_get_or_create(reunion=reunion)
    form = SubmitMinutesForm(request.POST)
    if minutes.status == Minutes.Status.DRAFT and form.is_valid():
        services.minutes_submit(minutes=minutes, by=request.user, comment_days=form.cleaned_data["comment_days"])
        messages.success(request, "Compte rendu soumis aux présents.")
    return redirect("reunions:minutes", collectif_slug=reunion.collectif.slug, pk=reunion.pk)


@collectif_view(write=True)
@require_POST
def minutes_comment(request, pk: int):
    reunion = _get_reunion(request, pk)
    minutes = get_object_or_404(Minutes, reunion=reunion)
    attended = reunion.invitations.filter(
        membership=request.access.membership, attendance=Invitation.Attendance.PRESENT
    ).exists()
    if not permissions.can_comment_minutes(request.access, minutes, attended):
        raise PermissionDenied("Seules les personnes présentes commentent, pendant la période prévue.")
    form = CommentForm(request.POST)
    if form.is_valid():
        services.minutes_comment(minutes=minutes, by=request.user, body=form.cleaned_data["body"])
        messages.success(request, "Commentaire ajouté.")
    return redirect("reunions:minutes", collectif_slug=reunion.collectif.slug, pk=reunion.pk)


@collectif_view(manage=True)
@require_POST
def minutes_adopt(request, pk: int):
    reunion = _get_reunion(request, pk)
    minutes = get_object_or_404(Minutes, reunion=reunion, status__in=[Minutes.Status.DRAFT, Minutes.Status.SUBMITTED])
    version = services.minutes_adopt(minutes=minutes, by=request.user)
    messages.success(request, f"Compte rendu adopté (version {version.number}).")
    return redirect("reunions:minutes", collectif_slug=reunion.collectif.slug, pk=reunion.pk)


@collectif_view(manage=True)
@require_POST
def minutes_reopen(request, pk: int):
    reunion = _get_reunion(request, pk)
    minutes = get_object_or_404(Minutes, reunion=reunion, status=Minutes.Status.ADOPTED)
    services.minutes_reopen(minutes=minutes, by=request.user)
    messages.success(request, "Correction ouverte : la version adoptée reste consultable.")
    return redirect("reunions:minutes_edit", collectif_slug=reunion.collectif.slug, pk=reunion.pk)


@collectif_view()
def minutes_pdf(request, pk: int):
    reunion = _get_reunion(request, pk, "groupe")
    minutes = get_object_or_404(Minutes, reunion=reunion, version__gt=0)
    version = minutes.versions.order_by("-number").first()
    present = reunion.invitations.filter(attendance=Invitation.Attendance.PRESENT).select_related(
        "membership__user", "membership__institution"
    )
    excused = reunion.invitations.filter(attendance=Invitation.Attendance.EXCUSED).select_related(
        "membership__user", "membership__institution"
    )
    pdf = render_pdf(
        "reunions/pdf/minutes.html",
        {"reunion": reunion, "version": version, "present": present, "excused": excused},
        title=f"Compte rendu — {reunion.title}",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="compte-rendu-{reunion.pk}-v{version.number}.pdf"'
    return response


# --- Groupes de tâches ---------------------------------------------------------------------------------------


@collectif_view()
def groupe_list(request):
    groupes = (
        GroupeDeTaches.objects.filter(collectif=request.access.collectif)
        .select_related("pilot")
        .annotate(n_members=Count("members", distinct=True), n_seances=Count("seances", distinct=True))
    )
    return render(request, "reunions/groupes.html", _ctx(request, groupes=groupes))


@collectif_view()
def groupe_detail(request, groupe_pk: int):
    groupe = get_object_or_404(
        GroupeDeTaches.objects.filter(collectif=request.access.collectif).select_related("pilot"), pk=groupe_pk
    )
    return render(
        request,
        "reunions/groupe_detail.html",
        _ctx(
            request,
            groupe=groupe,
            members=list(groupe.members.all()),
            seances=list(groupe.seances.order_by("starts_at")),
            can_manage=permissions.can_manage_reunions(request.access),
        ),
    )


@collectif_view(manage=True)
def groupe_edit(request, groupe_pk: int | None = None):
    collectif = request.access.collectif
    instance = (
        get_object_or_404(GroupeDeTaches.objects.filter(collectif=collectif), pk=groupe_pk)
        if groupe_pk
        else GroupeDeTaches(collectif=collectif)
    )
    form = GroupeForm(request.POST or None, instance=instance, collectif=collectif)
    if request.method == "POST" and form.is_valid():
        groupe = form.save(commit=False)
        groupe = services.groupe_save(groupe=groupe, by=request.user, members=form.cleaned_data["members"])
        messages.success(request, "Groupe de tâches enregistré.")
        return redirect("reunions:groupe_detail", collectif_slug=collectif.slug, groupe_pk=groupe.pk)
    return render(
        request, "reunions/groupe_form.html", _ctx(request, form=form, groupe=instance if groupe_pk else None)
    )


# --- Calendar feeds ------------------------------------------------------------------------------------------


@collectif_view()
def calendar_page(request):
    token = services.calendar_token_get_or_create(user=request.user)
    collectif = request.access.collectif
    return render(
        request,
        "reunions/calendar.html",
        _ctx(
            request,
            personal_url=site_url() + reverse("reunions:feed_personal", kwargs={"token": token.token}),
            collectif_url=site_url()
            + reverse("reunions:feed_collectif", kwargs={"token": token.token, "collectif_slug": collectif.slug}),
        ),
    )


@collectif_view()
@require_POST
def calendar_revoke(request):
    services.calendar_token_revoke(user=request.user)
    messages.success(request, "Nouvelle adresse créée : l'ancienne ne fonctionne plus.")
    return redirect("reunions:calendar", collectif_slug=request.access.collectif.slug)


def _token_user(token: str):
    row = get_object_or_404(CalendarToken.objects.select_related("user"), token=token, revoked_at__isnull=True)
    if not row.user.is_active:
        raise Http404
    return row.user


def _ics_response(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


def feed_personal(request, token: str):
    """Every reunion the person is invited to, in their active collectifs (no login: the token is the secret)."""
    user = _token_user(token)
    reunions = (
        Reunion.objects.filter(
            invitations__membership__user=user,
            invitations__membership__left_on__isnull=True,
            starts_at__gte=timezone.now() - timedelta(days=365),
        )
        .select_related("collectif")
        .distinct()
    )
    return _ics_response(feed_ics(reunions, name="Mes réunions", base_url=site_url()))


def feed_collectif(request, token: str, collectif_slug: str):
    """Every dated reunion of a collectif, for its active members."""
    from membres.models import Membership

    user = _token_user(token)
    membership = (
        Membership.objects.active()
        .select_related("collectif")
        .filter(user=user, collectif__slug=collectif_slug)
        .first()
    )
    if membership is None:
        raise Http404
    reunions = Reunion.objects.filter(
        collectif=membership.collectif, starts_at__gte=timezone.now() - timedelta(days=365)
    ).select_related("collectif")
    return _ics_response(feed_ics(reunions, name=f"Réunions — {membership.collectif.name}", base_url=site_url()))


# --- Coordinator's to-do -------------------------------------------------------------------------------------


@collectif_view(manage=True)
def todo(request):
    now = timezone.now()
    reunions = _reunions(request)
    open_polls = DatePoll.objects.filter(reunion__collectif=request.access.collectif, status=DatePoll.Status.OPEN)
    open_polls = open_polls.select_related("reunion").annotate(
        voters=Count("slots__votes__membership", distinct=True), invited=Count("reunion__invitations", distinct=True)
    )
    to_convene = reunions.filter(status=Reunion.Status.TO_SCHEDULE, poll__isnull=True).order_by("starts_at", "pk")
    attendance_due = reunions.filter(status=Reunion.Status.CONVENED, starts_at__lt=now).order_by("starts_at")
    minutes_due = (
        reunions.filter(status=Reunion.Status.HELD, starts_at__lt=now)
        .exclude(minutes__status=Minutes.Status.ADOPTED)
        .select_related("minutes", "secretary__user")
        .order_by("starts_at")
    )
    failed = (
        ReminderDue.objects.filter(reunion__collectif=request.access.collectif, status=ReminderDue.Status.FAILED)
        .values("reunion_id", "reunion__title")
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "reunions/todo.html",
        _ctx(
            request,
            open_polls=list(open_polls),
            to_convene=list(to_convene),
            attendance_due=list(attendance_due),
            minutes_due=list(minutes_due),
            failed=list(failed),
        ),
    )
