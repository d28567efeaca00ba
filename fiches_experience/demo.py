"""Demo fiches: the samples of the seeds, imported through the importer and published.

The texts are copied in `fiches_experience/fixtures/` (the people named in their contacts replaced by invented
ones), so the demo never depends on the shared seeds. Idempotent: the importer matches title + territory.
"""

from pathlib import Path

from collectifs.models import Collectif, Dispositif, Theme
from fiches_experience import services
from fiches_experience.importer import fiches_import, parse_files, read_text
from fiches_experience.models import FicheExperience, PublicCible
from membres.models import User

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VILLEFONTAINE_TITLE = "Un collectif persévérance scolaire à Villefontaine"


def _read(name: str) -> tuple[str, str]:
    path = FIXTURES / name
    return str(path), read_text(path.read_bytes())


def load(stdout) -> None:
    editor = User.objects.filter(email="crpv@exemple.org").first()
    short = parse_files([_read("seed_000_villefontaine.txt")], title=VILLEFONTAINE_TITLE, territoire="Villefontaine")
    crpv = parse_files([_read("seed_003_fiches_crpv.txt")])
    reports = [fiches_import(parsed=parsed, by=editor, publish=True) for parsed in (short, crpv)]
    fiche = FicheExperience.objects.filter(title=VILLEFONTAINE_TITLE).first()
    if fiche is not None and fiche.collectif_id is None:
        services.fiche_update(
            fiche=fiche,
            by=editor,
            collectif=Collectif.objects.filter(slug="villefontaine").first(),
            structure_porteuse="Ville de Villefontaine et dispositif de réussite éducative",
            annees="depuis 2015",
            public_cible=PublicCible.PROFESSIONNELS,
            themes=Theme.objects.filter(
                slug__in=["relations-avec-les-parents", "exclusions-temporaires", "decrochage-scolaire"]
            ),
            dispositifs=Dispositif.objects.filter(slug="dre"),
        )
    created = sum(r.created for r in reports)
    stdout.write(f"  fiches expérience : {FicheExperience.objects.published().count()} publiées ({created} créées)")
