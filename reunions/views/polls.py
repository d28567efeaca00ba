"""Date polls: open one, answer it (a plain form), choose the slot."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from collectifs import calendrier
from collectifs.access import MANAGE, READ, collectif_view
from reunions import permissions
from reunions.access import poll_for, reunion_for
from reunions.forms import PollForm, VoteForm
from reunions.models import DatePoll, PollVote
from reunions.selectors import poll_grid
from reunions.services import polls as services
from reunions.services.reunions import audience_memberships
from reunions.views.common import ctx, to_detail


@collectif_view(MANAGE)
def poll_create(request, pk: int):
    reunion = reunion_for(request.access, pk, "poll")
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
        people = audience_memberships(
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
        messages.success(request, _("Sondage ouvert : chaque personne concernée a reçu un message."))
        calendrier.warn_slots(request, reunion.collectif, form.cleaned_data["slots"])
        return redirect("reunions:poll", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
    return render(request, "reunions/poll_form.html", ctx(request, form=form, reunion=reunion, slot_count=slot_count))


@collectif_view(READ)
def poll_detail(request, pk: int):
    access = request.access
    reunion = reunion_for(access, pk)
    # Everybody of the collectif reads the poll; answering (POST) is for the people invited, while it is open.
    poll = poll_for(
        access,
        reunion,
        rule=permissions.can_vote_in_poll if request.method == "POST" else None,
        message=_("Vous n'êtes pas invité·e à ce sondage, ou il est clos."),
    )
    slots = list(poll.slots.all())
    votes = list(PollVote.objects.filter(slot__poll=poll).select_related("membership__user"))
    invitations = list(reunion.invitations.select_related("membership__user").order_by("membership__user__last_name"))
    membership = access.membership
    my_votes = {v.slot_id: v.answer for v in votes if membership and v.membership_id == membership.pk}
    invited = bool(membership and any(i.membership_id == membership.pk for i in invitations))
    can_vote = invited and access.can_write and poll.status == DatePoll.Status.OPEN
    form = VoteForm(request.POST or None, slots=slots, votes=my_votes)
    if request.method == "POST" and form.is_valid():
        services.poll_vote(poll=poll, membership=membership, answers=form.answers(), by=request.user)
        messages.success(request, _("Vos disponibilités sont enregistrées."))
        return redirect("reunions:poll", collectif_slug=reunion.collectif.slug, pk=reunion.pk)
    return render(
        request,
        "reunions/poll.html",
        ctx(
            request,
            reunion=reunion,
            poll=poll,
            slots=slots,
            form=form,
            can_vote=can_vote,
            can_manage=permissions.can_manage_reunions(access),
            **poll_grid(slots, votes, invitations),
        ),
    )


@collectif_view(MANAGE, methods=("POST",))
def poll_choose(request, pk: int):
    reunion = reunion_for(request.access, pk)
    poll = poll_for(request.access, reunion, status=DatePoll.Status.OPEN)
    slot = get_object_or_404(poll.slots, pk=request.POST.get("slot") or 0)
    services.poll_choose(poll=poll, slot=slot, by=request.user)
    messages.success(request, _("Date retenue : la réunion est convoquée et chacun a reçu son invitation."))
    return to_detail(reunion)
