from django.contrib.auth.models import AnonymousUser

from restitutions.models import Cycle, Restitution
from tests.restitutions.factories import CycleFactory, RestitutionFactory


def test_for_member_gives_the_collectifs_restitutions_and_every_one_to_crpv_editors(
    collectif, other_collectif, member, guest, other_member, crpv_editor
):
    mine = RestitutionFactory(collectif=collectif)
    theirs = RestitutionFactory(collectif=other_collectif)
    CycleFactory(collectif=collectif)

    assert list(Restitution.objects.for_member(member)) == [mine]
    assert list(Restitution.objects.for_member(guest)) == [mine]
    assert list(Restitution.objects.for_member(other_member)) == [theirs]
    assert set(Restitution.objects.for_member(crpv_editor)) == {mine, theirs}
    assert not Restitution.objects.for_member(AnonymousUser()).exists()
    assert Cycle.objects.for_member(member).count() == 1 and not Cycle.objects.for_member(other_member).exists()


def test_visible_to_adds_published_restitutions_for_everyone(collectif, other_collectif, other_member):
    published = RestitutionFactory(collectif=collectif, published=True)
    RestitutionFactory(collectif=collectif)

    assert list(Restitution.objects.visible_to(AnonymousUser())) == [published]
    assert list(Restitution.objects.visible_to(other_member)) == [published]


def test_licence_line_and_atelier_label():
    restitution = Restitution(title="T", atelier_numbers="2", licence=Restitution.Licence.CC_BY_NC_SA)

    assert restitution.atelier_label == "Atelier 2"
    assert restitution.licence_line == (
        "Ce document est mis à disposition sous la Licence Creative Commons CC BY-NC-SA 3.0 FR."
    )


def test_for_reunion_gives_the_restitutions_of_an_atelier(collectif):
    from reunions.models import Reunion

    atelier = Reunion.objects.create(collectif=collectif, kind=Reunion.Kind.ATELIER, title="Atelier 2")
    linked = RestitutionFactory(collectif=collectif, reunion=atelier)
    RestitutionFactory(collectif=collectif)

    assert list(Restitution.objects.for_reunion(atelier)) == [linked]
