"""The one access path: who may open which page, and how a view fetches an object.

Every view of the project is wrapped by exactly one of the decorators below, which decide in this order:

1. an anonymous visitor is sent to the login page (302), whatever the method — every app answers alike;
2. a method the view does not take answers 405 (`methods=("POST",)` replaces `@require_POST`);
3. the collectif of the URL is loaded *through the user's memberships*: outside it, 404 (its existence is not
   disclosed);
4. the role must reach `need` (READ, WRITE or MANAGE): otherwise 403.

The view then reads `request.access` (an `Access`) and fetches its objects with `fetch()` from a queryset scoped
to `request.access.collectif` (another collectif's object: 404), giving the rule the object must pass (403).
Views never raise `PermissionDenied` themselves.

Every rule (`can_*` in `<app>/permissions.py`) takes the same arguments: `(access: Access, obj=None) -> bool`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from collectifs.models import Collectif
    from membres.models import Membership, User

READ = "read"
WRITE = "write"
MANAGE = "manage"
NEEDS = (READ, WRITE, MANAGE)


@dataclass(frozen=True)
class Access:
    """What the acting user may do: in one collectif (`collectif` set) or across the platform (`collectif` None)."""

    user: User
    collectif: Collectif | None
    membership: Membership | None
    can_read: bool
    can_write: bool
    can_manage: bool

    @property
    def by(self) -> User:
        """The acting user, as services name it (`by=`)."""
        return self.user

    @property
    def is_crpv_editor(self) -> bool:
        return bool(self.user.is_authenticated and (self.user.is_superuser or self.user.is_crpv_editor))

    def allows(self, need: str) -> bool:
        return {READ: self.can_read, WRITE: self.can_write, MANAGE: self.can_manage}[need]


# --- The roles: who reads, writes and manages a collectif (the rules in <app>/permissions.py build on them) ---


def _can_write_in_collectif(user, membership: Membership | None) -> bool:
    """Members and coordinators write (actions, journals, answers); guests only read."""
    return bool(user.is_authenticated and (user.is_superuser or (membership and membership.can_write)))


def _can_manage_collectif(user, membership: Membership | None) -> bool:
    """Coordinators run the collectif: invitations, scheduling, attendance, charte. Superusers may too."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or (membership and membership.is_active and membership.is_coordinator))
    )


def _is_crpv_editor(user) -> bool:
    """Staff of the resource centres (CRPV) write fiches and restitutions for every collectif they accompany."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_crpv_editor))


def is_crpv_editor_rule(access: Access, obj=None) -> bool:
    """Staff of the resource centres (CRPV), and superusers, write fiches and restitutions for every collectif they
    accompany (`collectifs.access.editor_view`)."""
    return access.is_crpv_editor


def user_access(user) -> Access:
    """The platform-wide access of a user (no collectif): for CRPV editors' and personal pages."""
    return Access(
        user=user, collectif=None, membership=None, can_read=user.is_authenticated, can_write=False, can_manage=False
    )


# --- The user's memberships, cached across requests ---------------------------------------------------------------

# A cached list is used only while it carries the current generations: the user's own (moved on by every save or
# deletion of one of their memberships) and the collectifs' (moved on by every save or deletion of a collectif or
# an institution, whose rows the list carries). A queryset update() of those rows shows up at most this late.
MEMBERSHIPS_CACHE_SECONDS = 300
COLLECTIFS_GENERATION_KEY = "memberships-gen:collectifs"


def memberships_cache_key(user_id) -> str:
    return f"memberships:{user_id}"


def memberships_generation_key(user_id) -> str:
    return f"memberships-gen:{user_id}"


def _move_generation(key: str) -> None:
    from django.core.cache import cache

    try:
        cache.incr(key)
    except ValueError:  # no generation yet (or evicted): a new value no cached list carries
        cache.set(key, time.time_ns(), None)


def memberships_forget(sender, instance, **kwargs) -> None:
    """A membership was saved or deleted (post_save, post_delete): its person's cached list is not used again."""
    if instance.user_id is not None:
        _move_generation(memberships_generation_key(instance.user_id))


def collectifs_forget(sender, instance, **kwargs) -> None:
    """A collectif or an institution was saved or deleted: no cached list of memberships is used again."""
    _move_generation(COLLECTIFS_GENERATION_KEY)


def user_memberships(request) -> list[Membership]:
    """The user's active memberships with their collectif and institution, read once per request and kept in the
    shared cache across requests (see MEMBERSHIPS_CACHE_SECONDS): the access check and the header's list of
    collectifs share them (a person belongs to a few collectifs). One cache round trip on a page, no query."""
    if not hasattr(request, "_active_memberships"):
        request._active_memberships = _memberships_of(request.user.pk)
    return request._active_memberships


