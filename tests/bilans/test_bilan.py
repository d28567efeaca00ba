"""The annual bilan of the demo collectif: one click builds a PDF/UA and an ODT holding the indicators' figures."""

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from actions import indicators
from bilans import data, services
from collectifs.models import Collectif
from membres.models import User
from tests.helpers import client_for, pdf_text
from tests.restitutions.pdftools import pdf_info, pdf_metadata_xml, pdf_objects

PARIS = ZoneInfo("Europe/Paris")
# Loaded on 15 July 2027: the school year 2026-2027 has its four plénières, ateliers and actions behind it.
LOADED = datetime(2027, 7, 15, 9, 30, tzinfo=PARIS)
YEAR = 2026


@pytest.fixture
def demo(db):
    with time_machine.travel(LOADED, tick=False):
        call_command("load_demo", stdout=io.StringIO())
        yield Collectif.objects.get(slug="villefontaine")


@pytest.fixture
def coordinator_client(demo):
    return client_for(User.objects.get(email="coordination@exemple.org"))


def _odt_tables(content: bytes) -> dict[str, list[list[str]]]:
    from odf import teletype
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow

    doc = load(io.BytesIO(content))
    tables = {}
    for table in doc.getElementsByType(Table):
        rows = []
        for row in table.getElementsByType(TableRow):
            rows.append([teletype.extractText(cell) for cell in row.getElementsByType(TableCell)])
        tables[table.getAttribute("name")] = rows
    return tables


def _build(client, collectif, django_capture_on_commit_callbacks):
    url = reverse("bilans:build", kwargs={"collectif_slug": collectif.slug, "year": YEAR})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    status = client.get(response["Location"]).content.decode()
    assert "est prêt" in status
    files = {}
    for fmt in ("pdf", "odt"):
        response = client.get(
            reverse("bilans:file", kwargs={"collectif_slug": collectif.slug, "year": YEAR, "fmt": fmt})
        )
        assert response.status_code == 200
        files[fmt] = b"".join(response.streaming_content)
    return files


def test_demo_bilan_pdf_is_tagged_titled_and_in_french(demo, coordinator_client, django_capture_on_commit_callbacks):
    files = _build(coordinator_client, demo, django_capture_on_commit_callbacks)
    pdf = files["pdf"]
    info = pdf_info(pdf)
    assert info["Title"] == f"Bilan 2026-2027 — {demo.name}"
    assert info["Tagged"] == "yes"
    assert 'pdfuaid:part="1"' in pdf_metadata_xml(pdf)
    objects = pdf_objects(pdf)
    assert b"/Lang (fr)" in objects
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true", objects)
    text = pdf_text(pdf)
    for heading in ("Sommaire", "Membres et institutions par niveau", "Décisions prises", "Restitutions et fiches"):
        assert heading in text
    # The demo's atelier held in the year: its questionnaire's answers, per question (reunions.demo).
    assert "Résultats des questionnaires" in text and "réponse(s) anonyme(s)" in text
    assert "Qualité des échanges" in text and "Moyenne sur 5" in text
    assert "<svg" not in text and "Réunions tenues par type (les mêmes chiffres" not in text


def test_demo_bilan_odt_holds_the_figures_of_the_indicators_page(
    demo, coordinator_client, django_capture_on_commit_callbacks
):
    files = _build(coordinator_client, demo, django_capture_on_commit_callbacks)
    tables = _odt_tables(files["odt"])
    page_csv = coordinator_client.get(
        reverse("actions:indicateurs_csv", kwargs={"collectif_slug": demo.slug}) + "?annee=2026-2027"
    ).content.decode("utf-8-sig")
    page_rows = list(csv.reader(io.StringIO(page_csv), delimiter=page_csv[len("Indicateur")]))[1:]
    assert tables["indicateurs"][1:] == page_rows
    ind = indicators.compute(demo, YEAR, with_decrochage=False)
    synthese = dict(tables["synthese"][1:])
    assert synthese["Réunions tenues"] == str(ind.reunions_held) and ind.reunions_held >= 6
    assert synthese["Présences"] == str(ind.present)
    assert synthese["Institutions présentes"] == str(ind.institutions)
    assert tables["reunions_par_type"][1:] == [[label, str(n)] for label, n in ind.by_kind]
    assert tables["actions_par_statut"][1:] == [[label, str(n)] for label, n in ind.actions_by_status]
    assert tables["institutions"][1:] == [[label, str(n)] for label, n in ind.institutions_by_kind]
    assert len(tables["decisions"]) - 1 == 7


def test_bilan_files_are_cached_by_content(demo, coordinator_client, django_capture_on_commit_callbacks):
    _build(coordinator_client, demo, django_capture_on_commit_callbacks)
    bilan = data.compute(demo, YEAR)
    assert services.bilan_state(bilan) == ("ready", 100)
    first = bilan.digest()
    from reunions.models import Decision, Reunion

    reunion = Reunion.objects.filter(collectif=demo, decisions__isnull=False).first()
    Decision.objects.create(reunion=reunion, text="Une décision de plus", position=99)
    changed = data.compute(demo, YEAR)
    assert changed.digest() != first
    assert services.bilan_state(changed) == ("missing", 0)
