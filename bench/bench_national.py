"""National scale: 500 collectifs, 20,000 members, 50,000 reunions, 200,000 invitations, 50,000 actions (bulk,
timed), plus the 5,000 fiches of bench_fiches. One collectif's pages are measured in process (test client, median
and queries) first alone — a demo-sized platform — then with the other 499 collectifs around it: each page must
stay within 1.5× of its demo-size median, with the same number of queries.

Size: BENCH_NATIONAL_COLLECTIFS (default 500; members, reunions and actions scale with it).
"""

from __future__ import annotations

import os
import random
import time
from datetime import timedelta

from bench.common import Row, median_p95, ms, timings

COLLECTIFS = int(os.environ.get("BENCH_NATIONAL_COLLECTIFS", "500"))
MEMBERS, REUNIONS, INVITED, ACTIONS = 40, 100, 4, 100  # per collectif; 4 invitations per reunion on average


def _collectif(index: int, territoire, institutions, now):
    """Rows for one collectif, bulk-created: its members, reunions (a year back, a year ahead), invitations and
    actions. Returns the collectif and one of its members."""
    from actions.models import Action
    from collectifs.models import Collectif
    from membres.models import Membership, Niveau, User
    from reunions.models import Invitation, Reunion

    rng = random.Random(index)
    collectif = Collectif.objects.create(
        name=f"Collectif national {index}", slug=f"national-{index}", territoire=territoire
    )
    users = User.objects.bulk_create(
        [
            User(email=f"n{index}-{i}@exemple.org", first_name="Personne", last_name=f"N{index}-{i:02d}")
            for i in range(MEMBERS)
        ]
    )
    niveaux = list(Niveau)
    memberships = Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                collectif=collectif,
                institution=institutions[i % len(institutions)],
                function="Fonction",
                niveau=niveaux[i % len(niveaux)],
                role=Membership.Role.COORDINATOR if i == 0 else Membership.Role.MEMBER,
            )
            for i, user in enumerate(users)
        ]
    )
    reunions = Reunion.objects.bulk_create(
        [
            Reunion(
                collectif=collectif,
                kind=Reunion.Kind.SEANCE if i % 4 else Reunion.Kind.PLENIERE,
                title=f"Réunion {i}",
                starts_at=now + timedelta(days=rng.randint(-365, 365), hours=rng.randint(0, 10)),
                status=Reunion.Status.CONVENED,
            )
            for i in range(REUNIONS)
        ]
    )
    for reunion in reunions:
        reunion.ends_at = reunion.starts_at + timedelta(hours=2)
    Reunion.objects.bulk_update(reunions, ["ends_at"])
    Invitation.objects.bulk_create(
        [Invitation(reunion=r, membership=m) for r in reunions for m in rng.sample(memberships, INVITED)]
    )
    Action.objects.bulk_create(
        [
            Action(
                collectif=collectif, title=f"Action {i}", status=rng.choice(list(Action.Status)), created_by=users[0]
            )
            for i in range(ACTIONS)
        ]
    )
    return collectif, users[1]


def _measure(collectif, user) -> dict[str, tuple[float, int]]:
    from django.test import Client, override_settings
    from django.urls import reverse

    from reunions.models import Reunion
    from reunions.services.feeds import calendar_token_new

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    slug = collectif.slug
    reunion = Reunion.objects.filter(collectif=collectif).order_by("pk").first()
    token = calendar_token_new(by=user)  # the clear token (only its hash is stored)
    pages = {
        "reunion page": reverse("reunions:detail", kwargs={"collectif_slug": slug, "pk": reunion.pk}),
        "reunion list": reverse("reunions:list", kwargs={"collectif_slug": slug}),
        "month view": reverse("reunions:month", kwargs={"collectif_slug": slug}),
        "collectif feed": reverse("reunions:feed_collectif", kwargs={"token": token, "collectif_slug": slug}),
        "action list": reverse("actions:list", kwargs={"collectif_slug": slug}),
        "directory": reverse("membres:annuaire", kwargs={"collectif_slug": slug}),
    }
    results = {}
    # Every page rendered (core.pagecache off): what the size of the data costs, not a kept page's round trip.
    with override_settings(PAGE_CACHE_SECONDS=0):
        for name, url in pages.items():
            results[name] = _measure_page(client, name, url)
    return results


def _measure_page(client, name: str, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200, name
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries.captured_queries)  # read now: later requests reset the log
    median, _ = median_p95(timings(lambda: client.get(url), repeat=20))
    return median, count


def run() -> list[Row]:
    from django.db import connection
    from django.utils import timezone

    from collectifs.models import Institution, Territoire

    now = timezone.now()
    territoire, _ = Territoire.objects.get_or_create(name="Territoire national", kind=Territoire.Kind.COMMUNE)
    kinds = list(Institution.Kind)
    institutions = [
        Institution.objects.get_or_create(
            name=f"Institution nationale {i:02d}", territoire=territoire, defaults={"kind": kinds[i % len(kinds)]}
        )[0]
        for i in range(40)
    ]
    _wipe()
    collectif, user = _collectif(0, territoire, institutions, now)
    small = _measure(collectif, user)
    start = time.perf_counter()
    for index in range(1, COLLECTIFS):
        _collectif(index, territoire, institutions, now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    generated = time.perf_counter() - start
    # What autovacuum would do to the new rows (visibility map, statistics) is done now, not during the timing:
    # a run where it vacuumed 200,000 invitations under the measured pages put two of them over 1.5×.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    large = _measure(collectif, user)
    size = f"{COLLECTIFS} collectifs"
    rows = [
        Row(
            "national data set generated (bulk)",
            f"{COLLECTIFS * MEMBERS} members, {COLLECTIFS * REUNIONS} reunions, "
            f"{COLLECTIFS * REUNIONS * INVITED} invitations, {COLLECTIFS * ACTIONS} actions",
            f"{generated:.0f} s",
            "",
            "< 300 s",
        )
    ]
    for name, (median, queries) in large.items():
        base, base_queries = small[name]
        rows.append(
            Row(
                f"{name}: {median / base:.2f}× demo size, {queries} queries (demo {base_queries})",
                size,
                ms(median),
                ms(base),
                "≤ 1.5×, same queries",
            )
        )
    _wipe()
    return rows


def _wipe() -> None:
    from actions.models import Action
    from collectifs.models import Collectif
    from membres.models import Membership, User
    from reunions.models import Invitation, Reunion

    Invitation.objects.filter(reunion__collectif__slug__startswith="national-").delete()
    Reunion.objects.filter(collectif__slug__startswith="national-").delete()
    Action.objects.filter(collectif__slug__startswith="national-").delete()
    Membership.objects.filter(collectif__slug__startswith="national-").delete()
    User.objects.filter(email__startswith="n", email__endswith="@exemple.org", email__contains="-").delete()
    Collectif.objects.filter(slug__startswith="national-").delete()
