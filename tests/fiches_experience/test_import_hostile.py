"""Hostile and messy input to the fiche import (issue #12, points 1–3): nothing published changes without a second
editor, a messy CRPV annex imports whole, Word and OpenDocument files go the same way, big files are refused."""

import html
import io
import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from collectifs.models import Territoire
from fiches_experience import importer
from fiches_experience.models import (
    CRPV_SECTIONS,
    FicheExperience,
    FicheProposal,
    FicheVersion,
    Gabarit,
    Status,
)
from tests.fiches_experience.documents import make_docx, make_odt
from tests.fiches_experience.factories import FicheFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent / "data"
MESSY = [
    DATA / "annexe_crpv_complete.txt",
    DATA / "fiche_titres_numerotes_et_listes.txt",
    DATA / "fiche_ligne_avant_la_premiere_section.txt",
]
TITLE = "Rez'Orne, le réseau des acteurs éducatifs ornais"
FULL_TEXT = {key: f"<p>Texte publié de la section {heading}.</p>" for key, heading in CRPV_SECTIONS}


def run(*args) -> dict:
    out = StringIO()
    call_command("import_fiches", *map(str, args), "--json", stdout=out)
    return json.loads(out.getvalue())


def published_fiche(author, **traits) -> FicheExperience:
    normandie = Territoire.objects.create(name="Normandie", kind=Territoire.Kind.REGION, code="28")
    return FicheFactory(
        title=TITLE, gabarit=Gabarit.CRPV, territoire=normandie, sections=FULL_TEXT, author=author, **traits
    )


def sections_of(fiche) -> dict[str, str]:
    return dict(fiche.sections.values_list("key", "html"))


def upload(client, name: str, data: bytes, **fields):
    return client.post(reverse("fiches_experience:import"), {"file": SimpleUploadedFile(name, data), **fields})


def text_of(response) -> str:
    return html.unescape(response.content.decode())


TWO_LINES = f"Normandie\t{TITLE}\nContexte\t<p>Un contexte réécrit en deux lignes.</p>\n".encode()


# --- 1. Imports go through review ---------------------------------------------------------------------------------


def test_two_line_file_over_a_published_fiche_proposes_a_version_and_changes_nothing_public(
    crpv_client, crpv_editor, second_crpv_editor, client
):
    fiche = published_fiche(second_crpv_editor, published=True)
    versions = FicheVersion.objects.count()
    response = upload(crpv_client, "rezorne.txt", TWO_LINES)
    assert response.status_code == 200
    content = response.content.decode()
    assert "1 nouvelle(s) version(s) proposée(s) en relecture" in content
    assert "0 fiche(s) créée(s) en brouillon" in content
    fiche.refresh_from_db()
    assert fiche.status == Status.PUBLISHED and sections_of(fiche) == FULL_TEXT
    assert FicheVersion.objects.count() == versions
    public = client.get(fiche.get_absolute_url()).content.decode()
    assert "Texte publié de la section Contexte" in public and "réécrit en deux lignes" not in public
    proposal = FicheProposal.objects.get()
    assert proposal.status == FicheProposal.Status.PENDING and proposal.proposed_by == crpv_editor
    # Only what the file says: the nine sections it does not mention are not emptied.
    assert [s["key"] for s in proposal.sections] == ["contexte"]


