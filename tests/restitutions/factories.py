from pathlib import Path

import factory
from factory.django import DjangoModelFactory

from restitutions.models import Cycle, CycleSession, FreeSection, Point, Restitution

FIXTURES = Path(__file__).resolve().parents[2] / "restitutions" / "fixtures"
SEED_001 = (FIXTURES / "seed_001_atelier_2.txt").read_text()
SEED_004 = (FIXTURES / "seed_004_ateliers.txt").read_text()


class CycleFactory(DjangoModelFactory):
    class Meta:
        model = Cycle

    collectif = factory.SubFactory("tests.collectifs.factories.CollectifFactory")
    name = factory.Sequence(lambda n: f"Cycle d'ateliers {n}")
    organiser = "La Bouture"


class CycleSessionFactory(DjangoModelFactory):
    class Meta:
        model = CycleSession

    cycle = factory.SubFactory(CycleFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Atelier coopératif {n}")
    precision = CycleSession.Precision.MONTH


class RestitutionFactory(DjangoModelFactory):
    class Meta:
        model = Restitution

    collectif = factory.SubFactory("tests.collectifs.factories.CollectifFactory")
    title = factory.Sequence(lambda n: f"Les partenariats à mobiliser {n}")
    atelier_numbers = "2"
    facilitators = "La Bouture"

    class Params:
        published = factory.Trait(status=Restitution.Status.PUBLISHED)


class PointFactory(DjangoModelFactory):
    class Meta:
        model = Point

    restitution = factory.SubFactory(RestitutionFactory)
    section = Point.Section.CONSTATS
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Point numéro {n}.")


class FreeSectionFactory(DjangoModelFactory):
    class Meta:
        model = FreeSection

    restitution = factory.SubFactory(RestitutionFactory)
    title = "PEDT : un levier pour agir"
    body = "<ul><li>Définir le pilote dans la coconstruction du projet local d'animation</li></ul>"
    position = 1


def restitution_from_seed_001(collectif, *, by=None, **fields) -> Restitution:
    """Seed 001 through the real paste import (parser + service)."""
    from restitutions import services
    from restitutions.parsing import parse_restitution
    from tests.membres.factories import UserFactory

    by = by or UserFactory(email="redaction@exemple.org", crpv_editor=True)
    parsed = parse_restitution(SEED_001)
    restitution = services.restitution_import(
        by=by,
        collectif=collectif,
        title=parsed.title,
        atelier_numbers=parsed.atelier_numbers,
        points=[(line.section, line.text) for line in parsed.lines],
    )
    if fields:
        services.restitution_update(by=by, restitution=restitution, **fields)
    return restitution


def cycle_with_restitutions(collectif, n: int = 2) -> Cycle:
    """A cycle of `n` restitutions, each with one levier « Levier de l'atelier i. »."""
    cycle = CycleFactory(collectif=collectif, name="Cycle des ateliers de printemps")
    for i in range(n):
        r = RestitutionFactory(collectif=collectif, cycle=cycle, title=f"Restitution {i}", atelier_numbers=str(i + 1))
        PointFactory(restitution=r, section=Point.Section.LEVIERS, text=f"Levier de l'atelier {i + 1}.")
    return cycle