def _memberships_of(user_id) -> list[Membership]:
    from django.core.cache import cache

    from membres.models import Membership

    key, user_key = memberships_cache_key(user_id), memberships_generation_key(user_id)
    found = cache.get_many([key, user_key, COLLECTIFS_GENERATION_KEY])
    generations = (found.get(user_key), found.get(COLLECTIFS_GENERATION_KEY))
    entry = found.get(key)
    if None not in generations and entry is not None and entry[0] == generations:
        return entry[1]
    if None in generations:  # read the generations before the rows: a change after this read moves them on
        cache.add(user_key, time.time_ns(), None)
        cache.add(COLLECTIFS_GENERATION_KEY, time.time_ns(), None)
        found = cache.get_many([user_key, COLLECTIFS_GENERATION_KEY])
        generations = (found.get(user_key), found.get(COLLECTIFS_GENERATION_KEY))
    memberships = list(Membership.objects.active().select_related("collectif", "institution").filter(user=user_id))
    if None not in generations:
        cache.set(key, (generations, memberships), MEMBERSHIPS_CACHE_SECONDS)
    return memberships


def load_collectif_access(
    user, collectif_slug: str, *, crpv_writes: bool = False, memberships: list[Membership] | None = None
) -> Access:
    """The collectif and the user's active membership, in one query at most; Http404 when the user is not in it.

    `crpv_writes=True` (restitutions): CRPV editors, who belong to no collectif, enter every collectif and write.
    `memberships`: the user's active memberships when already read (`user_memberships`).
    """
    from collectifs.models import Collectif
    from membres.models import Membership

    if memberships is not None:
        membership = next((m for m in memberships if m.collectif.slug == collectif_slug), None)
    else:
        membership = (
            Membership.objects.active()
            .select_related("collectif", "institution")
            .filter(user=user, collectif__slug=collectif_slug)
            .first()
        )
    crpv = crpv_writes and _is_crpv_editor(user)
    if membership is not None:
        collectif = membership.collectif
    elif user.is_superuser or crpv:
        collectif = Collectif.objects.filter(slug=collectif_slug).first()
    else:
        collectif = None
    if collectif is None:
        raise Http404(_("Collectif introuvable."))
    return Access(
        user=user,
        collectif=collectif,
        membership=membership,
        can_read=True,
        can_write=_can_write_in_collectif(user, membership) or crpv,
        can_manage=_can_manage_collectif(user, membership),
    )


def _refuse_method(request, methods: Iterable[str] | None):
    if methods is not None and request.method not in methods:
        return HttpResponseNotAllowed(list(methods))
    return None


def collectif_view(
    need: str = READ,
    *,
    methods: Iterable[str] | None = None,
    crpv_writes: bool = False,
):
    """Decorate a view taking `collectif_slug`: sets `request.access` (an Access) for the collectif of the URL.

    `need`: READ (guests included), WRITE (members and coordinators), MANAGE (coordinators). `methods`: the HTTP
    methods the view takes (405 otherwise). `crpv_writes`: CRPV editors enter every collectif and write.
    """
    if need not in NEEDS:
        raise ValueError(f"need must be one of {NEEDS}, not {need!r}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, collectif_slug: str, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if (refused := _refuse_method(request, methods)) is not None:
                return refused
            access = load_collectif_access(
                request.user, collectif_slug, crpv_writes=crpv_writes, memberships=user_memberships(request)
            )
            if not access.allows(need):
                raise PermissionDenied(_("Votre rôle dans ce collectif ne permet pas cette action."))
            request.access = access
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def user_view(*, rule: Callable[[Access], bool] | None = None, methods: Iterable[str] | None = None, message=None):
    """Decorate a view outside any collectif (personal pages, CRPV editors' pages): logged-in users only, then
    `rule(access)` must hold (403). Sets `request.access` (collectif None)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if (refused := _refuse_method(request, methods)) is not None:
                return refused
            access = user_access(request.user)
            if rule is not None and not rule(access):
                raise PermissionDenied(message or _("Votre rôle ne permet pas cette action."))
            request.access = access
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def editor_view(*, methods: Iterable[str] | None = None):
    """CRPV editors' pages (and superusers'): anonymous visitors go to the login page, everybody else gets 403."""
    return user_view(
        rule=is_crpv_editor_rule,
        methods=methods,
        message=_("Réservé aux éditeurs des centres de ressources (CRPV)."),
    )


def public_view(*, methods: Iterable[str] | None = None):
    """Pages anyone may read (published fiches and restitutions, answer links): only the method is checked.
    Sets `request.access` for a logged-in user (collectif None), None otherwise."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if (refused := _refuse_method(request, methods)) is not None:
                return refused
            request.access = user_access(request.user) if request.user.is_authenticated else None
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def fetch(
    queryset: QuerySet,
    access: Access | None = None,
    *,
    rule: Callable[[Access, Any], bool] | None = None,
    message: str | None = None,
    **lookup,
) -> Model:
    """One object of a queryset already scoped to what the user may see (404 otherwise), which must then pass
    `rule(access, obj)` (403 otherwise, with `message`)."""
    obj = get_object_or_404(queryset, **lookup)
    if rule is not None and not rule(access, obj):
        raise PermissionDenied(message or _("Votre rôle dans ce collectif ne permet pas cette action."))
    return obj
