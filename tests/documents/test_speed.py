"""A folder lists its documents in a number of queries that does not grow with them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents import services
from documents.models import Document, DocumentVersion
from tests.documents.factories import make_document

pytestmark = pytest.mark.django_db


def _bulk_documents(collectif, folder, user, n: int) -> None:
    """`n` documents with one version each, made in a few queries (not through the service: the files are not
    read by the list)."""
    now = timezone.now()
    documents = Document.objects.bulk_create(
        [
            Document(collectif=collectif, folder=folder, title=f"Compte rendu {i:03}", created_by=user, updated_at=now)
            for i in range(n)
        ]
    )
    versions = DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=d,
                number=1,
                file=f"documents/x/{d.pk}.pdf",
                original_name=f"cr-{d.pk}.pdf",
                size=1000,
                content_type="application/pdf",
                uploaded_by=user,
            )
            for d in documents
        ]
    )
    for d, v in zip(documents, versions, strict=True):
        d.current = v
    Document.objects.bulk_update(documents, ["current"])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", ["", "?sort=titre&q=compte", "?page=3"])
def test_folder_of_500_documents_lists_in_as_many_queries_as_with_5(collectif, member, member_client, query):
    small = services.folder_create(collectif=collectif, name="Petit", by=member)
    big = services.folder_create(collectif=collectif, name="Grand", by=member)
    _bulk_documents(collectif, small, member, 5)
    _bulk_documents(collectif, big, member, 500)
    make_document(collectif=collectif, by=member, folder=big, title="Compte rendu à discuter", to_discuss=True)
    member_client.get(small.get_absolute_url())  # the signed-in user is cached by the session's first page
    few = _count(member_client, small.get_absolute_url() + query)
    many = _count(member_client, big.get_absolute_url() + query)
    assert few == many <= 7
    html = member_client.get(big.get_absolute_url()).content.decode()
    assert "501 documents" in html and html.count("<tr>") == 26  # a page of 25 and the header


def test_all_documents_and_search_in_constant_queries(collectif, member, member_client):
    from django.urls import reverse

    folder = services.folder_create(collectif=collectif, name="Grand", by=member)
    url = reverse("documents:list", kwargs={"collectif_slug": collectif.slug})
    member_client.get(url)
    _bulk_documents(collectif, folder, member, 5)
    few = _count(member_client, url + "?q=compte")
    _bulk_documents(collectif, folder, member, 300)
    assert _count(member_client, url + "?q=compte") == few
