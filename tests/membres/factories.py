import factory
from factory.django import DjangoModelFactory

from membres.models import Membership, Niveau, User

PASSWORD = "mot-de-passe-de-test"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.org")
    # Deterministic names: random French names can collide with the fixed cast (Bernard, Haddad…) and make a
    # test asserting that someone is *not* listed fail once in a while.
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")

    class Params:
        crpv_editor = factory.Trait(is_crpv_editor=True)
        superuser = factory.Trait(is_superuser=True, is_staff=True)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        """allauth requires a verified address to log in (mandatory verification)."""
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    collectif = factory.SubFactory("tests.collectifs.factories.CollectifFactory")
    institution = factory.SubFactory(
        "tests.collectifs.factories.InstitutionFactory", territoire=factory.SelfAttribute("..collectif.territoire")
    )
    function = "CPE"
    niveau = Niveau.TERRAIN
    role = Membership.Role.MEMBER

    class Params:
        coordinator = factory.Trait(
            role=Membership.Role.COORDINATOR, niveau=Niveau.ENCADREMENT, function="Coordinatrice"
        )
        guest = factory.Trait(role=Membership.Role.GUEST)
