import io

from membres import demo as membres_demo
from restitutions import demo
from restitutions.models import Cycle, Point, Restitution


def test_demo_loads_two_cycles_of_restitutions_from_seeds_001_and_004_once(db):
    membres_demo.load(io.StringIO())

    demo.load(io.StringIO())
    demo.load(io.StringIO())

    cycles = Cycle.objects.filter(collectif__slug="villefontaine")
    by_cycle = {c.name: [r.atelier_numbers for r in c.restitutions.order_by("atelier_numbers")] for c in cycles}
    # Seed 002's cycle takes in L'Isle-d'Abeau: its atelier 2's restitution is written there (tests/restitutions/
    # test_cycles.py checks that cycle).
    assert by_cycle == {demo.CYCLE_001: ["2"], demo.CYCLE_004: ["1&3", "2", "4"], demo.CYCLE_002: ["1", "2"]}
    seed_001 = Restitution.objects.get(title__startswith="Les partenariats à mobiliser")
    assert [seed_001.points.filter(section=s).count() for s in Point.Section.values] == [4, 5, 6, 5]
    atelier_4 = Restitution.objects.get(atelier_numbers="4")
    assert atelier_4.free_sections.get().title == "PEDT : un levier pour agir"
    assert "Définir le pilote dans la coconstruction" in atelier_4.free_sections.get().body
    # Seed 004: every line the import could not place is sorted into a list, none is dropped or retyped.
    assert (
        Point.objects.filter(restitution__cycle__name__in=[demo.CYCLE_001, demo.CYCLE_004]).count() == 20 + 4 + 8 + 5
    )


def test_demo_keeps_the_wording_of_seed_004(db):
    membres_demo.load(io.StringIO())
    demo.load(io.StringIO())

    atelier_2 = Restitution.objects.get(cycle__name=demo.CYCLE_004, atelier_numbers="2")
    assert atelier_2.title == "Prévenir le décrochage scolaire par un renforcements des partenariats"
    assert atelier_2.theme == "La culture du partenariat est centrale, elle s’entretient dans la durée"
    texts = list(atelier_2.points.values_list("text", flat=True))
    assert "Faire évoluer les pratiques professionnelles en réseau" in texts
    assert atelier_2.points.get(section="questions").text.startswith("Un besoin exprimé : coordonner")
    atelier_13 = Restitution.objects.get(atelier_numbers="1&3")
    assert atelier_13.title == "Gouvernance concertée : améliorer la lisibilité de l'action éducative partagée"
    assert atelier_13.theme == "L'illustration de la mixité sociale"


def test_demo_restitutions_belong_to_ateliers_held_that_day(db):
    from reunions.models import Reunion

    membres_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())

    ateliers = Reunion.objects.filter(collectif__slug="villefontaine", kind=Reunion.Kind.ATELIER)
    assert ateliers.count() == 4 + 1  # seeds 001 and 004, and the first atelier of seed 002's cycle
    assert not Restitution.objects.filter(reunion__isnull=True).exists()
    assert all(a.status == Reunion.Status.HELD for a in ateliers)


def test_demo_seed_001_participants_are_counted_from_the_atelier_attendance(db):
    """Seed 001 counts 17 participants by type of structure (Éducation nationale 8, collectivités 3, associations 4,
    réussite éducative 2): in the demo they come from who was marked present at the atelier, walk-ins included."""
    from core.models import OutboxMessage
    from reunions.models import Registration
    from reunions.selectors import attendance_by_structure_kind

    membres_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())

    seed_001 = Restitution.objects.get(cycle__name=demo.CYCLE_001)
    assert seed_001.participants == [
        {"label": "Service de l'Éducation nationale", "count": 8},
        {"label": "Collectivité", "count": 3},
        {"label": "Dispositif porteur (PRE/DRE, Cité éducative…)", "count": 2},
        {"label": "Association", "count": 4},
    ]
    assert seed_001.participants_total == 17
    atelier = seed_001.reunion
    # Loaded twice, registered once: 17 present (2 of them walk-ins), 2 absent, 1 cancelled.
    registrations = Registration.objects.filter(reunion=atelier)
    assert registrations.count() == 20
    assert registrations.filter(attended=True).count() == 17 and registrations.filter(walk_in=True).count() == 2
    assert registrations.filter(attended=False).count() == 2
    assert registrations.filter(status=Registration.Status.CANCELLED).count() == 1
    assert [(row["label"], row["count"]) for row in attendance_by_structure_kind(atelier)] == [
        (row["label"], row["count"]) for row in seed_001.participants
    ]
    # Nobody of the demo is e-mailed: the rows were created where a service would have written to them.
    assert not OutboxMessage.objects.filter(reunion_id=atelier.pk).exists()
