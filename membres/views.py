from __future__ import annotations

import csv
import json
from itertools import groupby

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from collectifs.access import MANAGE, collectif_view, fetch, public_view, user_view
from collectifs.services import institution_get_or_create
from membres import permissions, services
from membres.adapters import INVITATION_SESSION_KEY
from membres.filters import DirectoryFilter
from membres.forms import (
    BulkInvitationForm,
    DeleteAccountForm,
    EndMembershipForm,
    HandoverForm,
    InvitationForm,
    ProfileForm,
    parse_bulk_lines,
)
from membres.models import MemberInvitation, Membership, User

DIRECTORY_PAGE_SIZE = 100


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


# --- Directory -------------------------------------------------------------------------------------------------


def _directory_filter(request) -> DirectoryFilter:
    queryset = (
        Membership.objects.filter(collectif=request.access.collectif)
        .select_related("user", "institution")
        .order_by("institution__name", "institution_id", "user__last_name", "user__first_name", "pk")
    )
    return DirectoryFilter(request.GET, queryset=queryset)


@collectif_view()
def annuaire(request):
    """Members grouped by institution; 100 per page keeps even a 300-member collectif readable and fast."""
    access = request.access
    directory = _directory_filter(request)
    page = Paginator(directory.qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    groups = [
        (institution, list(rows)) for institution, rows in groupby(page.object_list, key=lambda m: m.institution)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "membres/annuaire.html",
        {
            "collectif": access.collectif,
            "access": access,
            "filter": directory,
            "page": page,
            "groups": groups,
            "query": query.urlencode(),
            "show_contacts": permissions.can_see_contact_details(access),
            "can_export": permissions.can_export_directory(access),
            "can_invite": permissions.can_invite(access),
        },
    )


@collectif_view(need=MANAGE)
def annuaire_csv(request):
    directory = _directory_filter(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="annuaire-{request.access.collectif.slug}.csv"'
    response.write("\ufeff")  # lets spreadsheet software read the accents
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            *("Nom", "Prénom", "E-mail", "Téléphone", "Institution", "Type d'institution"),
            *("Fonction", "Niveau", "Rôle", "Arrivée", "Départ"),
        ]
    )
    for m in directory.qs:
        user = m.user
        writer.writerow(
            [
                user.last_name if user else m.display_name,
                user.first_name if user else "",
                user.email if user else "",
                user.phone if user else "",
                m.institution.name,
                m.institution.get_kind_display(),
                m.function,
                m.get_niveau_display(),
                m.get_role_display(),
                m.joined_on.isoformat(),
                m.left_on.isoformat() if m.left_on else "",
            ]
        )
    return response


def _vcard_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


@collectif_view(need=MANAGE)
def annuaire_vcard(request):
    cards = []
    for m in directory_rows(request):
        user = m.user
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{_vcard_escape(user.last_name)};{_vcard_escape(user.first_name)};;;",
            f"FN:{_vcard_escape(str(user))}",
            f"ORG:{_vcard_escape(m.institution.name)}",
            f"TITLE:{_vcard_escape(m.function)}",
            f"EMAIL;TYPE=INTERNET:{user.email}",
        ]
        if user.phone:
            lines.append(f"TEL;TYPE=WORK:{_vcard_escape(user.phone)}")
        lines.append(f"NOTE:{_vcard_escape(request.access.collectif.name)} — niveau {m.get_niveau_display()}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    response = HttpResponse("\r\n".join(cards) + "\r\n", content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="annuaire-{request.access.collectif.slug}.vcf"'
    return response


def directory_rows(request):
    """The filtered memberships that still have a person (a deleted account has no card)."""
    return _directory_filter(request).qs.filter(user__isnull=False)


# --- Invitations -----------------------------------------------------------------------------------------------


@collectif_view(need=MANAGE)
def invitations(request):
    collectif = request.access.collectif
    queryset = (
        MemberInvitation.objects.filter(collectif=collectif)
        .select_related("institution", "invited_by")
        .order_by("-last_sent_at")
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "membres/invitations.html",
        {
            "collectif": collectif,
            "access": request.access,
            "page": page,
            "left_today": services.invitations_left_today(collectif),
        },
    )


@collectif_view(need=MANAGE)
def invite(request):
    collectif = request.access.collectif
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            institution = data["institution"] or institution_get_or_create(
                name=data["new_institution_name"].strip(),
                kind=data["new_institution_kind"],
                territoire=collectif.territoire,
                by=request.user,
            )
            invitation = services.invitation_create(
                collectif=collectif,
                email=data["email"],
                institution=institution,
                function=data["function"],
                niveau=data["niveau"],
                role=data["role"],
                by=request.user,
                base_url=_base_url(request),
            )
        except services.InvitationError as exc:
            form.add_error("email" if exc.code in ("already_member", "already_invited") else None, exc.message)
        else:
            messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email})
            return redirect("membres:invitations", collectif_slug=collectif.slug)
    return render(
        request,
        "membres/invite.html",
        {
            "collectif": collectif,
            "access": request.access,
            "form": form,
            "left_today": services.invitations_left_today(collectif),
        },
    )


