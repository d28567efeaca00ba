"""Demo data: seeds 001 and 004 as one cycle of restitutions in the collectif of Villefontaine. Idempotent.

Seed 001 goes through the real paste import (its text is in restitutions/fixtures/). Seed 004 is an OCR scan of
three ateliers without the four headings: it is given here as the facilitator would have sorted it by hand,
its OCR errors corrected. The people named are invented.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from collectifs.models import Collectif
from membres.models import User
from restitutions import services
from restitutions.models import Cycle, Point, Restitution
from restitutions.parsing import parse_restitution
from reunions.models import Reunion

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CREDITS = (
    "Cette restitution a été rédigée par l'équipe d'animation (Lucie Perrin, CRPV) "
    "et relue par les participants des ateliers."
)

SEED_004 = [
    {
        "atelier_numbers": "1&3",
        "title": "Gouvernance concertée : améliorer la lisibilité de l'action éducative partagée",
        "theme": "L'illustration de la mixité sociale",
        "participants": [
            {"label": "Éducation nationale", "count": 6},
            {"label": "Collectivités", "count": 4},
            {"label": "Associations", "count": 5},
        ],
        "points": {
            "constats": [
                "Un enjeu d'échelle : un constat partagé sur la difficulté à mettre en place la mixité à l'échelle "
                "de l'établissement (communication auprès des parents, attractivité de l'établissement : spirale "
                "vertueuse de la réussite).",
                "À l'échelle de la vie locale (activités périscolaires, offre culturelle, sportive), la politique de "
                "la ville offre les opportunités de cette mixité.",
            ],
            "leviers": [
                "Activer les leviers politiques et de politiques publiques à un niveau stratégique : politique de "
                "peuplement, renouvellement urbain, mobilité, aménagement du territoire et grands projets.",
                "La solution de gouvernance imaginée : activer les leviers à ces différentes échelles de manière "
                "imbriquée, avec une communication soignée.",
            ],
        },
        "free": [],
    },
    {
        "atelier_numbers": "2",
        "title": "Prévenir le décrochage scolaire par un renforcement des partenariats",
        "theme": "La culture du partenariat est centrale, elle s'entretient dans la durée",
        "participants": [
            {"label": "Éducation nationale", "count": 7},
            {"label": "Collectivités", "count": 3},
            {"label": "Associations", "count": 4},
            {"label": "Santé", "count": 1},
        ],
        "points": {
            "constats": [
                "Des difficultés liées à des discordances entre niveau stratégique et niveau opérationnel.",
                "Un déficit de réponses pour les 16-18 ans (entre les mailles des dispositifs) : un besoin d'innover.",
                "Des problématiques de santé fortes, en inadéquation avec les moyens de droit commun mis en place : "
                "le bien-être, première étape.",
            ],
            "questions": [
                "Coordonner les interventions à l'intérieur de l'école et à l'extérieur : des progrès, mais des "
                "difficultés qui persistent.",
            ],
            "leviers": [
                "Une volonté de tous de construire des réponses (responsabilité).",
                "Faire évoluer les pratiques professionnelles en réseau.",
                "Évaluer l'évolution des pratiques professionnelles et favoriser les échanges interinstitutionnels.",
            ],
            "obstacles": ["Rendre plus lisibles les dispositifs et les filières pour les décrocheurs."],
        },
        "free": [],
    },
    {
        "atelier_numbers": "4",
        "title": "Favoriser la participation des parents au sein des projets éducatifs de territoire "
        "et des instances de gouvernance",
        "theme": "Relations avec les parents",
        "participants": [
            {"label": "Éducation nationale", "count": 5},
            {"label": "Collectivités", "count": 2},
            {"label": "Associations de parents", "count": 3},
        ],
        "points": {
            "constats": ["Importance de la « peur » et des représentations réciproques (enseignants, parents)."],
            "leviers": [
                "Reconnaître les parents comme acteurs éducatifs à part entière.",
                "L'empowerment des familles fonctionne mieux que l'intervention descendante pour la relation "
                "école / parents / quartier.",
                "Penser, construire et assumer collectivement (partenaires, parents, enseignants, acteurs du temps "
                "libre, enfants et jeunes) : une responsabilité collective au quotidien.",
                "Une logique d'intervention locale (commune, quartier) pour prendre en compte les besoins et "
                "intervenir de manière pertinente.",
            ],
        },
        "free": [
            (
                "PEDT : un levier pour agir",
                "<ul><li>Définir le pilote dans la coconstruction du projet local d'animation.</li></ul>",
            )
        ],
    },
]


def load(stdout) -> None:
    collectif = Collectif.objects.get(slug="villefontaine")
    by = User.objects.get(email="crpv@exemple.org")
    cycle, _ = Cycle.objects.get_or_create(
        collectif=collectif,
        name="Ateliers de la rencontre « Persévérance scolaire »",
        defaults={"organiser": "CRPV et La Bouture", "starts_on": date(2025, 3, 12), "ends_on": date(2025, 3, 12)},
    )
    parsed = parse_restitution((FIXTURES / "seed_001_atelier_2.txt").read_text())
    restitution = Restitution.objects.filter(collectif=collectif, cycle=cycle, title=parsed.title).first()
    if restitution is None:
        restitution = services.restitution_import(
            by=by,
            collectif=collectif,
            cycle=cycle,
            title=parsed.title,
            atelier_numbers=parsed.atelier_numbers,
            points=[(line.section, line.text) for line in parsed.lines if line.section in Point.Section.values],
        )
        services.restitution_update(
            by=by,
            restitution=restitution,
            held_on=date(2025, 3, 12),
            facilitators="La Bouture (recherche-action)",
            participants=[
                {"label": "Éducation nationale", "count": 8},
                {"label": "Collectivités", "count": 3},
                {"label": "Associations", "count": 4},
                {"label": "Réussite éducative (PRE)", "count": 2},
            ],
            credits=CREDITS,
            licence=Restitution.Licence.CC_BY_NC_SA,
            status=Restitution.Status.PUBLISHED,
        )
    for item in SEED_004:
        if Restitution.objects.filter(collectif=collectif, cycle=cycle, title=item["title"]).exists():
            continue
        restitution = services.restitution_create(
            by=by,
            collectif=collectif,
            cycle=cycle,
            title=item["title"],
            theme=item["theme"],
            atelier_numbers=item["atelier_numbers"],
            held_on=date(2025, 3, 12),
            facilitators="CRPV",
            participants=item["participants"],
            credits=CREDITS,
            licence=Restitution.Licence.CC_BY_NC_SA,
        )
        for section, texts in item["points"].items():
            for text in texts:
                services.point_add(by=by, restitution=restitution, section=section, text=text)
        for title, body in item["free"]:
            services.free_section_add(by=by, restitution=restitution, title=title, body=body)
    _attach_ateliers(collectif=collectif, cycle=cycle, by=by)
    stdout.write("  restitutions : un cycle de quatre restitutions d'ateliers (seeds 001 et 004)")


def _attach_ateliers(*, collectif, cycle, by) -> None:
    """Each restitution of the demo cycle belongs to an atelier held that day (a reunion of kind atelier)."""
    afternoon = datetime(2025, 3, 12, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    for restitution in cycle.restitutions.filter(reunion__isnull=True).order_by("pk"):
        atelier, _ = Reunion.objects.get_or_create(
            collectif=collectif,
            kind=Reunion.Kind.ATELIER,
            title=f"Atelier {restitution.atelier_numbers} : {restitution.title}"[:200],
            defaults={
                "starts_at": afternoon,
                "ends_at": afternoon + timedelta(hours=2),
                "place": "Villefontaine, salle du conseil",
                "status": Reunion.Status.HELD,
            },
        )
        services.restitution_update(by=by, restitution=restitution, reunion=atelier)
