"""The collectif's reunion settings (default reminder offsets)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from collectifs.access import MANAGE, collectif_view
from reunions.forms import CollectifSettingsForm
from reunions.services import settings as services
from reunions.views.common import ctx


@collectif_view(MANAGE)
def collectif_settings(request):
    collectif = request.access.collectif
    form = CollectifSettingsForm(
        request.POST or None, initial={"offsets": services.collectif_reminder_offsets(collectif)}
    )
    if request.method == "POST" and form.is_valid():
        services.reunion_settings_update(
            collectif=collectif, by=request.user, reminder_offsets=form.cleaned_data["offsets"]
        )
        messages.success(request, _("Réglages enregistrés."))
        return redirect("reunions:settings", collectif_slug=collectif.slug)
    return render(request, "reunions/settings.html", ctx(request, form=form))
