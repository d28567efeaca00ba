"""Work done once: adopted minutes printed once per content, calendar feeds answering 304 when unchanged."""

from unittest import mock

from django.urls import reverse

from core import pdf as core_pdf
from reunions.services.minutes import minutes_adopt, minutes_get_or_create
from tests.helpers import pdf_text
from tests.reunions.factories import ReunionFactory


def test_adopted_minutes_pdf_is_printed_once_then_read_from_storage(collectif, coordinator, member_client):
    reunion = ReunionFactory(collectif=collectif, past=True, title="Plénière imprimée")
    minutes_adopt(minutes=minutes_get_or_create(reunion=reunion), by=coordinator)
    url = reverse("reunions:minutes_pdf", kwargs={"collectif_slug": collectif.slug, "pk": reunion.pk})
    with mock.patch("reunions.views.minutes.html_to_pdf", wraps=core_pdf.html_to_pdf) as printer:
        first = member_client.get(url).content
        second = member_client.get(url).content
    assert printer.call_count == 1
    assert first == second and "Plénière imprimée" in pdf_text(second)


def test_a_changed_pdf_content_is_printed_again(db):
    printed = []

    def render():
        printed.append(1)
        return b"%PDF-" + str(len(printed)).encode()

    assert core_pdf.cached_pdf(("a", 1), render) == b"%PDF-1"
    assert core_pdf.cached_pdf(("a", 1), render) == b"%PDF-1"
    assert core_pdf.cached_pdf(("a", 2), render) == b"%PDF-2"
    assert core_pdf.cached_pdf_name(("a", 1)).startswith(core_pdf.PDF_CACHE_PREFIX + "/")
