"""Bounded work under hostile input (issue #12): the restitution paste at its caps, and the public fiche PDF once
stored (a visit renders the HTML and reads the file; it does not print)."""

from __future__ import annotations

from bench.common import Row, median_p95, ms, timings


def _setup():
    from collectifs.models import Collectif, Institution, Territoire
    from membres.models import Membership, Niveau, User

    territoire, _ = Territoire.objects.get_or_create(name="Commune hostile", kind=Territoire.Kind.COMMUNE)
    collectif, _ = Collectif.objects.get_or_create(
        slug="bench-hostile", defaults={"name": "Collectif hostile", "territoire": territoire}
    )
    institution, _ = Institution.objects.get_or_create(name="Institution hostile", territoire=territoire)
    user, _ = User.objects.get_or_create(email="hostile@exemple.org", defaults={"first_name": "H", "last_name": "H"})
    Membership.objects.get_or_create(
        user=user,
        collectif=collectif,
        defaults={"institution": institution, "niveau": Niveau.TERRAIN, "role": Membership.Role.MEMBER},
    )
    return collectif, user


def run() -> list[Row]:
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from restitutions.forms import MAX_IMPORT_LINES, MAX_PASTE_CHARS

    collectif, user = _setup()
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = reverse("restitutions:import", kwargs={"collectif_slug": collectif.slug})
    line = "- Un constat partagé par les partenaires du collectif, écrit assez longuement."
    text = "Questions vives\n" + "\n".join(f"{line} {i}" for i in range(MAX_IMPORT_LINES))
    text = text[:MAX_PASTE_CHARS]
    response = client.post(url, {"step": "analyse", "text": text})
    assert response.status_code == 200
    size = len(response.content)
    median, p95 = median_p95(timings(lambda: client.post(url, {"step": "analyse", "text": text}), repeat=10))
    rows = [
        Row(
            measure=f"import collé, page de relecture ({size // 1024} Kio)",
            size=f"{len(text)} caractères, {text.count(chr(10))} lignes",
            median=ms(median),
            p95=ms(p95),
            target="< 1 s, < 1 Mio",
        )
    ]

    from django.utils import timezone

    from fiches_experience.models import FicheExperience, Status

    fiche, _ = FicheExperience.objects.get_or_create(
        slug="bench-hostile",
        defaults={
            "title": "Une fiche du banc d'essai",
            "title_key": "une fiche du banc d essai",
            "status": Status.PUBLISHED,
            "published_at": timezone.now(),
        },
    )
    if fiche is not None:
        pdf_url = reverse("fiches_experience:pdf", kwargs={"slug": fiche.slug})
        anonymous = Client(HTTP_HOST="localhost")
        with override_settings(PUBLIC_PDF_RATE_LIMIT=(10_000, 60)):
            assert anonymous.get(pdf_url).status_code == 200  # printed and stored once
            median, p95 = median_p95(timings(lambda: anonymous.get(pdf_url), repeat=20))
        rows.append(Row("PDF public d'une fiche, déjà stocké", fiche.slug[:30], ms(median), ms(p95), "< 100 ms"))
    return rows
