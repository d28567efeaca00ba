import io

from membres import demo as membres_demo
from restitutions import demo
from restitutions.models import Cycle, Point, Restitution


def test_demo_loads_a_cycle_of_restitutions_from_seeds_001_and_004_once(db):
    membres_demo.load(io.StringIO())

    demo.load(io.StringIO())
    demo.load(io.StringIO())

    cycle = Cycle.objects.get(collectif__slug="villefontaine")
    restitutions = cycle.restitutions.order_by("atelier_numbers")
    assert [r.atelier_numbers for r in restitutions] == ["1&3", "2", "2", "4"]
    seed_001 = restitutions.get(title__startswith="Les partenariats à mobiliser")
    assert [seed_001.points.filter(section=s).count() for s in Point.Section.values] == [4, 5, 6, 5]
    assert Restitution.objects.get(atelier_numbers="4").free_sections.get().title == "PEDT : un levier pour agir"
    assert Point.objects.count() == 20 + 2 + 2 + 3 + 1 + 3 + 1 + 1 + 4


def test_demo_restitutions_belong_to_ateliers_held_that_day(db):
    from reunions.models import Reunion

    membres_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())

    ateliers = Reunion.objects.filter(collectif__slug="villefontaine", kind=Reunion.Kind.ATELIER)
    assert ateliers.count() == 4
    assert not Restitution.objects.filter(reunion__isnull=True).exists()
    assert all(a.status == Reunion.Status.HELD for a in ateliers)
