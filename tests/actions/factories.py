import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from actions.models import Action, JournalEntry
from reunions.models import Decision, Invitation, Reunion


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    collectif = factory.SubFactory("tests.collectifs.factories.CollectifFactory")
    title = factory.Sequence(lambda n: f"Action numéro {n}")
    description = "Une action du collectif."
    status = Action.Status.IDEA

    class Params:
        in_progress = factory.Trait(status=Action.Status.IN_PROGRESS)
        done = factory.Trait(status=Action.Status.DONE)
        abandoned = factory.Trait(status=Action.Status.ABANDONED, abandon_reason="Plus de financement.")

    @factory.post_generation
    def referents(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.referents.set(extracted)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)


class JournalEntryFactory(DjangoModelFactory):
    class Meta:
        model = JournalEntry

    action = factory.SubFactory(ActionFactory)
    kind = JournalEntry.Kind.STEP
    date = factory.LazyFunction(timezone.localdate)
    text = "Une étape franchie."


class ReunionFactory(DjangoModelFactory):
    class Meta:
        model = Reunion

    collectif = factory.SubFactory("tests.collectifs.factories.CollectifFactory")
    kind = Reunion.Kind.PLENIERE
    title = factory.Sequence(lambda n: f"Plénière {n}")
    status = Reunion.Status.HELD
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    reunion = factory.SubFactory(ReunionFactory)
    text = "Organiser une rencontre parents-professeurs au collège"


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    reunion = factory.SubFactory(ReunionFactory)
    membership = factory.SubFactory("tests.membres.factories.MembershipFactory")
    attendance = Invitation.Attendance.PRESENT


def theme(name: str):
    """A theme of the reference vocabulary (seeded by a migration; recreated if a transactional test flushed it)."""
    from django.utils.text import slugify

    from collectifs.models import Theme

    return Theme.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]


def dispositif(name: str, acronym: str = ""):
    from django.utils.text import slugify

    from collectifs.models import Dispositif

    return Dispositif.objects.get_or_create(
        slug=slugify(acronym or name), defaults={"name": name, "acronym": acronym}
    )[0]