def test_proposed_version_is_shown_with_its_diff_and_published_by_a_second_editor(
    crpv_client, crpv_editor, second_crpv_editor, client
):
    fiche = published_fiche(second_crpv_editor, published=True)
    upload(crpv_client, "rezorne.txt", TWO_LINES)
    proposal = FicheProposal.objects.get()
    edit_url = reverse("fiches_experience:edit", kwargs={"pk": fiche.pk})
    publish_url = reverse("fiches_experience:proposal_publish", kwargs={"pk": fiche.pk, "proposal_pk": proposal.pk})
    own_page = crpv_client.get(edit_url).content.decode()
    assert "Nouvelle version proposée en relecture" in own_page
    assert "<ins>Un contexte réécrit en deux lignes.</ins>" in own_page
    assert "<del>Texte publié de la section Contexte.</del>" in own_page
    assert publish_url not in own_page and "un autre éditeur la relit" in own_page
    # Four eyes: the editor who imported it cannot publish it.
    assert crpv_client.post(publish_url).status_code == 403
    assert crpv_client.get(publish_url).status_code == 405
    assert client.post(publish_url).status_code == 302  # anonymous: to the login page
    fiche.refresh_from_db()
    assert sections_of(fiche) == FULL_TEXT
    second = client_for(second_crpv_editor)
    assert publish_url in second.get(edit_url).content.decode()
    response = second.post(publish_url)
    assert response.status_code == 302 and response.url == edit_url
    fiche.refresh_from_db()
    assert fiche.status == Status.PUBLISHED and fiche.reviewer == second_crpv_editor
    assert sections_of(fiche) == {**FULL_TEXT, "contexte": "<p>Un contexte réécrit en deux lignes.</p>"}
    assert fiche.versions.first().change == "Version proposée par import publiée"
    assert "réécrit en deux lignes" in client.get(fiche.get_absolute_url()).content.decode()
    assert second.post(publish_url).status_code == 403  # already published
    # The same file again proposes nothing: the fiche says it already.
    assert run_upload_report(crpv_client, TWO_LINES)["proposed"] == 0


def run_upload_report(client, data: bytes) -> dict:
    response = upload(client, "rezorne.txt", data, dry_run="on")
    return {"proposed": int("1 nouvelle(s) version(s) proposée(s)" in response.content.decode())}


def test_archived_fiche_stays_frozen_and_the_command_reports_the_proposal(tmp_path, second_crpv_editor):
    fiche = published_fiche(second_crpv_editor, archived=True)
    versions = FicheVersion.objects.count()
    path = tmp_path / "rezorne.txt"
    path.write_bytes(TWO_LINES)
    report = run(path, "--publish")
    assert (report["created"], report["updated"], report["proposed"]) == (0, 0, 1)
    line = report["fiches"][0]
    assert line["resultat"] == "version_proposee" and line["fiche"] == fiche.pk and line["statut"] == "archivee"
    assert line["sections_proposees"] == ["Contexte"]
    fiche.refresh_from_db()
    assert fiche.status == Status.ARCHIVED and sections_of(fiche) == FULL_TEXT  # --publish does not revive it
    assert FicheVersion.objects.count() == versions
    # Idempotent: the same file proposes nothing new.
    again = run(path, "--publish")
    assert again["proposed"] == 0 and again["fiches"][0]["resultat"] == "inchangee"
    assert FicheProposal.objects.count() == 1


