"""Uploaded and generated files through the storage API: private ones (meeting documents, journal attachments,
cycle PDFs) never under a public URL, served only after the access check; on local disk by default, or in an
S3-compatible bucket (a fake one here, moto) where the view redirects to a short-lived signed URL."""

import importlib
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import JournalEntry
from core.storage import private_storage
from restitutions import printing
from reunions.models import Document
from tests.actions.factories import ActionFactory
from tests.core.test_security import production_env, run_python
from tests.restitutions.factories import CycleFactory, PointFactory, RestitutionFactory
from tests.reunions.factories import ReunionFactory

BUCKET = "perseverance-test"
PDF = b"%PDF-1.7\n contenu du document"


def _upload_document(client, reunion) -> Document:
    url = reverse("reunions:document_upload", kwargs={"collectif_slug": reunion.collectif.slug, "pk": reunion.pk})
    response = client.post(url, {"title": "Ordre du jour", "file": SimpleUploadedFile("ordre.pdf", PDF)})
    assert response.status_code == 302
    return Document.objects.get(reunion=reunion)


def _document_url(document) -> str:
    kwargs = {"collectif_slug": document.reunion.collectif.slug, "pk": document.reunion_id, "document_pk": document.pk}
    return reverse("reunions:document", kwargs=kwargs)


def _add_attachment(client, action) -> JournalEntry:
    url = reverse("actions:journal_add", kwargs={"collectif_slug": action.collectif.slug, "pk": action.pk})
    upload = SimpleUploadedFile("bilan.pdf", PDF)
    client.post(url, {"kind": "resultat", "date": "2025-02-03", "text": "Bilan", "attachment": upload})
    return JournalEntry.objects.get(action=action)


def _attachment_url(entry) -> str:
    kwargs = {"collectif_slug": entry.action.collectif.slug, "pk": entry.action_id, "entry_pk": entry.pk}
    return reverse("actions:journal_attachment", kwargs=kwargs)


def _cycle_with_restitutions(collectif):
    cycle = CycleFactory(collectif=collectif, name="Cycle des ateliers de printemps")
    for i in range(2):
        restitution = RestitutionFactory(collectif=collectif, cycle=cycle, title=f"Restitution {i}")
        PointFactory(restitution=restitution, text=f"Levier de l'atelier {i + 1}.")
    return cycle


# --- Local disk (the default) ---------------------------------------------------------------------------------


def test_journal_attachments_and_cycle_pdfs_live_outside_media_root(settings, collectif, member_client):
    entry = _add_attachment(member_client, ActionFactory(collectif=collectif))
    cycle = _cycle_with_restitutions(collectif)
    name = printing.cycle_pdf_build(cycle_id=cycle.pk)

    for path in (Path(entry.attachment.path), Path(private_storage().path(name))):
        assert path.is_file()
        assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
        assert not path.is_relative_to(settings.MEDIA_ROOT)  # `make run` serves MEDIA_ROOT under /media/
    with pytest.raises(ValueError):
        entry.attachment.url  # noqa: B018 — no URL at all


def test_existing_attachments_are_moved_to_private_storage_by_the_migration(collectif, member):
    from django.apps import apps

    action = ActionFactory(collectif=collectif)
    name = default_storage.save("actions/journal/2025/02/ancien.pdf", SimpleUploadedFile("x.pdf", PDF))
    entry = JournalEntry.objects.create(action=action, text="Avant", attachment=name, attachment_name="ancien.pdf")

    migration = importlib.import_module("actions.migrations.0002_private_journal_attachments")
    migration.move_attachments_to_private_storage(apps, None)
    migration.move_attachments_to_private_storage(apps, None)  # twice: nothing more happens

    assert not default_storage.exists(name)
    entry.refresh_from_db()
    with entry.attachment.open("rb") as handle:
        assert handle.read() == PDF


# --- S3-compatible object storage (moto) ----------------------------------------------------------------------


@pytest.fixture
def s3_storage(settings):
    moto = pytest.importorskip("moto")
    import boto3

    with moto.mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        options = {
            "bucket_name": BUCKET,
            "region_name": "us-east-1",
            "access_key": "test",
            "secret_key": "test",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "signature_version": "s3v4",
        }
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**options, "location": "media"}},
            "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**options, "location": "private"}},
        }
        yield boto3.client("s3", region_name="us-east-1")


def _follow_signed_url(response) -> tuple[bytes, dict]:
    """What a browser gets at the signed URL (moto answers for the bucket)."""
    import requests

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"https://{BUCKET}.s3.amazonaws.com/private/")
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=60" in location
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200
    assert requests.get(location.split("?")[0], timeout=10).status_code == 403  # unsigned: refused
    return fetched.content, fetched.headers


def test_meeting_document_goes_to_the_bucket_and_is_served_by_a_signed_url(
    s3_storage, collectif, member_client, other_client
):
    document = _upload_document(member_client, ReunionFactory(collectif=collectif))
    keys = [o["Key"] for o in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"private/{document.file.name}"]

    content, headers = _follow_signed_url(member_client.get(_document_url(document)))
    assert content == PDF
    assert 'attachment; filename="ordre.pdf"' in headers["Content-Disposition"]
    assert headers["Content-Type"] == "application/pdf"
    assert other_client.get(_document_url(document)).status_code == 404  # no URL for another collectif


def test_journal_attachment_and_cycle_pdf_are_served_from_the_bucket(s3_storage, collectif, member_client):
    entry = _add_attachment(member_client, ActionFactory(collectif=collectif))
    content, _headers = _follow_signed_url(member_client.get(_attachment_url(entry)))
    assert content == PDF

    cycle = _cycle_with_restitutions(collectif)
    first = printing.cycle_pdf_build(cycle_id=cycle.pk)
    assert printing.cycle_pdf_state(cycle)[0] == "ready"
    kwargs = {"collectif_slug": collectif.slug, "pk": cycle.pk}
    content, _headers = _follow_signed_url(member_client.get(reverse("restitutions:cycle_pdf_file", kwargs=kwargs)))
    assert content.startswith(b"%PDF")

    cycle.name = "Cycle renommé"
    cycle.save()
    second = printing.cycle_pdf_build(cycle_id=cycle.pk)
    keys = {o["Key"] for o in s3_storage.list_objects_v2(Bucket=BUCKET, Prefix="private/restitutions/")["Contents"]}
    assert keys == {f"private/{second}"} and first != second  # the old PDF was removed


def test_production_uses_the_bucket_when_one_is_configured():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: [v['BACKEND'], v.get('OPTIONS', {})] for k, v in s.STORAGES.items()}))"
    )
    import json

    local = json.loads(run_python(code, production_env()).stdout)
    assert local["default"][0] == "django.core.files.storage.FileSystemStorage"
    assert local["private"][0] == "core.storage.PrivateFileSystemStorage"

    result = run_python(
        code,
        production_env(
            AWS_STORAGE_BUCKET_NAME="perseverance",
            AWS_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud",
            AWS_S3_REGION_NAME="fr-par",
            AWS_ACCESS_KEY_ID="cle",
            AWS_SECRET_ACCESS_KEY="secret",
        ),
    )
    s3 = json.loads(result.stdout)
    for alias, location in (("default", "media"), ("private", "private")):
        backend, options = s3[alias]
        assert backend == "storages.backends.s3.S3Storage"
        assert options["bucket_name"] == "perseverance" and options["location"] == location
        assert options["endpoint_url"] == "https://s3.fr-par.scw.cloud" and options["region_name"] == "fr-par"
        assert options["default_acl"] == "private" and options["querystring_auth"] is True
        assert options["querystring_expire"] == 60
