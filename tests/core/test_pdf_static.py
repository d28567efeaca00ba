"""PDFs printed in production: `{% static %}` writes collected, hashed names (`css/print.3f2a….css`) that the
finders do not know; the PDF URL fetcher must read them from STATIC_ROOT, and still refuse everything else."""

import logging

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from core.pdf import ForbiddenResource, safe_url_fetcher
from tests.restitutions.factories import restitution_from_seed_001
from tests.restitutions.pdftools import pdf_fonts
from tests.reunions.factories import ReunionFactory

PRODUCTION_STATIC = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    storages = {**django_settings.STORAGES, "staticfiles": PRODUCTION_STATIC}
    with override_settings(STATIC_ROOT=str(root), STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


@pytest.fixture
def production_static(settings, collected_static):
    settings.STATIC_ROOT = str(collected_static)
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PRODUCTION_STATIC}
    return collected_static


@pytest.fixture
def refusals(caplog):
    """Every resource the fetcher refused or WeasyPrint failed to load while printing."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    caplog.set_level(logging.WARNING, logger="core.pdf")

    def collect() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name.startswith(("weasyprint", "core.pdf"))]

    return collect


def _assert_styled(pdf: bytes) -> None:
    fonts = pdf_fonts(pdf)
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and all(name.endswith("PDF-Sans") or "PDF-Sans" in name for name in names), fonts


@pytest.mark.django_db
def test_restitution_pdf_loads_the_hashed_stylesheet_and_fonts(production_static, refusals, collectif, member_client):
    restitution = restitution_from_seed_001(collectif)
    response = member_client.get(
        reverse("restitutions:pdf", kwargs={"collectif_slug": collectif.slug, "pk": restitution.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert refusals() == []
    _assert_styled(response.content)


@pytest.mark.django_db
def test_adopted_minutes_pdf_loads_the_hashed_stylesheet_and_fonts(
    production_static, refusals, collectif, coordinator_client, member_client
):
    reunion = ReunionFactory(collectif=collectif, past=True, title="Plénière imprimée")
    kwargs = {"collectif_slug": collectif.slug, "pk": reunion.pk}
    assert coordinator_client.get(reverse("reunions:minutes_edit", kwargs=kwargs)).status_code == 200
    assert coordinator_client.post(reverse("reunions:minutes_adopt", kwargs=kwargs)).status_code == 302
    response = member_client.get(reverse("reunions:minutes_pdf", kwargs=kwargs))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert refusals() == []
    _assert_styled(response.content)


def test_fetcher_reads_collected_files_and_refuses_the_rest(production_static):
    manifest = next(production_static.glob("css/print.*.css")).name
    assert safe_url_fetcher(f"http://pdf.local/static/css/{manifest}").read().startswith(b"/*")
    for url in (
        "http://pdf.local/static/staticfiles.json/../../etc/passwd",
        "http://pdf.local/static/%2e%2e/%2e%2e/etc/passwd",
        "http://pdf.local/static/css/absent.0123456789ab.css",
        f"http://example.org/static/css/{manifest}",
    ):
        with pytest.raises(ForbiddenResource):
            safe_url_fetcher(url)
