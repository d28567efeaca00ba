from tests.access import COORDINATORS, MEMBERS_READ, PUBLIC, Case, expect

COORDINATORS_POST = expect(anonymous=302, guest=403, member=403, coordinator=302, other=404, crpv=404, superuser=302)


def _slug(w):
    return {"collectif_slug": w.collectif.slug}


CASES = [
    Case("home", PUBLIC),
    Case("collectifs:detail", MEMBERS_READ, kwargs=_slug),
    Case(
        "collectifs:detail",
        expect(anonymous=302, guest=404, member=404, coordinator=404, other=200, crpv=404, superuser=200),
        kwargs=lambda w: {"collectif_slug": w.other_collectif.slug},
        note="(autre collectif)",
    ),
    Case("collectifs:cartographie", MEMBERS_READ, kwargs=_slug),
    Case("collectifs:charte", MEMBERS_READ, kwargs=_slug),
    Case("collectifs:charte", MEMBERS_READ, kwargs=_slug, query="?version=1", note="(version 1)"),
    Case("collectifs:charte_edit", COORDINATORS, kwargs=_slug),
    Case(
        "collectifs:charte_edit",
        expect(anonymous=302, guest=403, member=403, coordinator=302, other=404, crpv=404, superuser=302),
        kwargs=_slug,
        method="post",
        data=lambda w: {"text": "Une nouvelle version de la charte."},
    ),
    Case("collectifs:charte_adoption", COORDINATORS, kwargs=_slug),
    Case("collectifs:calendrier", MEMBERS_READ, kwargs=_slug),
    Case("collectifs:academie", COORDINATORS_POST, kwargs=_slug, method="post", data=lambda w: {"academie": "lille"}),
    Case(
        "collectifs:periode_add",
        COORDINATORS_POST,
        kwargs=_slug,
        method="post",
        data=lambda w: {"kind": "bac", "label": "Épreuves du bac", "starts_on": "2026-06-15", "ends_on": "2026-06-19"},
    ),
    Case(
        "collectifs:periode_delete",
        COORDINATORS_POST,
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "periode_pk": w.periode.pk},
        method="post",
    ),
    Case(
        "collectifs:periode_delete",
        expect(anonymous=302, guest=405, member=405, coordinator=405, other=405, crpv=405, superuser=405),
        kwargs=lambda w: {"collectif_slug": w.collectif.slug, "periode_pk": w.periode.pk},
        note="(GET refusé)",
    ),
]


def extend_world(world) -> None:
    from collectifs.services import charte_edit

    charte_edit(collectif=world.collectif, text="Première version.", by=world.users["coordinator"])
    charte_edit(collectif=world.collectif, text="Première version, amendée.", by=world.users["coordinator"])
    import datetime

    from collectifs.services import periode_add

    world.periode = periode_add(
        collectif=world.collectif,
        kind="conseils_de_classe",
        label="Conseils de classe du 2e trimestre",
        starts_on=datetime.date(2026, 3, 9),
        ends_on=datetime.date(2026, 3, 20),
        by=world.users["coordinator"],
    )
