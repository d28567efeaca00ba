"""Minutes: read, draft (the secretary or the coordination), decisions, submission to the people present,
comments, adoption, correction, PDF of the adopted version."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from collectifs.access import MANAGE, READ, WRITE, collectif_view
from core.pdf import content_digest, render_pdf, stored_pdf
from core.storage import private_storage
from reunions import permissions
from reunions.access import decision_for, minutes_for, reunion_for
from reunions.forms import CommentForm, DecisionForm, MinutesForm, SubmitMinutesForm
from reunions.models import Invitation, Minutes
from reunions.services import minutes as services
from reunions.views.common import ctx, decision_action_url, to_minutes


def _editable_reunion(request, pk: int):
    """The reunion whose minutes the acting user drafts or acts on (403 for the others)."""
    return reunion_for(
        request.access,
        pk,
        rule=permissions.can_edit_minutes,
        message=_("Seuls le ou la secrétaire de séance et la coordination agissent sur le compte rendu."),
    )


def _minutes_context(request, reunion, minutes, **extra):
    access = request.access
    decisions = [
        {"decision": d, "action_url": decision_action_url(reunion.collectif, d), "has_action": d.action_count > 0}
        for d in reunion.decisions.annotate(action_count=Count("actions"))
    ]
    return ctx(
        request,
        reunion=reunion,
        minutes=minutes,
        sections=list(minutes.sections.all()) if minutes else [],
        decisions=decisions,
        versions=list(minutes.versions.all()) if minutes else [],
        comments=list(minutes.comments.select_related("author")) if minutes else [],
        can_edit=permissions.can_edit_minutes(access, reunion),
        can_change_decisions=permissions.can_change_decisions(access, reunion),
        can_manage=permissions.can_manage_reunions(access),
        can_comment=bool(minutes and permissions.can_comment_minutes(access, minutes)),
        comment_form=CommentForm(),
        decision_form=DecisionForm(),
        submit_form=SubmitMinutesForm(initial={"comment_days": minutes.comment_days if minutes else 7}),
        **extra,
    )


@collectif_view(READ)
def minutes_detail(request, pk: int):
    reunion = reunion_for(request.access, pk, "secretary__user")
    minutes = Minutes.objects.filter(reunion=reunion).first()
    if minutes is not None:
        minutes.reunion = reunion
    return render(request, "reunions/minutes.html", _minutes_context(request, reunion, minutes))


@collectif_view(WRITE)
def minutes_edit(request, pk: int):
    reunion = reunion_for(
        request.access,
        pk,
        rule=permissions.can_edit_minutes,
        message=_("Seuls le ou la secrétaire de séance et la coordination rédigent le compte rendu."),
    )
    minutes = services.minutes_get_or_create(reunion=reunion)
    if minutes.status == Minutes.Status.ADOPTED:
        messages.error(request, _("Ce compte rendu est adopté : ouvrez une correction pour le modifier."))
        return to_minutes(reunion)
    form = MinutesForm(request.POST or None, sections=list(minutes.sections.all()))
    if request.method == "POST" and form.is_valid():
        services.minutes_save(minutes=minutes, by=request.user, bodies=form.bodies())
        messages.success(request, _("Compte rendu enregistré."))
        return to_minutes(reunion)
    return render(request, "reunions/minutes_form.html", ctx(request, form=form, reunion=reunion, minutes=minutes))


def _decisions_reunion(request, pk: int):
    """The reunion whose decisions the acting user changes: only while its minutes are not adopted (403)."""
    return reunion_for(
        request.access,
        pk,
        rule=permissions.can_change_decisions,
        message=_(
            "Les décisions d'un compte rendu adopté ne changent plus : ouvrez une correction (nouvelle version) "
            "pour les modifier. Seuls le ou la secrétaire de séance et la coordination agissent sur le compte rendu."
        ),
    )


@collectif_view(WRITE, methods=("POST",))
def decision_add(request, pk: int):
    reunion = _decisions_reunion(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        services.decision_add(reunion=reunion, by=request.user, text=form.cleaned_data["text"])
    return to_minutes(reunion, "decisions")


@collectif_view(WRITE, methods=("POST",))
def decision_delete(request, pk: int, decision_pk: int):
    reunion = _decisions_reunion(request, pk)
    decision = decision_for(
        request.access,
        reunion,
        decision_pk,
        rule=permissions.can_delete_decision,
        message=_("Cette décision a ouvert une action : elle reste, pour que l'action garde son origine."),
    )
    services.decision_delete(decision=decision, by=request.user)
    return to_minutes(reunion, "decisions")


@collectif_view(WRITE, methods=("POST",))
def minutes_submit(request, pk: int):
    reunion = _editable_reunion(request, pk)
    minutes = services.minutes_get_or_create(reunion=reunion)
    form = SubmitMinutesForm(request.POST)
    if minutes.status == Minutes.Status.DRAFT and form.is_valid():
        services.minutes_submit(minutes=minutes, by=request.user, comment_days=form.cleaned_data["comment_days"])
        messages.success(request, _("Compte rendu soumis aux présents."))
    return to_minutes(reunion)


@collectif_view(WRITE, methods=("POST",))
def minutes_comment(request, pk: int):
    reunion = reunion_for(request.access, pk)
    minutes = minutes_for(
        request.access,
        reunion,
        rule=permissions.can_comment_minutes,
        message=_("Seules les personnes présentes commentent, pendant la période prévue."),
    )
    form = CommentForm(request.POST)
    if form.is_valid():
        services.minutes_comment(minutes=minutes, by=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Commentaire ajouté."))
    return to_minutes(reunion)


@collectif_view(MANAGE, methods=("POST",))
def minutes_adopt(request, pk: int):
    reunion = reunion_for(request.access, pk)
    minutes = minutes_for(request.access, reunion, status__in=[Minutes.Status.DRAFT, Minutes.Status.SUBMITTED])
    version = services.minutes_adopt(minutes=minutes, by=request.user)
    messages.success(request, _("Compte rendu adopté (version %(number)s).") % {"number": version.number})
    return to_minutes(reunion)


@collectif_view(MANAGE, methods=("POST",))
def minutes_reopen(request, pk: int):
    reunion = reunion_for(request.access, pk)
    minutes = minutes_for(request.access, reunion, status=Minutes.Status.ADOPTED)
    services.minutes_reopen(minutes=minutes, by=request.user)
    messages.success(request, _("Correction ouverte : la version adoptée reste consultable."))
    return redirect("reunions:minutes_edit", collectif_slug=reunion.collectif.slug, pk=reunion.pk)


@collectif_view(READ)
def minutes_pdf(request, pk: int):
    reunion = reunion_for(request.access, pk)
    minutes = minutes_for(request.access, reunion, version__gt=0)
    version = minutes.versions.order_by("-number").defer("html", "decisions").first()
    # Everything the PDF prints, read without rendering: the adopted version (frozen, so its pk and number), the
    # reunion (its updated_at), the collectif's name, and the people present or excused with their institution
    # (one query of plain values; the rows are built only when the PDF is printed).
    printed = reunion.invitations.filter(
        attendance__in=[Invitation.Attendance.PRESENT, Invitation.Attendance.EXCUSED]
    ).order_by("pk")
    attendance = printed.values_list(
        "pk",
        "attendance",
        "membership__user__first_name",
        "membership__user__last_name",
        "membership__user__email",
        "membership__institution__name",
    )
    digest = content_digest(
        f"v{version.pk}-{version.number}",
        reunion.updated_at.isoformat(),
        reunion.collectif.name,
        *("\x1f".join(str(value) for value in row) for row in attendance),
    )

    def build() -> bytes:
        people = list(printed.select_related("membership__user", "membership__institution"))
        context = {
            "reunion": reunion,
            "version": minutes.versions.get(pk=version.pk),
            "present": [inv for inv in people if inv.attendance == Invitation.Attendance.PRESENT],
            "excused": [inv for inv in people if inv.attendance == Invitation.Attendance.EXCUSED],
        }
        return render_pdf(
            "reunions/pdf/minutes.html", context, title=_("Compte rendu — %(title)s") % {"title": reunion.title}
        )

    pdf = stored_pdf(
        folder="reunions/minutes",
        stem=f"minutes-{minutes.pk}",
        digest=digest,
        build=build,
        storage=private_storage(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="compte-rendu-{reunion.pk}-v{version.number}.pdf"'
    return response
