import re

import pytest

from core import pdf as core_pdf
from core.pdf import ForbiddenResource, safe_url_fetcher
from restitutions import printing, services
from restitutions.models import Point, Restitution
from restitutions.parsing import parse_restitution
from tests.helpers import pdf_text
from tests.restitutions.factories import (
    SEED_001,
    CycleFactory,
    FreeSectionFactory,
    PointFactory,
    RestitutionFactory,
    restitution_from_seed_001,
)
from tests.restitutions.pdftools import pdf_fonts, pdf_info, pdf_metadata_xml, pdf_objects, positions


def _render(restitution):
    return printing.render_restitution_pdf(printing.with_content(Restitution.objects.filter(pk=restitution.pk)).get())


def test_seed_001_prints_headings_and_points_in_order(collectif):
    restitution = restitution_from_seed_001(collectif)

    text = pdf_text(_render(restitution))

    parsed = parse_restitution(SEED_001)
    expected = ["Les partenariats à mobiliser pour prévenir le décrochage scolaire"]
    for value, label in Point.Section.choices:
        expected.append(str(label))
        # The first words of each point: pdftotext may hyphenate nothing but wraps lines anywhere.
        expected += [" ".join(point.split()[:6]) for point in parsed.points(value)]
    found = positions(text, expected)
    assert -1 not in found, [e for e, p in zip(expected, found, strict=True) if p == -1]
    assert found == sorted(found)


def test_pdf_declares_title_language_tags_and_pdf_ua(collectif):
    restitution = restitution_from_seed_001(collectif)

    pdf = _render(restitution)

    info = pdf_info(pdf)
    assert info["Title"] == "Atelier 2 — Les partenariats à mobiliser pour prévenir le décrochage scolaire"
    assert info["Tagged"] == "yes"
    assert info["Page size"].startswith("595.") and "(A4)" in info["Page size"]
    assert 'pdfuaid:part="1"' in pdf_metadata_xml(pdf)
    objects = pdf_objects(pdf)
    assert b"/Lang (fr)" in objects
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true", objects)
    assert b"/StructTreeRoot" in objects


def test_pdf_embeds_the_shipped_fonts_and_numbers_its_pages(collectif):
    restitution = restitution_from_seed_001(collectif)

    pdf = _render(restitution)

    fonts = pdf_fonts(pdf)
    assert "PDF-Sans" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # embedded
    pages = int(pdf_info(pdf)["Pages"])
    text = pdf_text(pdf)
    assert f"page 1 / {pages}" in text and f"page {pages} / {pages}" in text


def test_running_header_names_the_cycle_or_the_collectif(collectif):
    cycle = CycleFactory(collectif=collectif, name="Rencontres persévérance 2025")
    alone = restitution_from_seed_001(collectif)
    in_cycle = restitution_from_seed_001(collectif, cycle=cycle)

    assert pdf_text(_render(alone)).strip().startswith("Collectif de Villefontaine")
    assert "Collectif de Villefontaine" in pdf_text(_render(alone)).split("page 1 / ")[1]
    assert "Rencontres persévérance 2025" in pdf_text(_render(in_cycle)).split("page 1 / ")[1]


def test_forty_long_points_paginate_with_nothing_cut(collectif):
    restitution = RestitutionFactory(collectif=collectif, title="Quarante points")
    sections = Point.Section.values
    endings = []
    for i in range(40):
        ending = f"fin-du-point-{i:02d} zéro perte"
        PointFactory(
            restitution=restitution,
            section=sections[i % 4],
            position=i,
            text=("Le collectif constate que la coopération demande du temps et des moyens. " * 6) + ending,
        )
        endings.append(ending)

    pdf = _render(restitution)

    assert int(pdf_info(pdf)["Pages"]) > 1
    text = pdf_text(pdf)
    assert [e for e in endings if e not in text] == []


def test_cycle_prints_as_one_document_with_a_table_of_contents_and_page_numbers(collectif):
    cycle = CycleFactory(collectif=collectif, name="Cycle de quatre ateliers")
    for n in range(4):
        r = RestitutionFactory(
            collectif=collectif, cycle=cycle, title=f"Restitution numéro {n}", atelier_numbers=str(n)
        )
        for i in range(12):
            PointFactory(restitution=r, section=Point.Section.values[i % 4], text=f"Point {i} de l'atelier {n}.")

    pdf = printing.render_cycle_pdf(cycle)

    text = pdf_text(pdf)
    assert pdf_info(pdf)["Title"] == "Rapport final — Cycle de quatre ateliers"
    toc = text.split("Sommaire", 1)[1].split("Objectifs et engagements réciproques Objectifs", 1)[0]
    pages = [int(p) for p in re.findall(r"Restitution numéro \d[ .]*?(\d+)", toc)]
    assert len(pages) == 4
    assert pages == sorted(pages) and pages[0] >= 2  # the contents take the first page
    assert int(pdf_info(pdf)["Pages"]) >= 5