def test_rejected_proposal_is_not_proposed_again_and_a_new_text_replaces_a_waiting_one(
    tmp_path, crpv_client, second_crpv_editor
):
    fiche = published_fiche(second_crpv_editor, published=True)
    path = tmp_path / "rezorne.txt"
    path.write_bytes(TWO_LINES)
    run(path)
    first = FicheProposal.objects.get()
    reject_url = reverse("fiches_experience:proposal_reject", kwargs={"pk": fiche.pk, "proposal_pk": first.pk})
    assert crpv_client.post(reject_url).status_code == 302
    first.refresh_from_db()
    assert first.status == FicheProposal.Status.REJECTED
    assert run(path)["proposed"] == 0
    path.write_bytes(TWO_LINES.replace(b"deux lignes", b"trois lignes"))
    assert run(path)["proposed"] == 1
    path.write_bytes(TWO_LINES.replace(b"deux lignes", b"quatre lignes"))
    assert run(path)["proposed"] == 1
    statuses = list(FicheProposal.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [FicheProposal.Status.REJECTED, FicheProposal.Status.SUPERSEDED, FicheProposal.Status.PENDING]
    assert sections_of(fiche) == FULL_TEXT


def test_draft_is_updated_in_place_without_losing_the_sections_the_file_leaves_out(tmp_path, second_crpv_editor):
    fiche = published_fiche(second_crpv_editor)
    path = tmp_path / "rezorne.txt"
    path.write_bytes(TWO_LINES + b"Indicateurs de suivi\t\n")
    report = run(path)
    assert (report["updated"], report["proposed"]) == (1, 0)
    assert report["fiches"][0]["resultat"] == "brouillon_mis_a_jour"
    assert sections_of(fiche) == {**FULL_TEXT, "contexte": "<p>Un contexte réécrit en deux lignes.</p>"}


def test_member_cannot_import_nor_publish_a_proposal(member_client, second_crpv_editor):
    fiche = published_fiche(second_crpv_editor, published=True)
    proposal = FicheProposal.objects.create(fiche=fiche, sections=[{"key": "contexte", "heading": "C", "html": "x"}])
    assert upload(member_client, "rezorne.txt", TWO_LINES).status_code == 403
    url = reverse("fiches_experience:proposal_publish", kwargs={"pk": fiche.pk, "proposal_pk": proposal.pk})
    assert member_client.post(url).status_code == 403
    other = FicheFactory(published=True, author=second_crpv_editor)
    wrong_fiche = reverse("fiches_experience:proposal_publish", kwargs={"pk": other.pk, "proposal_pk": proposal.pk})
    assert client_for(second_crpv_editor).post(wrong_fiche).status_code == 404
    assert sections_of(fiche) == FULL_TEXT


# --- 2. A messy CRPV annex imports whole --------------------------------------------------------------------------


def test_messy_annex_keeps_every_record_whole():
    report = run(*MESSY, "--dry-run")
    assert report["created"] == 5
    assert [f["titre"] for f in report["fiches"]] == [
        "Un collectif contre le décrochage au collège Jean-Jaurès",
        "Des forums de la persévérance scolaire dans trois départements",
        "Une médiation scolaire dans les quartiers de Saint-Denis",
        "Un réseau régional des coordonnateurs PRE",
        "Une fiche qui commence par une note",
    ]
    assert not any("sans titre" in f["titre"] for f in report["fiches"])
    # The study's prose before the first fiche only.
    assert report["skipped_blocks"] == 2
    first, forums, reunion, occitanie, note = report["fiches"]
    assert first["sections"] == [
        "Identité",
        "Contexte",
        "Objectifs",
        "Mesures",
        "Acteurs impliqués",
        "Évaluation et résultats",
        "Enseignements tirés",
        "Contacts",
        "Commentaire",
    ]
    assert forums["sections"][-1] == "Contacts" and len(forums["sections"]) == 8
    assert occitanie["sections"] == ["Identité", "Contexte", "Objectifs", "Mesures", "Contacts", "Budget"]
    assert all(f["lignes_non_placees"] == [] for f in (first, forums, reunion, occitanie))
    assert note["lignes_non_placees"] == [f"{MESSY[2]}:2 : Note de la rédaction : fiche transmise en 2021, non relue."]
    assert FicheExperience.objects.count() == 0


def test_messy_annex_sections_hold_footnotes_continuations_lists_and_tables():
    run(*MESSY)
    fiche = FicheExperience.objects.get(title__startswith="Un collectif contre")
    sections = sections_of(fiche)
    assert "¹ Source : diagnostic de la Cité éducative" in sections["contexte"]
    objectifs = sections["objectifs"]
    assert "<p>Objectif 1 : repérer plus tôt" in objectifs and "Objectif 3 : partager" in objectifs
    assert "<ul><li>en les recevant avec un interprète si besoin</li><li>en leur présentant" in objectifs
    assert "² Charte du secret partagé" in objectifs
    mesures = sections["mesures"]
    assert "<p>1. Une cellule de veille mensuelle</p>" in mesures
    assert "<p>Cellule de veille | Collégiens | Mensuelle</p>" in mesures and "--" not in mesures
    assert sections["acteurs"].startswith("<p>Le collège, la maison de quartier")
    keys = set(FicheExperience.objects.values_list("sections__key", flat=True))
    headings = set(FicheExperience.objects.values_list("sections__heading", flat=True))
    assert keys <= {key for key, _ in CRPV_SECTIONS} | {"extra-budget"}
    assert not any(set(h) <= set("-=_|+ ") for h in headings)
    occitanie = sections_of(FicheExperience.objects.get(title__startswith="Un réseau régional"))
    assert occitanie["contexte"] == "<p>Les coordonnateurs PRE de la région se sentaient isolés.</p>"  # « III - »
    assert "<li>Se rencontrer trois fois par an</li><li>Partager des outils</li>" in occitanie["objectifs"]
    assert "| Printemps | mars |" in occitanie["mesures"]


def test_territories_are_matched_at_their_real_scale():
    Territoire.objects.create(name="Seine-Saint-Denis", kind=Territoire.Kind.COMMUNE)  # an earlier import's mistake
    run(*MESSY)
    scale = {
        f.title[:20]: (f.territoire.name, f.territoire.kind, f.territoire.code) for f in FicheExperience.objects.all()
    }
    assert scale["Un collectif contre "] == ("Seine-Saint-Denis", "departement", "93")
    assert scale["Des forums de la per"] == ("Essonne, Seine-et-Marne et Val-de-Marne", "departements", "91,77,94")
    assert scale["Une médiation scolai"] == ("La Réunion", "drom", "974")
    assert scale["Un réseau régional d"] == ("Occitanie", "region", "76")
    assert scale["Une fiche qui commen"] == ("Hauts-de-Seine", "departement", "92")
    seine_saint_denis = Territoire.objects.get(name="Seine-Saint-Denis", kind="departement")
    assert seine_saint_denis.parent.name == "Île-de-France" and seine_saint_denis.parent.kind == "region"
    assert not Territoire.objects.filter(kind="commune").exclude(name="Seine-Saint-Denis").exists()


def test_messy_annex_reimport_is_idempotent_and_proposes_nothing():
    run(*MESSY, "--publish")
    versions = FicheVersion.objects.count()
    snapshot = list(FicheExperience.objects.order_by("pk").values_list("pk", "updated_at", "status"))
    report = run(*MESSY, "--publish")
    assert (report["created"], report["updated"], report["proposed"]) == (0, 0, 0)
    assert {f["resultat"] for f in report["fiches"]} == {"inchangee"}
    assert FicheVersion.objects.count() == versions and not FicheProposal.objects.exists()
    assert list(FicheExperience.objects.order_by("pk").values_list("pk", "updated_at", "status")) == snapshot


def _many_lines(n: int) -> str:
    lines = []
    for i in range(n // 10):
        lines.append(f"Normandie\tFiche {i}")
        lines += [f"{heading}\t<p>texte {i}</p>" for _, heading in CRPV_SECTIONS[:5]]
        lines += [f"- point {i}", f"¹ note {i}", "--\t---", f"a {i}\tb\tc"]
    return "\n".join(lines)


def test_parsing_does_linear_work():
    """Counted, not timed: doubling the input doubles the parser's work (it was quadratic on long sections)."""
    small, large = (
        importer.parse_text(_many_lines(10_000), source="a"),
        importer.parse_text(_many_lines(20_000), source="a"),
    )
    assert len(large.fiches) == 2 * len(small.fiches) == 2_000
    assert 1.9 < large.work / small.work < 2.1
    one_long_section = "\n".join(
        ["Normandie\tUne fiche", "Identité\t<p>x</p>"] + [f"- ligne {i}" for i in range(20_000)]
    )
    half = "\n".join(["Normandie\tUne fiche", "Identité\t<p>x</p>"] + [f"- ligne {i}" for i in range(10_000)])
    long, short = importer.parse_text(one_long_section, source="a"), importer.parse_text(half, source="a")
    assert 1.9 < long.work / short.work < 2.1
    assert long.fiches[0].sections["identite"].count("<li>") == 20_000


# --- 3. Word and OpenDocument files, size cap ---------------------------------------------------------------------

ROWS = [
    ("Seine-Saint-Denis", "Un atelier parents au collège"),
    ("Identité", ["Description : un atelier mensuel", "Territoire : Seine-Saint-Denis"]),
    ("Contexte", "Les parents venaient peu au collège & ne connaissaient pas les partenaires."),
    ("Objectifs", ["Faire venir les parents.", "Présenter les partenaires."]),
]


@pytest.mark.parametrize(
    "name,data",
    [("atelier.docx", make_docx(before=["Annexe : nos fiches"], rows=ROWS)), ("atelier.odt", make_odt(rows=ROWS))],
)
def test_word_and_opendocument_fiches_import_through_the_upload_page(crpv_client, name, data):
    response = upload(crpv_client, name, data)
    assert response.status_code == 200 and "1 fiche(s) créée(s) en brouillon" in response.content.decode()
    fiche = FicheExperience.objects.get()
    assert fiche.title == "Un atelier parents au collège" and fiche.status == Status.DRAFT
    assert (fiche.territoire.name, fiche.territoire.kind) == ("Seine-Saint-Denis", "departement")
    sections = sections_of(fiche)
    assert sections["identite"] == "<p>Description : un atelier mensuel</p><p>Territoire : Seine-Saint-Denis</p>"
    assert (
        sections["contexte"]
        == "<p>Les parents venaient peu au collège &amp; ne connaissaient pas les partenaires.</p>"
    )
    assert sections["objectifs"] == "<p>Faire venir les parents.</p><p>Présenter les partenaires.</p>"


def test_opendocument_written_with_headings_and_a_word_file_over_a_published_fiche(
    tmp_path, crpv_client, second_crpv_editor
):
    data = make_odt(
        before=["Fiche expérience"],
        headings=[("L'idée de départ", ["Premier paragraphe.", "Second paragraphe."]), ("Contact", ["Mairie"])],
    )
    path = tmp_path / "villefontaine.odt"
    path.write_bytes(data)
    report = run(path, "--title", "Un collectif à Villefontaine", "--territoire", "Villefontaine")
    assert report["created"] == 1 and report["fiches"][0]["echelle"] == "commune"
    fiche = FicheExperience.objects.get()
    assert fiche.gabarit == Gabarit.COURT
    assert sections_of(fiche)["ce_qui_se_passe"] == ""
    assert fiche.sections.get(key="idee_de_depart").html == "<p>Premier paragraphe.</p>\n<p>Second paragraphe.</p>"
    assert fiche.sections.get(key="contact").html == "<p>Mairie</p>"
    fiche = published_fiche(second_crpv_editor, published=True)
    rows = [("Normandie", TITLE), ("Contexte", "Un contexte venu de Word.")]
    response = upload(crpv_client, "rezorne.docx", make_docx(rows=rows))
    assert "1 nouvelle(s) version(s) proposée(s) en relecture" in response.content.decode()
    assert sections_of(fiche) == FULL_TEXT
    assert FicheProposal.objects.get(fiche=fiche).sections[0]["html"] == "<p>Un contexte venu de Word.</p>"


def test_too_big_a_file_is_refused_with_a_french_message_and_the_form_kept(crpv_client, settings):
    settings.FICHES_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    big = b"Normandie\tUne fiche\n" + b"Contexte\t" + b"x" * (3 * 1024 * 1024)
    response = upload(crpv_client, "annexe.txt", big, title="Mon titre", territoire="Essonne")
    content = text_of(response)
    assert response.status_code == 200
    assert "Le fichier pèse 3,0 Mo : l'import accepte 2 Mo au plus" in content
    assert 'value="Mon titre"' in content and 'value="Essonne"' in content and 'aria-invalid="true"' in content
    assert not FicheExperience.objects.exists()


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("fiche.docx", b"PK\x03\x04 pas vraiment un zip", "n'est pas un document Word valide"),
        ("fiche.odt", b"ceci n'est pas un zip", "n'est pas un document OpenDocument valide"),
        ("fiche.pdf", b"%PDF-1.4", "Format « .pdf » non pris en charge"),
    ],
)
def test_unreadable_files_are_refused_without_a_500(crpv_client, name, data, message):
    response = upload(crpv_client, name, data)
    assert response.status_code == 200 and message in text_of(response)
    assert not FicheExperience.objects.exists()


