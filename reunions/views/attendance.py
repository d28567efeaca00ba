"""After the meeting: who came; the reminders of a reunion (settings, rows, retry of a failed one) and its e-mails
(waiting, sent, failed, retry)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from collectifs.access import MANAGE, collectif_view
from core.pdf import render_pdf
from reunions.access import reminder_for, reunion_for
from reunions.forms import AttendanceForm, ReminderSettingsForm, WalkInForm
from reunions.selectors import mail_stats
from reunions.services import attendance as attendance_services
from reunions.services import registrations as registration_services
from reunions.services import reminders as reminder_services
from reunions.services import reunions as reunion_services
from reunions.services.settings import collectif_reminder_offsets
from reunions.views.common import ctx, to_detail


@collectif_view(MANAGE)
def attendance(request, pk: int):
    reunion = reunion_for(request.access, pk)
    invitations = list(
        reunion.invitations.select_related("membership__user", "membership__institution").order_by(
            "membership__user__last_name", "pk"
        )
    )
    registrations = reunion.registrations.attending().order_by("name", "pk")
    form = AttendanceForm(request.POST or None, invitations=invitations, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        attendance_services.attendance_record(
            reunion=reunion, by=request.user, values=form.values(), registrant_values=form.registrant_values()
        )
        messages.success(request, _("Présences enregistrées."))
        return to_detail(reunion, "reponses")
    return render(
        request, "reunions/attendance.html", ctx(request, form=form, reunion=reunion, walk_in_form=WalkInForm())
    )


@collectif_view(MANAGE, methods=("GET", "HEAD", "POST"))
def attendance_walk_in(request, pk: int):
    """Someone came without registering: name, structure, type of structure (no e-mail, no account)."""
    reunion = reunion_for(request.access, pk)
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        registration_services.registration_walk_in(reunion=reunion, by=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s est ajouté·e aux présents.") % {"name": form.cleaned_data["name"]})
        return redirect("reunions:attendance", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
    return render(request, "reunions/walk_in.html", ctx(request, form=form, reunion=reunion))


@collectif_view(MANAGE)
def sign_in_sheet(request, pk: int):
    """The sheet to sign on the day: invited members, then confirmed registrants, then blank lines for walk-ins."""
    reunion = reunion_for(request.access, pk)
    invitations = reunion.invitations.select_related("membership__user", "membership__institution").order_by(
        "membership__user__last_name", "pk"
    )
    registrations = reunion.registrations.attending().order_by("name", "pk")
    pdf = render_pdf(
        "reunions/pdf/sign_in_sheet.html",
        {"reunion": reunion, "invitations": invitations, "registrations": registrations, "blank": range(10)},
        title=_("Feuille d'émargement — %(title)s") % {"title": reunion.title},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="emargement-{reunion.pk}.pdf"'
    return response


@collectif_view(MANAGE)
def reminders(request, pk: int):
    reunion = reunion_for(request.access, pk)
    form = ReminderSettingsForm(
        request.POST or None,
        initial={
            "enabled": reunion.reminders_enabled,
            "offsets": reunion.reminder_offsets or "",
            "note": reunion.reminder_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        reminder_services.reunion_reminders_update(
            reunion=reunion,
            by=request.user,
            enabled=form.cleaned_data["enabled"],
            offsets=form.cleaned_data["offsets"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Rappels enregistrés."))
        return redirect("reunions:reminders", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
    rows = reunion.reminders.select_related("membership__user").order_by("due_at", "membership__user__last_name")
    return render(
        request,
        "reunions/reminders.html",
        ctx(
            request,
            form=form,
            reunion=reunion,
            reminders=Paginator(rows, 100).get_page(request.GET.get("page")),
            defaults=collectif_reminder_offsets(reunion.collectif),
            mails=mail_stats(reunion),
        ),
    )


@collectif_view(MANAGE, methods=("POST",))
def reminder_retry(request, pk: int, reminder_pk: int):
    reunion = reunion_for(request.access, pk)
    reminder = reminder_for(request.access, reunion, reminder_pk)
    reminder_services.reminder_retry(reminder=reminder, by=request.user)
    messages.success(request, _("Le rappel sera retenté au prochain passage."))
    return redirect("reunions:reminders", collectif_slug=reunion.collectif.slug, pk=reunion.pk)


@collectif_view(MANAGE, methods=("POST",))
def mails_retry(request, pk: int):
    reunion = reunion_for(request.access, pk)
    count = reunion_services.reunion_mails_retry(reunion=reunion, by=request.user)
    messages.success(request, _("%(n)s e-mail(s) en échec repart(ent).") % {"n": count})
    return redirect("reunions:reminders", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