def test_fetcher_reads_static_files_only():
    assert safe_url_fetcher("http://pdf.local/static/css/print.css").read().startswith(b"/*")
    for url in (
        "http://example.org/image.png",
        "https://pdf.local.evil.example/static/css/print.css",
        "file:///etc/passwd",
        "http://pdf.local/media/../../../../etc/passwd",
        "http://pdf.local/static/../../../etc/passwd",
        "ftp://pdf.local/static/css/print.css",
    ):
        with pytest.raises(ForbiddenResource):
            safe_url_fetcher(url)


def test_remote_images_local_files_and_links_in_user_text_are_never_fetched(collectif, monkeypatch):
    fetched = []
    original = type(safe_url_fetcher._get()).fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except ForbiddenResource:
            fetched.append((url, "refused"))
            raise
        fetched.append((url, "read"))
        return response

    def no_network(*args, **kwargs):
        raise AssertionError("network access while printing")

    monkeypatch.setattr(type(safe_url_fetcher._get()), "fetch", spy)
    monkeypatch.setattr("socket.socket.connect", no_network)
    restitution = RestitutionFactory(collectif=collectif, credits='<img src="http://example.org/c.png">')
    PointFactory(restitution=restitution, text='<img src="file:///etc/passwd"> <a href="http://evil.example/">x</a>')
    FreeSectionFactory(
        restitution=restitution,
        body='<p><img src="http://example.org/x.png"><a href="http://other.example/page">lien</a></p>'
        '<link rel="stylesheet" href="http://example.org/s.css"><style>@import "file:///etc/passwd";</style>',
    )

    pdf = _render(restitution)
    # The raw HTML goes through the same fetcher, so even unsanitized markup cannot reach out.
    from weasyprint import HTML

    HTML(
        string='<img src="http://example.org/a.png"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="http://example.org/s.css">',
        base_url="http://pdf.local/",
        url_fetcher=safe_url_fetcher._get(),
    ).write_pdf()

    read = {url for url, outcome in fetched if outcome == "read"}
    assert all(url.startswith("http://pdf.local/static/") for url in read)
    refused = {url for url, outcome in fetched if outcome == "refused"}
    assert {"http://example.org/a.png", "file:///etc/passwd", "http://example.org/s.css"} <= refused
    assert "evil.example" not in str(fetched) and "other.example" not in str(fetched)
    assert b"/Subtype /Image" not in pdf_objects(pdf)
    assert "<img" in pdf_text(pdf)  # the point's text is printed as text, escaped


def test_single_pdf_is_cached_until_the_restitution_changes(collectif, crpv_editor, monkeypatch):
    restitution = restitution_from_seed_001(collectif)
    calls = []
    real = printing.render_restitution_pdf
    monkeypatch.setattr(printing, "render_restitution_pdf", lambda r: calls.append(r.pk) or real(r))

    first = printing.restitution_pdf(Restitution.objects.get(pk=restitution.pk))
    printing.restitution_pdf(Restitution.objects.get(pk=restitution.pk))
    assert len(calls) == 1
    point = restitution.points.first()
    services.point_update(by=crpv_editor, point=point, text="Un point corrigé.")
    changed = printing.restitution_pdf(Restitution.objects.get(pk=restitution.pk))

    assert len(calls) == 2
    assert "Un point corrigé." in pdf_text(changed) and "Un point corrigé." not in pdf_text(first)


def test_render_pdf_keeps_its_signature_for_other_apps():
    import inspect

    params = inspect.signature(core_pdf.render_pdf).parameters
    assert list(params) == ["template_name", "context", "title", "lang"]
    assert params["title"].kind is inspect.Parameter.KEYWORD_ONLY


def test_fetcher_reads_the_projects_media_files(settings, tmp_path):
    media = tmp_path / "media"
    (media / "logos").mkdir(parents=True)
    (media / "logos" / "crpv.png").write_bytes(b"\x89PNG fake")
    settings.MEDIA_ROOT = str(media)

    response = safe_url_fetcher("http://pdf.local/media/logos/crpv.png")

    assert response.read() == b"\x89PNG fake" and response.content_type == "image/png"
    with pytest.raises(ForbiddenResource):
        safe_url_fetcher("http://pdf.local/media/logos/absent.png")