@collectif_view(need=MANAGE)
def invite_bulk(request):
    """Each line is checked and sent on its own: the good lines go out, the faulty ones come back in the text area
    with their error, so the coordinator corrects them without sending anyone twice."""
    collectif = request.access.collectif
    form = BulkInvitationForm(request.POST or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = parse_bulk_lines(form.cleaned_data["lines"])
        for line in report:
            if line.error:
                continue
            try:
                services.invitation_create(
                    collectif=collectif,
                    email=line.email,
                    institution=line.institution,
                    function=line.function,
                    niveau=line.niveau,
                    role=form.cleaned_data["role"],
                    by=request.user,
                    base_url=_base_url(request),
                )
            except services.InvitationError as exc:
                line.error = exc.message
        failed = [line for line in report if line.error]
        sent = len(report) - len(failed)
        if sent:
            messages.success(request, _("%(n)d invitation(s) envoyée(s).") % {"n": sent})
        if not failed:
            return redirect("membres:invitations", collectif_slug=collectif.slug)
        messages.error(
            request,
            _("%(n)d ligne(s) n'ont pas été envoyées : corrigez-les ci-dessous puis renvoyez le formulaire.")
            % {"n": len(failed)},
        )
        form = BulkInvitationForm(
            initial={"lines": "\n".join(line.raw for line in failed), "role": form.cleaned_data["role"]}
        )
    return render(
        request,
        "membres/invite_bulk.html",
        {
            "collectif": collectif,
            "access": request.access,
            "form": form,
            "report": report,
            "left_today": services.invitations_left_today(collectif),
        },
    )


@collectif_view(need=MANAGE, methods=("POST",))
def invitation_resend(request, pk: int):
    collectif = request.access.collectif
    invitation = fetch(MemberInvitation.objects.filter(collectif=collectif), request.access, pk=pk)
    try:
        services.invitation_resend(invitation=invitation, by=request.user, base_url=_base_url(request))
    except services.InvitationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Nouveau lien envoyé à %(email)s ; l'ancien ne fonctionne plus.") % {"email": invitation.email}
        )
    return redirect("membres:invitations", collectif_slug=collectif.slug)


@collectif_view(need=MANAGE, methods=("POST",))
def invitation_revoke(request, pk: int):
    collectif = request.access.collectif
    invitation = fetch(MemberInvitation.objects.filter(collectif=collectif), request.access, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except services.InvitationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("L'invitation de %(email)s est retirée.") % {"email": invitation.email})
    return redirect("membres:invitations", collectif_slug=collectif.slug)


