"""Server time of the action list over 10,000 actions and of the indicators page over 5 school years of meetings."""

from __future__ import annotations

import datetime

from bench.common import Row, median_p95, ms, timings

SLUG = "bench-actions"


def _build():
    from django.utils import timezone

    from actions.models import Action
    from collectifs.models import Collectif, Institution, Territoire, Theme
    from membres.models import Membership, Niveau, User
    from reunions.models import Invitation, Reunion

    territoire, _ = Territoire.objects.get_or_create(name="Bench-sur-Isère", kind=Territoire.Kind.COMMUNE)
    collectif, created = Collectif.objects.get_or_create(
        slug=SLUG, defaults={"name": "Collectif de mesure", "territoire": territoire}
    )
    coordinator, _ = User.objects.get_or_create(email="bench-coordination@exemple.org")
    if not created:
        return collectif, coordinator
    institutions = Institution.objects.bulk_create(
        Institution(name=f"Bench institution {i}", kind=Institution.Kind.values[i % 11], territoire=territoire)
        for i in range(40)
    )
    users = User.objects.bulk_create(User(email=f"bench-{i}@exemple.org") for i in range(60))
    Membership.objects.create(
        user=coordinator,
        collectif=collectif,
        institution=institutions[0],
        function="Coordinatrice",
        niveau=Niveau.ENCADREMENT,
        role=Membership.Role.COORDINATOR,
    )
    memberships = Membership.objects.bulk_create(
        Membership(
            user=u,
            collectif=collectif,
            institution=institutions[i % 40],
            function="CPE",
            niveau=Niveau.values[i % 3],
            joined_on=datetime.date(2020, 1, 1),
        )
        for i, u in enumerate(users)
    )
    themes = list(Theme.objects.all())
    actions = Action.objects.bulk_create(
        Action(
            collectif=collectif,
            title=f"Action mesurée {i}",
            status=Action.Status.values[i % 5],
            lead_institution=institutions[i % 40],
        )
        for i in range(10_000)
    )
    Action.themes.through.objects.bulk_create(
        Action.themes.through(action_id=a.pk, theme_id=themes[i % len(themes)].pk) for i, a in enumerate(actions)
    )
    Action.referents.through.objects.bulk_create(
        Action.referents.through(action_id=a.pk, user_id=users[i % 60].pk) for i, a in enumerate(actions)
    )
    first = timezone.now() - datetime.timedelta(days=5 * 365)
    reunions = Reunion.objects.bulk_create(
        Reunion(
            collectif=collectif,
            kind=Reunion.Kind.values[i % 5],
            title=f"Réunion mesurée {i}",
            status=Reunion.Status.HELD,
            starts_at=first + datetime.timedelta(days=7 * i),
        )
        for i in range(260)
    )
    attendances = ["present", "present", "excuse", "absent", ""]
    Invitation.objects.bulk_create(
        Invitation(reunion=r, membership=m, attendance=attendances[(i + j) % 5])
        for i, r in enumerate(reunions)
        for j, m in enumerate(memberships)
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a real database
    return collectif, coordinator


def run() -> list[Row]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    _collectif, coordinator = _build()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(coordinator)
    rows = []
    pages = [
        ("liste des actions", reverse("actions:list", kwargs={"collectif_slug": SLUG}), "10 000 actions"),
        (
            "liste filtrée (thème, statut)",
            reverse("actions:list", kwargs={"collectif_slug": SLUG}) + "?theme=orientation&status=en_cours&page=2",
            "10 000 actions",
        ),
        (
            "indicateurs (année en cours)",
            reverse("actions:indicateurs", kwargs={"collectif_slug": SLUG}),
            "5 ans, 260 réunions, 15 600 invitations",
        ),
    ]
    for measure, url, size in pages:
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            assert client.get(url).status_code == 200
        median, p95 = median_p95(timings(lambda url=url: client.get(url), repeat=30))
        rows.append(Row(f"{measure} ({len(queries)} requêtes SQL)", size, ms(median), ms(p95), "≤ 10 requêtes"))
    return rows
