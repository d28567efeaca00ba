from tests.access import COORDINATORS, MEMBERS_READ, PUBLIC, Case, expect


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
]


def extend_world(world) -> None:
    from collectifs.services import charte_edit

    charte_edit(collectif=world.collectif, text="Première version.", by=world.users["coordinator"])
    charte_edit(collectif=world.collectif, text="Première version, amendée.", by=world.users["coordinator"])
