"""Directory and cartography of a collectif of 300 members: time of a full page and number of queries."""

from __future__ import annotations

from bench.common import Row, median_p95, ms, timings

SIZE = 300


def _collectif():
    from collectifs.models import Collectif, Institution, Territoire
    from membres.models import Membership, Niveau, User

    territoire, _ = Territoire.objects.get_or_create(name="Commune de mesure", kind=Territoire.Kind.COMMUNE)
    collectif, _ = Collectif.objects.get_or_create(
        slug="bench-membres", defaults={"name": "Collectif de mesure", "territoire": territoire}
    )
    kinds = list(Institution.Kind)
    institutions = [
        Institution.objects.get_or_create(
            name=f"Institution de mesure {i:02d}", territoire=territoire, defaults={"kind": kinds[i % len(kinds)]}
        )[0]
        for i in range(40)
    ]
    niveaux = list(Niveau)
    existing = Membership.objects.filter(collectif=collectif).count()
    for n in range(existing, SIZE):
        user, _ = User.objects.get_or_create(
            email=f"mesure{n}@exemple.org", defaults={"first_name": "Personne", "last_name": f"Mesure {n:03d}"}
        )
        Membership.objects.create(
            user=user,
            collectif=collectif,
            institution=institutions[n % 40],
            function="Fonction",
            niveau=niveaux[n % 3],
            role=Membership.Role.COORDINATOR if n == 0 else Membership.Role.MEMBER,
        )
    coordinator = Membership.objects.get(collectif=collectif, role=Membership.Role.COORDINATOR).user
    return collectif, coordinator


def run() -> list[Row]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    collectif, coordinator = _collectif()
    client = Client(HTTP_HOST="localhost")
    client.force_login(coordinator)
    rows = []
    for label, name in (("annuaire", "membres:annuaire"), ("cartographie", "collectifs:cartographie")):
        url = reverse(name, kwargs={"collectif_slug": collectif.slug})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        count = len(queries.captured_queries)  # read now: later requests reset the log
        median, p95 = median_p95(timings(lambda url=url: client.get(url), repeat=20))
        rows.append(
            Row(
                measure=f"{label} ({count} requêtes SQL)",
                size=f"{SIZE} membres",
                median=ms(median),
                p95=ms(p95),
                target="≤ 10 requêtes, < 500 ms",
            )
        )
    return rows
