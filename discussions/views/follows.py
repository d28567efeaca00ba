from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from collectifs.access import collectif_view
from discussions import permissions
from discussions.access import thread_for
from discussions.services.follows import thread_follow, thread_unfollow


@collectif_view(methods=("POST",))
def follow(request, pk: int):
    thread = thread_for(request.access, pk, rule=permissions.can_follow_thread)
    thread_follow(thread=thread, by=request.user)
    messages.success(request, _("Vous suivez cette discussion : ses nouveaux messages vous parviendront par e-mail."))
    return redirect(thread.get_absolute_url() + "#suivi")


@collectif_view(methods=("POST",))
def unfollow(request, pk: int):
    thread = thread_for(request.access, pk, rule=permissions.can_follow_thread)
    thread_unfollow(thread=thread, by=request.user)
    messages.success(
        request,
        _(
            "Vous ne suivez plus cette discussion. Vous la suivrez de nouveau si vous y écrivez "
            "ou si l'on vous mentionne."
        ),
    )
    return redirect(thread.get_absolute_url() + "#suivi")
