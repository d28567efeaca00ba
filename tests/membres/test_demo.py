import io

from collectifs.models import CharteAdoption, CharteVersion, Collectif
from membres import demo
from membres.models import Membership, Niveau, User


def test_demo_loads_two_collectifs_40_members_and_chartes_and_is_idempotent(db):
    demo.load(io.StringIO())
    counts = (User.objects.count(), Membership.objects.count(), CharteVersion.objects.count())
    demo.load(io.StringIO())
    assert (User.objects.count(), Membership.objects.count(), CharteVersion.objects.count()) == counts
    assert set(Collectif.objects.values_list("slug", flat=True)) == {"villefontaine", "isle-d-abeau"}
    active = Membership.objects.active()
    assert active.values("user").distinct().count() >= 40
    assert set(active.values_list("niveau", flat=True)) == set(Niveau.values)
    assert CharteAdoption.objects.filter(collectif__slug="villefontaine", institutions__isnull=False).exists()
    for email, _label in demo.DEMO_ACCOUNTS:
        assert User.objects.filter(email=email).exists()
    # One person belongs to both collectifs.
    assert active.filter(user__email="coordination@exemple.org").count() == 2
