from tests.access import MEMBERS_READ, PUBLIC, Case, expect

CASES = [
    Case("home", PUBLIC),
    Case("collectifs:detail", MEMBERS_READ, kwargs=lambda w: {"collectif_slug": w.collectif.slug}),
    Case(
        "collectifs:detail",
        expect(anonymous=302, guest=404, member=404, coordinator=404, other=200, crpv=404, superuser=200),
        kwargs=lambda w: {"collectif_slug": w.other_collectif.slug},
        note="(autre collectif)",
    ),
]
