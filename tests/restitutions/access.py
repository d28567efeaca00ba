"""Who may open each URL of restitutions and cycles.

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
# Cycles: members of any of the cycle's collectifs read it; its manager (the walk's CRPV editor) and the coordinators
# of the owning collectif run it; a coordinator starts one, so does a CRPV editor.
CYCLE_CREATE = expect(anonymous=302, guest=403, member=403, coordinator=200, other=404, crpv=200, superuser=200)
CYCLE_MANAGE = expect(anonymous=302, guest=403, member=403, coordinator=200, other=404, crpv=200, superuser=200)
CYCLE_MANAGE_POST = expect(anonymous=302, guest=403, member=403, coordinator=302, other=404, crpv=302, superuser=302)
# Under the second collectif's address: its member (`other`) reads but does not run the cycle; the first collectif's
# people are not in that collectif (404).
SHARED_READ = expect(anonymous=302, guest=404, member=404, coordinator=404, other=200, crpv=200, superuser=200)
SHARED_MANAGE = expect(anonymous=302, guest=404, member=404, coordinator=404, other=403, crpv=200, superuser=200)


def extend_world(world):
    from datetime import date

    from core.storage import save_replacing
    from restitutions.models import Point
    from restitutions.printing import cycle_digest, cycle_pdf_name, cycle_pdf_storage
    from tests.restitutions.factories import (
        CycleFactory,
        CycleSessionFactory,
        FreeSectionFactory,
        PointFactory,
        RestitutionFactory,
    )

    crpv = world.users["crpv"]
    world.cycle = CycleFactory(collectif=world.collectif, name="Cycle d'ateliers 2025", manager=crpv)
    world.session = CycleSessionFactory(cycle=world.cycle, number=1, title="Premier atelier")
    # The previous atelier of the cycle, whose question vive the next restitution may take (carry-over).
    first = RestitutionFactory(
        collectif=world.collectif, cycle=world.cycle, title="Atelier 1", atelier_numbers="1", held_on=date(2025, 3, 4)
    )
    world.question = PointFactory(
        restitution=first, section=Point.Section.QUESTIONS, text="Quelle place aux parents ?"
    )
    world.restitution = RestitutionFactory(collectif=world.collectif, cycle=world.cycle, title="Atelier 2")
    # A cycle across two collectifs: the members of the second one read it under their own collectif's address.
    world.shared_cycle = CycleFactory(collectif=world.collectif, name="Cycle du département", manager=crpv)
    world.shared_cycle.collectifs.add(world.other_collectif)
    world.shared_session = CycleSessionFactory(cycle=world.shared_cycle, number=1, collectif=world.other_collectif)
    world.foreign_cycle = CycleFactory(collectif=world.other_collectif, name="Cycle d'ailleurs")
    world.point = PointFactory(restitution=world.restitution, section=Point.Section.CONSTATS, position=1)
    PointFactory(restitution=world.restitution, section=Point.Section.CONSTATS, position=2)
    world.free_section = FreeSectionFactory(restitution=world.restitution)
    world.published = RestitutionFactory(collectif=world.collectif, published=True, title="Publiée")
    world.foreign = RestitutionFactory(collectif=world.other_collectif, title="Autre collectif")
    # The cycle's PDF as the Celery task leaves it, so that the download answers.
    for cycle in (world.cycle, world.shared_cycle):
        name = cycle_pdf_name(cycle, cycle_digest(cycle))
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


def _cys(w):
    return {**_cy(w), "session_pk": w.session.pk}


def _other(w):
    return {"collectif_slug": w.other_collectif.slug}


def _shared(w):
    return {**_other(w), "pk": w.shared_cycle.pk}


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
    Case("restitutions:carry_over_take", WRITE_POST, lambda w: {**_r(w), "point_pk": w.question.pk}, method="post"),
    Case("restitutions:cycle_create", CYCLE_CREATE, _c),
    Case("restitutions:cycle", READ, _cy),
    Case("restitutions:cycle", SHARED_READ, _shared, note="partagé, par l'autre collectif"),
    Case("restitutions:cycle", READ, lambda w: {**_c(w), "pk": w.shared_cycle.pk}, note="partagé, par le sien"),
    Case("restitutions:cycle", FOREIGN, lambda w: {**_c(w), "pk": w.foreign_cycle.pk}, note="d'un autre collectif"),
    Case("restitutions:cycle", FOREIGN, lambda w: {**_other(w), "pk": w.cycle.pk}, note="non partagé"),
    Case("restitutions:cycle_update", CYCLE_MANAGE, _cy),
    Case("restitutions:cycle_update", SHARED_MANAGE, _shared, note="partagé, par l'autre collectif"),
    Case("restitutions:cycle_session_add", CYCLE_MANAGE, _cy),
    Case("restitutions:cycle_session_add", SHARED_MANAGE, _shared, note="partagé, par l'autre collectif"),
    Case(
        "restitutions:cycle_session_add",
        CYCLE_MANAGE_POST,
        _cy,
        method="post",
        data=lambda w: {"title": "Deuxième atelier", "precision": "mois", "planned_on": "2026-03-01"},
    ),
    Case("restitutions:cycle_session_update", CYCLE_MANAGE, _cys),
    Case(
        "restitutions:cycle_session_update",
        SHARED_MANAGE,
        lambda w: {**_shared(w), "session_pk": w.shared_session.pk},
        note="partagé, par l'autre collectif",
    ),
    Case("restitutions:cycle_session_update", FOREIGN, lambda w: {**_cy(w), "session_pk": w.shared_session.pk}),
    Case("restitutions:cycle_session_delete", CYCLE_MANAGE, _cys),
    Case("restitutions:cycle_session_delete", CYCLE_MANAGE_POST, _cys, method="post"),
    Case("restitutions:cycle_pdf", READ, _cy),
    Case("restitutions:cycle_pdf", SHARED_READ, _shared, note="partagé, par l'autre collectif"),
    Case("restitutions:cycle_pdf_file", READ, _cy),
    Case("restitutions:cycle_pdf_file", SHARED_READ, _shared, note="partagé, par l'autre collectif"),
    Case("restitutions:cycle_pdf_file", FOREIGN, lambda w: {**_c(w), "pk": w.foreign_cycle.pk}, note="d'ailleurs"),
    Case("restitutions:overview", LOGGED_IN),
    Case("restitutions:public_detail", PUBLIC, lambda w: {"pk": w.published.pk}),
    Case("restitutions:public_detail", NOWHERE, lambda w: {"pk": w.restitution.pk}, note="brouillon"),
    Case("restitutions:public_pdf", PUBLIC, lambda w: {"pk": w.published.pk}),
]
