"""The access layer of the collectifs, widened to CRPV editors, who write restitutions in every collectif.

`collectifs.access.collectif_view` answers 404 to anyone without a membership; for restitutions a CRPV editor
(who belongs to no collectif) gets in too, with the right to write.
"""

from __future__ import annotations

from dataclasses import replace
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from collectifs.access import CollectifAccess, load_collectif_access
from collectifs.models import Collectif
from restitutions import permissions


def load_restitution_access(user, collectif_slug: str) -> CollectifAccess:
    try:
        access = load_collectif_access(user, collectif_slug)
    except Http404:
        if not permissions.can_write_restitutions(user, None):
            raise
        collectif = Collectif.objects.filter(slug=collectif_slug).first()
        if collectif is None:
            raise
        return CollectifAccess(collectif=collectif, membership=None, can_write=True, can_manage=False)
    return replace(access, can_write=permissions.can_write_restitutions(user, access.membership))


def restitution_view(*, write: bool = False):
    """Decorate a view taking `collectif_slug`: sets `request.access`; write=True refuses guests (403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, collectif_slug: str, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = load_restitution_access(request.user, collectif_slug)
            if write and not access.can_write:
                raise PermissionDenied("Votre rôle dans ce collectif ne permet pas d'écrire une restitution.")
            request.access = access
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
