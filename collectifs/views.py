from django.shortcuts import render

from collectifs.access import collectif_view
from membres.models import Membership


def home(request):
    """Anonymous visitors get the presentation; members get their collectifs."""
    if not request.user.is_authenticated:
        return render(request, "collectifs/landing.html")
    memberships = (
        Membership.objects.active()
        .filter(user=request.user)
        .select_related("collectif__territoire", "institution")
        .order_by("collectif__name")
    )
    return render(request, "collectifs/home.html", {"memberships": memberships})


@collectif_view()
def collectif_detail(request):
    access = request.access
    return render(request, "collectifs/detail.html", {"collectif": access.collectif, "access": access})
