from django.utils.functional import SimpleLazyObject

from collectifs.access import user_memberships
from collectifs.navigation import collectif_sections


def navigation(request):
    """The header lists the user's collectifs; a collectif page also gets its sections (lazily, no query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def my_collectifs():
        return [m.collectif for m in user_memberships(request)]

    context = {"my_collectifs": SimpleLazyObject(my_collectifs)}
    access = getattr(request, "access", None)
    if access is not None and access.collectif is not None:
        # Pages rendered outside the view (404 and 403 of an object fetched through the collectif) keep the
        # collectif's navigation; views pass the same `collectif` themselves. (Pages of public_view and user_view
        # have an access without a collectif: no sections.)
        context["collectif"] = access.collectif
        context["collectif_sections"] = SimpleLazyObject(
            lambda: collectif_sections(access.collectif, is_coordinator=access.can_manage, current_path=request.path)
        )
    return context
