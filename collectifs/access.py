"""Loading the collectif of a URL together with the user's membership, in one query.

Every collectif-scoped view is wrapped by `collectif_view`: an anonymous visitor is sent to the login page,
a user who is not an active member gets 404 (the collectif's existence is not disclosed), a guest who tries
to write gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from collectifs import permissions
from collectifs.models import Collectif
from membres.models import Membership


@dataclass(frozen=True)
class CollectifAccess:
    collectif: Collectif
    membership: Membership | None
    can_write: bool
    can_manage: bool


def load_collectif_access(user, collectif_slug: str) -> CollectifAccess:
    """The collectif and the user's active membership; Http404 when the user is not in it."""
    membership = (
        Membership.objects.active()
        .select_related("collectif", "institution")
        .filter(user=user, collectif__slug=collectif_slug)
        .first()
    )
    if membership is not None:
        collectif = membership.collectif
    elif user.is_superuser:
        collectif = Collectif.objects.filter(slug=collectif_slug).first()
    else:
        collectif = None
    if collectif is None:
        raise Http404("Collectif introuvable.")
    return CollectifAccess(
        collectif=collectif,
        membership=membership,
        can_write=permissions.can_write_in_collectif(user, membership),
        can_manage=permissions.can_manage_collectif(user, membership),
    )


def collectif_view(*, write: bool = False, manage: bool = False):
    """Decorate a view taking `collectif_slug`: sets `request.access` (a CollectifAccess).

    write=True refuses guests (403), manage=True refuses everyone but coordinators (403).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, collectif_slug: str, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = load_collectif_access(request.user, collectif_slug)
            if (manage and not access.can_manage) or (write and not access.can_write):
                raise PermissionDenied("Votre rôle dans ce collectif ne permet pas cette action.")
            request.access = access
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class CollectifAccessMixin:
    """The same rules for class-based views: set `write_required` or `manage_required`."""

    write_required = False
    manage_required = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access = load_collectif_access(request.user, kwargs.pop("collectif_slug"))
        if (self.manage_required and not access.can_manage) or (self.write_required and not access.can_write):
            raise PermissionDenied("Votre rôle dans ce collectif ne permet pas cette action.")
        request.access = access
        self.access = access
        self.collectif = access.collectif
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("collectif", self.collectif)
        kwargs.setdefault("access", self.access)
        return super().get_context_data(**kwargs)
