import factory
from factory.django import DjangoModelFactory

from collectifs.models import Collectif, Institution, Territoire


class TerritoireFactory(DjangoModelFactory):
    class Meta:
        model = Territoire
        django_get_or_create = ["name", "kind"]

    name = factory.Sequence(lambda n: f"Commune {n}")
    kind = Territoire.Kind.COMMUNE


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Collège numéro {n}")
    kind = Institution.Kind.ETABLISSEMENT
    territoire = factory.SubFactory(TerritoireFactory)


class CollectifFactory(DjangoModelFactory):
    class Meta:
        model = Collectif

    name = factory.Sequence(lambda n: f"Collectif persévérance {n}")
    slug = factory.Sequence(lambda n: f"collectif-{n}")
    territoire = factory.SubFactory(TerritoireFactory)
    description = "Un collectif de partenaires contre le décrochage scolaire."
