import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from fiches_experience import services
from fiches_experience.models import FicheExperience, Gabarit, Status


class FicheFactory(DjangoModelFactory):
    """A fiche made through the services (so that sections, versions and the search index exist)."""

    class Meta:
        model = FicheExperience

    title = factory.Sequence(lambda n: f"Une expérience de coopération numéro {n}")
    gabarit = Gabarit.COURT
    territoire = factory.SubFactory("tests.collectifs.factories.TerritoireFactory")
    author = factory.SubFactory("tests.membres.factories.UserFactory", crpv_editor=True)

    sections = None
    themes = ()

    class Params:
        published = factory.Trait(status=Status.PUBLISHED)
        in_review = factory.Trait(status=Status.IN_REVIEW)
        archived = factory.Trait(status=Status.ARCHIVED)

    @classmethod
    def _create(cls, model_class, *args, sections=None, themes=(), status=Status.DRAFT, **kwargs):
        fiche = services.fiche_create(
            by=kwargs.pop("author"),
            title=kwargs.pop("title"),
            gabarit=kwargs.pop("gabarit"),
            territoire=kwargs.pop("territoire"),
            themes=themes,
            sections=sections
            or {"idee_de_depart": "<p>Les partenaires se réunissent contre le décrochage scolaire.</p>"},
            **kwargs,
        )
        if status != Status.DRAFT:
            fiche.status = status
            if status == Status.PUBLISHED:
                fiche.published_at = timezone.now()
                fiche.review_on = timezone.localdate() + services.REVIEW_AFTER
            fiche.save()
        return fiche
