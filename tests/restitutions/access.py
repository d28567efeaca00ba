"""Who may open each URL of restitutions.

Rules (restitutions/permissions.py): members of the collectif read (guests too); members, coordinators and CRPV
editors write (CRPV editors in every collectif, though they belong to none); a member of another collectif
gets 404; published restitutions are public.
"""

from tests.access import LOGGED_IN, PUBLIC, Case, expect

READ = expect(anonymous=302, guest=200, member=200, coordinator=200, other=404, crpv=200, superuser=200)
WRITE = expect(anonymous=302, guest=403, member=200, coordinator=200, other=404, crpv=200, superuser=200)
# Plain-form POSTs answer with a redirect back to the restitution (htmx gets the list instead).
WRITE_POST = expect(anonymous=302, guest=403, member=302, coordinator=302, other=404, crpv=302, superuser=302)
NOWHERE = expect(anonymous=404, guest=404, member=404, coordinator=404, other=404, crpv=404, superuser=404)
# Deleting a draft: its author (none here), a coordinator or a CRPV editor; a published one: nobody (unpublish first).
DELETE_DRAFT = expect(anonymous=302, guest=403, member=403, coordinator=200, other=404, crpv=200, superuser=200)
DELETE_PUBLISHED = expect(anonymous=302, guest=403, member=403, coordinator=403, other=404, crpv=403, superuser=403)
FOREIGN = expect(anonymous=302, guest=404, member=404, coordinator=404, other=404, crpv=404, superuser=404)


def extend_world(world):
    from core.storage import save_replacing
    from restitutions.models import Point
    from restitutions.printing import cycle_digest, cycle_pdf_name, cycle_pdf_storage
    from tests.restitutions.factories import CycleFactory, FreeSectionFactory, PointFactory, RestitutionFactory

    world.cycle = CycleFactory(collectif=world.collectif, name="Cycle d'ateliers 2025")
    world.restitution = RestitutionFactory(collectif=world.collectif, cycle=world.cycle, title="Atelier 2")
    world.point = PointFactory(restitution=world.restitution, section=Point.Section.CONSTATS, position=1)
    PointFactory(restitution=world.restitution, section=Point.Section.CONSTATS, position=2)
    world.free_section = FreeSectionFactory(restitution=world.restitution)
    world.published = RestitutionFactory(collectif=world.collectif, published=True, title="Publiée")
    world.foreign = RestitutionFactory(collectif=world.other_collectif, title="Autre collectif")
    # The cycle's PDF as the Celery task leaves it, so that the download answers.
    name = cycle_pdf_name(world.cycle, cycle_digest(world.cycle))
    save_replacing(cycle_pdf_storage(), name, b"%PDF-1.7\n%%EOF\n")


def _c(w):
    return {"collectif_slug": w.collectif.slug}


def _r(w):
    return {**_c(w), "pk": w.restitution.pk}


def _p(w):
    return {**_r(w), "point_pk": w.point.pk}


def _s(w):
    return {**_r(w), "section_pk": w.free_section.pk}


def _cy(w):
    return {**_c(w), "pk": w.cycle.pk}


CASES = [
    Case("restitutions:list", READ, _c),
    Case("restitutions:create", WRITE, _c),
    Case("restitutions:import", WRITE, _c),
    Case("restitutions:detail", READ, _r),
    Case(
        "restitutions:detail",
        FOREIGN,
        lambda w: {**_c(w), "pk": w.foreign.pk},
        note="d'un autre collectif",
    ),
    Case("restitutions:update", WRITE, _r),
    Case("restitutions:delete", DELETE_DRAFT, _r),
    Case("restitutions:delete", DELETE_PUBLISHED, lambda w: {**_c(w), "pk": w.published.pk}, note="publiée"),
    Case("restitutions:pdf", READ, _r),
    Case(
        "restitutions:point_add",
        WRITE_POST,
        _r,
        method="post",
        data=lambda w: {"section": "questions", "text": "Un point."},
    ),
    Case("restitutions:point_update", WRITE, _p),
    Case("restitutions:point_delete", WRITE, _p),
    Case("restitutions:point_move", WRITE_POST, _p, method="post", data=lambda w: {"direction": "down"}),
    Case("restitutions:free_section_add", WRITE, _r),
    Case("restitutions:fill_participants", WRITE_POST, _r, method="post"),
    Case("restitutions:free_section_update", WRITE, _s),
    Case("restitutions:free_section_delete", WRITE, _s),
    Case("restitutions:cycle_create", WRITE, _c),
    Case("restitutions:cycle", READ, _cy),
    Case("restitutions:cycle_update", WRITE, _cy),
    Case("restitutions:cycle_pdf", READ, _cy),
    Case("restitutions:cycle_pdf_file", READ, _cy),
    Case("restitutions:overview", LOGGED_IN),
    Case("restitutions:public_detail", PUBLIC, lambda w: {"pk": w.published.pk}),
    Case("restitutions:public_detail", NOWHERE, lambda w: {"pk": w.restitution.pk}, note="brouillon"),
    Case("restitutions:public_pdf", PUBLIC, lambda w: {"pk": w.published.pk}),
]
