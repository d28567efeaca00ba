"""The charte page with two versions of 50 KiB each (issue #12): the diff is computed once when the second
version is saved, so a visit only reads it. Also measured: that save, and a worst case for the diff (two
unrelated 50 KiB texts)."""

from __future__ import annotations

import random
import time

from bench.common import Row, median_p95, ms, timings

SIZE = 50 * 1024


def _text(seed: int) -> str:
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyzéè") for _ in range(rng.randint(2, 9))) for _ in range(4000)
    ]
    paragraphs, size = [], 0
    while size < SIZE:
        paragraph = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(30, 90))) + "."
        paragraphs.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(paragraphs)[:SIZE]


def _edited(text: str) -> str:
    """Every fourth paragraph changed by a few words, one paragraph removed, one added."""
    paragraphs = text.split("\n\n")
    for i in range(0, len(paragraphs), 4):
        words = paragraphs[i].split(" ")
        words[len(words) // 2] = "modifié"
        paragraphs[i] = " ".join(words[:-3])
    del paragraphs[len(paragraphs) // 2]
    paragraphs.insert(3, "Un paragraphe ajouté pour la nouvelle version de la charte.")
    return "\n\n".join(paragraphs)


def run() -> list[Row]:
    from django.test import Client
    from django.urls import reverse

    from collectifs import services
    from collectifs.diff import text_diff
    from collectifs.models import CharteVersion, Collectif, Institution, Territoire
    from membres.models import Membership, Niveau, User

    territoire, _ = Territoire.objects.get_or_create(name="Commune de mesure", kind=Territoire.Kind.COMMUNE)
    collectif, _ = Collectif.objects.get_or_create(
        slug="bench-charte", defaults={"name": "Collectif de la charte", "territoire": territoire}
    )
    institution, _ = Institution.objects.get_or_create(name="Institution de la charte", territoire=territoire)
    user, _ = User.objects.get_or_create(email="charte@exemple.org", defaults={"first_name": "C", "last_name": "C"})
    Membership.objects.get_or_create(
        user=user,
        collectif=collectif,
        defaults={"institution": institution, "niveau": Niveau.TERRAIN, "role": Membership.Role.COORDINATOR},
    )
    CharteVersion.objects.filter(collectif=collectif).delete()
    first, second = _text(1), _edited(_text(1))
    services.charte_edit(collectif=collectif, text=first, by=user)
    start = time.perf_counter()
    services.charte_edit(collectif=collectif, text=second, by=user)
    save = time.perf_counter() - start

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = reverse("collectifs:charte", kwargs={"collectif_slug": collectif.slug})
    assert client.get(url).status_code == 200
    median, p95 = median_p95(timings(lambda: client.get(url), repeat=20))
    worst = median_p95(timings(lambda: text_diff(_text(2), _text(3)), repeat=5, warmup=1))
    size = f"2 versions de {len(first.encode()) // 1024} et {len(second.encode()) // 1024} Kio"
    return [
        Row(measure="page de la charte (diff stocké)", size=size, median=ms(median), p95=ms(p95), target="< 1 s"),
        Row(
            measure="enregistrement d'une version (calcul du diff)",
            size=size,
            median=ms(save),
            p95="—",
            target="< 1 s",
        ),
        Row(
            measure="diff de deux textes sans rapport",
            size="2 × 50 Kio",
            median=ms(worst[0]),
            p95=ms(worst[1]),
            target="< 1 s",
        ),
    ]
