import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from fiches_experience import importer
from fiches_experience.models import FicheExperience, FicheVersion, Gabarit, Status

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fiches_experience" / "fixtures"
SEED_000 = FIXTURES / "seed_000_villefontaine.txt"
SEED_003 = Path(__file__).resolve().parent / "data" / "seed_003_extrait.txt"


def run(*args) -> dict:
    out = StringIO()
    call_command("import_fiches", *map(str, args), "--json", stdout=out)
    return json.loads(out.getvalue())


def test_json_report_has_exactly_the_documented_keys():
    report = run(SEED_003, "--dry-run")
    assert list(report) == ["created", "updated", "proposed", "duplicates", "skipped_blocks", "fiches", "warnings"]
    assert list(report["fiches"][0]) == [
        "titre",
        "territoire",
        "echelle",
        "sections",
        "lignes_non_placees",
        "resultat",
        "fiche",
        "statut",
    ]


def test_crpv_extract_gives_two_fiches_and_skips_the_study_around_them():
    report = run(SEED_003)
    assert report["created"] == 2 and report["updated"] == 0 and report["duplicates"] == 0
    assert report["skipped_blocks"] > 10
    assert [(f["titre"], f["territoire"]) for f in report["fiches"]] == [
        ("Rez'Orne, le réseau des acteurs éducatifs ornais", "Normandie"),
        ("Appui à l'évaluation en direction des PRE", "Grand Est"),
    ]
    rezorne = FicheExperience.objects.get(title__startswith="Rez'Orne")
    assert rezorne.gabarit == Gabarit.CRPV and rezorne.status == Status.DRAFT
    assert rezorne.territoire.name == "Normandie" and rezorne.territoire.kind == "region"
    sections = {s.key: s.html for s in rezorne.sections.all()}
    # « <p>Acteurs impliqués</p> » and « Enseignements tirés » are recognised keys, not extra sections
    assert sections["acteurs"].startswith("<p>Aujourd’hui, sa coordination")
    assert sections["enseignements"]
    assert "style" not in sections["identite"]
    # « <ul> ● Description : … ● Territoire : … » (no <li>) becomes a real list
    assert sections["identite"].startswith("<ul><li>Description : fruit d'un travail partenarial")
    assert "<li>Territoire : département de l'Orne en Normandie</li>" in sections["identite"]
    assert {t.slug for t in rezorne.themes.all()} == {"cooperations-educatives"}
    assert rezorne.public_cible == "professionnels"
    pre = FicheExperience.objects.get(title__startswith="Appui")
    evaluation = pre.sections.get(key="evaluation").html
    # the row with an empty first cell continues « Évaluation et résultats »
    assert "L'arbre à impacts" in evaluation and "Il a mis en avant le rôle du PRE" in evaluation
    assert pre.sections.get(key="indicateurs").html == ""


def test_short_gabarit_without_title_is_a_draft_and_reported():
    report = run(SEED_000, "--publish")
    assert report["created"] == 1
    fiche = FicheExperience.objects.get()
    assert fiche.gabarit == Gabarit.COURT and fiche.status == Status.DRAFT
    assert fiche.title == "Fiche sans titre (seed_000_villefontaine)"
    assert any("sans ligne de titre" in w for w in report["warnings"])
    assert any("reste un brouillon" in w for w in report["warnings"])


def test_short_gabarit_with_title_and_territory_is_published():
    report = run(
        SEED_000,
        "--title",
        "Un collectif persévérance scolaire à Villefontaine",
        "--territoire",
        "Villefontaine",
        "--publish",
    )
    fiche = FicheExperience.objects.get()
    assert fiche.status == Status.PUBLISHED and fiche.territoire.name == "Villefontaine"
    assert report["fiches"][0]["sections"] == [
        "L'idée de départ",
        "Ce qui se passe",
        "Effets et limites de l'action",
        "Contact",
    ]
    assert "Villefontaine est une commune de 18 000 habitants" in fiche.sections.get(key="idee_de_depart").html
    contact = fiche.sections.get(key="contact").html
    assert contact.startswith("<ul><li>Mairie de Villefontaine") and contact.count("<li>") == 4


def test_importing_the_same_files_again_changes_nothing():
    run(SEED_003, "--publish")
    versions = FicheVersion.objects.count()
    snapshot = list(FicheExperience.objects.values_list("pk", "updated_at", "status"))
    report = run(SEED_003, "--publish")
    assert (report["created"], report["updated"]) == (0, 0)
    assert FicheVersion.objects.count() == versions
    assert list(FicheExperience.objects.values_list("pk", "updated_at", "status")) == snapshot