def test_zip_bomb_and_broken_word_xml_are_refused(crpv_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b"a" * (50 * 1024 * 1024))
    response = upload(crpv_client, "bombe.docx", buffer.getvalue())
    assert response.status_code == 200 and "volume anormal" in response.content.decode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document><broken")
    response = upload(crpv_client, "casse.docx", buffer.getvalue())
    assert response.status_code == 200 and "est illisible" in response.content.decode()
    assert not FicheExperience.objects.exists()


def test_nul_bytes_and_a_binary_text_file_do_not_break_the_import(crpv_client):
    data = b"Normandie\tUne fiche \x00avec un octet nul\nContexte\t<p>du texte\x00</p>\n\xff\xfe\x00\x01"
    response = upload(crpv_client, "bizarre.txt", data)
    assert response.status_code == 200
    assert FicheExperience.objects.get().title == "Une fiche avec un octet nul"


def test_the_command_refuses_big_and_unreadable_files(tmp_path, settings):
    settings.FICHES_IMPORT_MAX_BYTES = 1024
    big = tmp_path / "gros.txt"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(CommandError, match="l'import accepte"):
        call_command("import_fiches", str(big))
    broken = tmp_path / "casse.odt"
    broken.write_bytes(b"pas un zip")
    with pytest.raises(CommandError, match="OpenDocument"):
        call_command("import_fiches", str(broken))


