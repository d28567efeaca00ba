"""Versions live in private storage: on a bucket, served by a short signed URL after the access check, and gone
from it when the bin is emptied."""

from __future__ import annotations

import pytest

from documents import services
from tests.core.test_private_storage import BUCKET, _follow_signed_url, s3_storage  # noqa: F401 (fixture)
from tests.documents.factories import PDF_BYTES, make_document
from tests.helpers import collectif_url

pytestmark = pytest.mark.django_db


def test_versions_are_served_from_the_bucket_and_the_emptied_bin_leaves_it_empty(
    s3_storage,  # noqa: F811
    collectif,
    member,
    coordinator,
    member_client,
    other_client,
    django_capture_on_commit_callbacks,
):
    document = make_document(collectif=collectif, by=member, versions=2)
    keys = {o["Key"] for o in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {f"private/{v.file.name}" for v in document.versions.all()}

    url = collectif_url(
        collectif, "documents:version_download", pk=document.pk, version_pk=document.versions.get(number=1).pk
    )
    content, headers = _follow_signed_url(member_client.get(url))
    assert content == PDF_BYTES and 'filename="note.pdf"' in headers["Content-Disposition"]
    assert other_client.get(url).status_code == 404

    services.document_trash(document=document, by=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.bin_empty(collectif=collectif, by=coordinator)
    assert "Contents" not in s3_storage.list_objects_v2(Bucket=BUCKET)
