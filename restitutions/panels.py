"""What the restitutions app shows on other apps' pages (registered into their hooks in apps.py)."""

from django.template.loader import render_to_string


def reunion_cycle_section(request, reunion) -> str:
    """An atelier held as a session of a cycle links to the cycle's page, when the collectif of the page takes
    part in the cycle (one query, on ateliers only)."""
    from restitutions.models import Cycle, CycleSession
    from reunions.models import Reunion

    if reunion.kind != Reunion.Kind.ATELIER:
        return ""
    collectif = request.access.collectif
    session = (
        CycleSession.objects.filter(reunion=reunion, cycle__in=Cycle.objects.for_collectif(collectif))
        .select_related("cycle")
        .first()
    )
    if session is None:
        return ""
    return render_to_string(
        "restitutions/includes/reunion_cycle_section.html",
        {"collectif": collectif, "session": session, "cycle": session.cycle},
        request=request,
    )