def test_a_huge_upload_is_not_stored_and_the_page_says_why(crpv_client, settings, tmp_path):
    settings.FICHES_IMPORT_MAX_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    huge = b"Normandie\tUne fiche\nContexte\t" + b"x" * (6 * 1024 * 1024)
    response = upload(crpv_client, "enorme.txt", huge)
    content = text_of(response)
    assert response.status_code == 200
    assert "Le fichier pèse 6,0 Mo : l'import accepte 1 Mo au plus" in content
    assert "Ce champ est obligatoire" not in content
    assert list(tmp_path.iterdir()) == []  # drained, never written to a temporary file
    assert not FicheExperience.objects.exists()


def test_the_upload_page_still_checks_csrf(crpv_editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(crpv_editor)
    response = client.post(reverse("fiches_experience:import"), {"file": SimpleUploadedFile("a.txt", TWO_LINES)})
    assert response.status_code == 403
    assert not FicheExperience.objects.exists()


def test_a_file_of_the_other_gabarit_still_proposes_its_sections(tmp_path, second_crpv_editor):
    fiche = FicheFactory(published=True, title="Un collectif à Villefontaine", author=second_crpv_editor)
    territoire = fiche.territoire.name
    path = tmp_path / "autre.txt"
    path.write_text(f"{territoire}\tUn collectif à Villefontaine\nIdentité\t<p>x</p>\nContexte\t<p>Le contexte</p>\n")
    report = run(path)
    assert report["proposed"] == 1 and report["fiches"][0]["sections_proposees"] == ["Identité", "Contexte"]


def test_editor_list_says_which_fiche_has_a_proposed_version(crpv_client, second_crpv_editor):
    fiche = published_fiche(second_crpv_editor, published=True)
    FicheFactory(published=True, author=second_crpv_editor)
    url = reverse("fiches_experience:editor_list")
    assert "Nouvelle version proposée" not in crpv_client.get(url).content.decode()
    FicheProposal.objects.create(
        fiche=fiche, sections=[{"key": "contexte", "heading": "Contexte", "html": "<p>x</p>"}]
    )
    assert crpv_client.get(url).content.decode().count("Nouvelle version proposée") == 1
