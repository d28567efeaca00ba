from restitutions.models import Point
from restitutions.parsing import parse_restitution
from tests.restitutions.factories import SEED_001, SEED_004


def test_seed_001_fills_the_four_lists_in_order():
    parsed = parse_restitution(SEED_001)

    assert parsed.title == "Les partenariats à mobiliser pour prévenir le décrochage scolaire"
    assert parsed.atelier_numbers == "2"
    assert parsed.unplaced == []
    assert [len(parsed.points(s)) for s in Point.Section.values] == [4, 5, 6, 5]
    assert parsed.points("constats")[0].startswith("La question de la prévention du décrochage")
    assert parsed.points("questions")[-1].startswith("Un consensus s'est établi")
    assert parsed.points("leviers")[-1] == "Le PRE (ou DRE) est porteur de l'expérimentation."
    assert parsed.points("obstacles")[-1].endswith("évaluer le travail accompli.")


def test_seed_004_does_not_crash_and_lists_what_it_could_not_place():
    parsed = parse_restitution(SEED_004)

    assert parsed.ateliers == ["1&3", "2", "4"]
    assert parsed.atelier_numbers == "1&3"
    assert parsed.title.startswith("Gouvernance concertée")
    unplaced = [line.text for line in parsed.unplaced]
    assert len(unplaced) > 10
    # Wrapped OCR lines are joined back into one point.
    assert any(
        t.startswith("Un constat partagé") and t.endswith("(spirale vertueuse de la réussite)") for t in unplaced
    )
    # The other ateliers' headings are shown, to be sorted by hand.
    assert any(t.startswith("Atelier 2 : Prévenir le décrochage") for t in unplaced)
    assert parsed.free_titles == ["PEDT : un levier pour agir"]
    assert parsed.points("libre:0") == ["Définir le pilote dans la coconstruction du projet local d’animation"]


def test_text_without_anything_recognisable_gives_only_unplaced_lines():
    parsed = parse_restitution("\x00\x0c%%%\n\n\n— \n* \nQuelque chose\n\ufeff")

    assert all(not line.section for line in parsed.lines)


def test_empty_text_gives_an_empty_result():
    parsed = parse_restitution("")

    assert parsed.lines == [] and parsed.title == ""


def test_headings_are_recognised_with_accents_colons_and_case_variations():
    parsed = parse_restitution(
        "Titre\n\nÉTAT DES LIEUX ET CONSTATS :\n- a.\nQuestions vives\n• b.\nPoints d’appui / leviers\n* c.\n"
        "Points d'achoppement ou obstacles:\n– d."
    )

    assert [parsed.points(s) for s in Point.Section.values] == [["a."], ["b."], ["c."], ["d."]]
