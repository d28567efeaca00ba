import hashlib
from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from reunions.models import (
    AgendaItem,
    DatePoll,
    Decision,
    Document,
    GroupeDeTaches,
    Invitation,
    PollSlot,
    Questionnaire,
    QuestionnaireInvite,
    Registration,
    RegistrationPage,
    ReminderDue,
    Reponse,
    Reunion,
)


class GroupeFactory(DjangoModelFactory):
    class Meta:
        model = GroupeDeTaches

    collectif = factory.SubFactory("tests.collectifs.factories.CollectifFactory")
    name = factory.Sequence(lambda n: f"Groupe de tâches {n}")
    mandate = "Préparer le dossier de la prochaine plénière."


class ReunionFactory(DjangoModelFactory):
    class Meta:
        model = Reunion

    collectif = factory.SubFactory("tests.collectifs.factories.CollectifFactory")
    kind = Reunion.Kind.PLENIERE
    title = factory.Sequence(lambda n: f"Plénière {n}")
    theme = "Absentéisme au collège"
    starts_at = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=10)).replace(microsecond=0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2) if o.starts_at else None)
    place = "Maison de quartier Saint-Bonnet"
    status = Reunion.Status.CONVENED

    class Params:
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: (timezone.now() - timedelta(days=10)).replace(microsecond=0)),
            status=Reunion.Status.HELD,
        )
        unscheduled = factory.Trait(starts_at=None, ends_at=None, status=Reunion.Status.TO_SCHEDULE)


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    reunion = factory.SubFactory(ReunionFactory)
    membership = factory.SubFactory("tests.membres.factories.MembershipFactory")


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    reunion = factory.SubFactory(ReunionFactory)
    title = factory.Sequence(lambda n: f"Point {n}")
    duration_minutes = 20
    position = factory.Sequence(lambda n: n)


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    reunion = factory.SubFactory(ReunionFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.django.FileField(filename="doc.pdf", data=b"%PDF-1.4 test")
    original_name = "doc.pdf"
    size = 13
    content_type = "application/pdf"


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    reunion = factory.SubFactory(ReunionFactory)
    text = factory.Sequence(lambda n: f"Décision {n}")


class DatePollFactory(DjangoModelFactory):
    class Meta:
        model = DatePoll

    reunion = factory.SubFactory(ReunionFactory, unscheduled=True)
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))


class PollSlotFactory(DjangoModelFactory):
    class Meta:
        model = PollSlot

    poll = factory.SubFactory(DatePollFactory)
    starts_at = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=20)).replace(microsecond=0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))


class ReminderFactory(DjangoModelFactory):
    class Meta:
        model = ReminderDue

    reunion = factory.SubFactory(ReunionFactory)
    membership = factory.SubFactory("tests.membres.factories.MembershipFactory")
    offset_days = 1
    due_at = factory.LazyFunction(timezone.now)


class RegistrationPageFactory(DjangoModelFactory):
    class Meta:
        model = RegistrationPage

    reunion = factory.SubFactory(ReunionFactory, kind=Reunion.Kind.ATELIER, title="Atelier décrochage")
    public_id = factory.Sequence(lambda n: f"atelier-public-{n}")


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    reunion = factory.SubFactory(ReunionFactory, kind=Reunion.Kind.ATELIER)
    name = factory.Sequence(lambda n: f"Personne inscrite {n}")
    email = factory.Sequence(lambda n: f"inscrit{n}@partenaire.org")
    structure = "Association Prévention Nord-Isère"
    structure_kind = "association"
    status = Registration.Status.CONFIRMED
    consented_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    erase_after = factory.LazyAttribute(lambda o: (o.reunion.starts_at + timedelta(days=365)).date())

    class Params:
        pending = factory.Trait(status=Registration.Status.PENDING, confirmed_at=None)
        waiting = factory.Trait(status=Registration.Status.WAITING)


class QuestionnaireFactory(DjangoModelFactory):
    class Meta:
        model = Questionnaire

    reunion = factory.SubFactory(ReunionFactory, kind=Reunion.Kind.ATELIER, past=True)
    questions = factory.LazyFunction(lambda: ["qualite_echanges", "utilite_pratique", "envie_poursuivre"])


class QuestionnaireInviteFactory(DjangoModelFactory):
    """A link already sent; `token` (not stored) is the secret its URL carries."""

    class Meta:
        model = QuestionnaireInvite

    class Params:
        token = factory.Sequence(lambda n: f"jeton-de-questionnaire-{n:04d}")

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    membership = factory.SubFactory("tests.membres.factories.MembershipFactory")
    status = QuestionnaireInvite.Status.SENT
    token_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.token.encode()).hexdigest())


class ReponseFactory(DjangoModelFactory):
    class Meta:
        model = Reponse

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    scores = factory.LazyFunction(lambda: {"qualite_echanges": 4, "utilite_pratique": 5, "envie_poursuivre": 3})
    comment = ""