def test_a_changed_file_updates_the_fiche_with_a_new_version(tmp_path):
    run(SEED_003)
    changed = tmp_path / "v2.txt"
    changed.write_text(
        SEED_003.read_text().replace("Indicateurs de suivi\t\n", "Indicateurs de suivi\t<p>Nombre de PRE</p>\n")
    )
    report = run(changed)
    assert (report["created"], report["updated"]) == (0, 1)
    pre = FicheExperience.objects.get(title__startswith="Appui")
    assert pre.sections.get(key="indicateurs").html == "<p>Nombre de PRE</p>"
    assert pre.versions.first().change == "Mise à jour par import"


def test_dry_run_reports_without_writing():
    report = run(SEED_003, "--dry-run")
    assert report["created"] == 2
    assert FicheExperience.objects.count() == 0


MESSY = (
    "Un texte d'introduction qui n'est pas une fiche.\n"
    "\n"
    "Normandie\tUne fiche en double\n"
    '<p>IDENTITES</p>\t<p align="center" onclick="x()">Description <script>alert(1)</script>ok</p>\n'
    "Evaluation et resultat\t\n"
    "Budget\t<p>12 000 euros</p>\n"
    "\t<p>dont 2 000 de la CAF</p>\n"
    "A\tB\tC\n"
    "Normandie\tUne fiche en double\n"
    "Identité\t<p>Autre texte</p>\n"
    "Évaluation et résultats\t<ul><li>Bonne participation</li></ul>\n"
)


def test_messy_file_duplicates_unknown_keys_variants_and_html(tmp_path):
    path = tmp_path / "messy.txt"
    path.write_text(MESSY)
    report = run(path)
    assert report["created"] == 1 and report["duplicates"] == 1
    # the prose; the three-column row is inside the first record, which ends only at the next header row
    assert report["skipped_blocks"] == 1
    assert any("doublon" in w for w in report["warnings"])
    assert any("rubrique inconnue « Budget »" in w for w in report["warnings"])
    fiche = FicheExperience.objects.get()
    sections = {s.key: s for s in fiche.sections.all()}
    assert sections["identite"].html == "<p>Description ok</p>"  # first copy wins, unsafe HTML dropped
    assert sections["evaluation"].html == "<ul><li>Bonne participation</li></ul>"  # the non-empty copy wins
    assert sections["extra-budget"].heading == "Budget"
    assert sections["extra-budget"].html == "<p>12 000 euros</p>\n<p>dont 2 000 de la CAF</p>\n<p>A | B | C</p>"
    assert sections["extra-budget"].position > sections["commentaire"].position
    assert report["fiches"][0]["sections"] == ["Identité", "Évaluation et résultats", "Budget"]


def test_import_is_all_or_nothing(monkeypatch):
    calls = []
    original = importer.services.fiche_publish

    def failing_publish(**kwargs):
        calls.append(kwargs["fiche"].title)
        if len(calls) == 2:
            raise RuntimeError("panne au milieu de l'import")
        return original(**kwargs)

    monkeypatch.setattr(importer.services, "fiche_publish", failing_publish)
    with pytest.raises(RuntimeError):
        run(SEED_003, "--publish")
    assert len(calls) == 2
    assert FicheExperience.objects.count() == 0
    assert FicheVersion.objects.count() == 0


def test_missing_file_is_an_error():
    with pytest.raises(CommandError):
        call_command("import_fiches", "/nulle/part.txt")


def test_key_variants_are_recognised():
    for variant in ["Enseignement tirés", "<p>Enseignements tirés</p>", "ENSEIGNEMENTS TIRES"]:
        assert importer._lookup(variant, Gabarit.CRPV) == (Gabarit.CRPV, "enseignements")
    assert importer._lookup("Contact", Gabarit.COURT) == (Gabarit.COURT, "contact")
    assert importer._lookup("Contacts", Gabarit.CRPV) == (Gabarit.CRPV, "contacts")
    assert importer._lookup("Evaluation et résultats", None) == (Gabarit.CRPV, "evaluation")


def test_upload_page_imports_drafts_for_editors(crpv_client, crpv_editor):
    url = reverse("fiches_experience:import")
    upload = SimpleUploadedFile("fiches.txt", SEED_003.read_bytes(), content_type="text/plain")
    response = crpv_client.post(url, {"file": upload, "dry_run": "on"})
    assert response.status_code == 200 and "rien n'a été enregistré" in response.content.decode()
    assert FicheExperience.objects.count() == 0
    upload = SimpleUploadedFile("fiches.txt", SEED_003.read_bytes(), content_type="text/plain")
    response = crpv_client.post(url, {"file": upload})
    assert response.status_code == 200
    assert FicheExperience.objects.filter(status=Status.DRAFT, author=crpv_editor).count() == 2


def test_upload_page_redisplays_errors(crpv_client):
    response = crpv_client.post(reverse("fiches_experience:import"), {"title": "Mon titre"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in content and 'value="Mon titre"' in content
