"""Documents of the space, with small real files (a PDF's first bytes, plain French text)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.4\n% Compte rendu de travail du groupe\n%%EOF\n"


def pdf_upload(name: str = "note.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_document(*, collectif, by, folder=None, title: str = "Note de cadrage", versions: int = 1, **flags):
    """A document of `folder` (the references folder by default) with `versions` uploaded versions."""
    from documents import services

    folder = folder or services.folder_for_references(collectif=collectif)
    document = services.document_create(
        collectif=collectif, folder=folder, title=title, upload=pdf_upload(), note="Première version", by=by
    )
    for n in range(2, versions + 1):
        services.document_version_add(document=document, upload=pdf_upload(f"note-v{n}.pdf"), note=f"v{n}", by=by)
    if flags.get("to_discuss"):
        services.document_flag(document=document, to_discuss=True, by=by)
    document.refresh_from_db()
    return document