@public_view()
def invitation_accept(request, token: str):
    """The link of the e-mail. Public: the token is the proof. Newcomers sign up with the address already verified;
    people with an account log in, then confirm; nobody joins in someone else's name."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as exc:
        status = 404 if exc.code == "invalid" else 200
        return render(
            request, "membres/invitation_accept.html", {"error": exc.message, "invitation": None}, status=status
        )
    context = {"invitation": invitation, "collectif": None, "error": ""}
    if not request.user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = token
        if User.objects.filter(email__iexact=invitation.email).exists():
            messages.info(
                request,
                _("Vous avez déjà un compte : connectez-vous avec %(email)s pour rejoindre le collectif.")
                % {"email": invitation.email},
            )
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        get_adapter(request).stash_verified_email(request, invitation.email)
        return redirect("account_signup")
    if not permissions.can_accept_invitation(request.access, invitation):
        context["error"] = _(
            "Cette invitation est adressée à %(email)s, mais vous êtes connecté(e) avec %(current)s. "
            "Déconnectez-vous, puis rouvrez le lien de l'e-mail."
        ) % {"email": invitation.email, "current": request.user.email}
        context["other_user"] = True
        return render(request, "membres/invitation_accept.html", context)
    if Membership.objects.active().filter(collectif=invitation.collectif, user=request.user).exists():
        context["error"] = _("Vous êtes déjà membre de ce collectif.")
        context["already_member"] = True
        return render(request, "membres/invitation_accept.html", context)
    if request.method == "POST":
        try:
            membership = services.invitation_accept(invitation=invitation, by=request.user)
        except services.InvitationError as exc:
            context["error"] = exc.message
            return render(request, "membres/invitation_accept.html", context)
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.success(request, _("Bienvenue dans le collectif « %(name)s ».") % {"name": membership.collectif.name})
        return redirect(membership.collectif.get_absolute_url())
    return render(request, "membres/invitation_accept.html", context)


# --- End and hand-over of a membership ---------------------------------------------------------------------------


def _managed_membership(request, pk: int) -> Membership | None:
    access = request.access
    target = fetch(
        Membership.objects.filter(collectif=access.collectif).select_related("user", "institution"), access, pk=pk
    )
    if not permissions.can_manage_membership(access, target):
        messages.info(request, _("Cette appartenance est déjà terminée."))
        return None
    return target


@collectif_view(need=MANAGE)
def membership_end(request, pk: int):
    collectif = request.access.collectif
    target = _managed_membership(request, pk)
    if target is None:
        return redirect("membres:annuaire", collectif_slug=collectif.slug)
    form = EndMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.membership_end(membership=target, by=request.user, left_on=form.cleaned_data["left_on"])
        messages.success(
            request,
            _("%(name)s ne fait plus partie du collectif ; son historique est conservé.")
            % {"name": target.display_name},
        )
        return redirect("membres:annuaire", collectif_slug=collectif.slug)
    return render(
        request,
        "membres/membership_end.html",
        {"collectif": collectif, "access": request.access, "target": target, "form": form},
    )


@collectif_view(need=MANAGE)
def membership_handover(request, pk: int):
    collectif = request.access.collectif
    target = _managed_membership(request, pk)
    if target is None:
        return redirect("membres:annuaire", collectif_slug=collectif.slug)
    form = HandoverForm(
        request.POST or None, initial={"function": target.function, "niveau": target.niveau, "role": target.role}
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.membership_handover(
                membership=target,
                by=request.user,
                successor_email=form.cleaned_data["successor_email"],
                function=form.cleaned_data["function"],
                niveau=form.cleaned_data["niveau"],
                role=form.cleaned_data["role"],
                base_url=_base_url(request),
            )
        except services.InvitationError as exc:
            form.add_error("successor_email", exc.message)
        else:
            if result.successor:
                messages.success(
                    request,
                    _("%(name)s succède à %(old)s et reprend %(n)d responsabilité(s) en cours.")
                    % {"name": result.successor.display_name, "old": target.display_name, "n": result.moved},
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(email)s n'a pas encore de compte : une invitation lui est envoyée ; elle reprendra les "
                        "responsabilités en cours en l'acceptant."
                    )
                    % {"email": result.invitation.email},
                )
            return redirect("membres:annuaire", collectif_slug=collectif.slug)
    return render(
        request,
        "membres/membership_handover.html",
        {"collectif": collectif, "access": request.access, "target": target, "form": form},
    )


# --- Profile -------------------------------------------------------------------------------------------------------


@user_view()
def profil(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(by=request.user, **{name: form.cleaned_data[name] for name in form.changed_data})
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("membres:profil")
    memberships = (
        Membership.objects.filter(user=request.user).select_related("collectif", "institution").order_by("-joined_on")
    )
    return render(request, "membres/profil.html", {"form": form, "memberships": memberships})


@user_view()
def profil_export(request):
    data = services.personal_data_export(request.user)
    data["exporte_le"] = timezone.now().isoformat()
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-perseverance.json"'
    return response


@user_view()
def profil_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(by=request.user)
        except ProtectedError:
            messages.error(
                request,
                _(
                    "Votre compte est encore lié à des contenus qui ne peuvent pas devenir anonymes. "
                    "Écrivez à l'administration de la plateforme, qui finira la suppression."
                ),
            )
            return redirect("membres:profil")
        logout(request)
        messages.success(
            request, _("Votre compte est supprimé. Vos contributions restent, signées « ancien membre ».")
        )
        return redirect("home")
    return render(request, "membres/profil_delete.html", {"form": form})
