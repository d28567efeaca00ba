import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import check_upload, content_type_for

OFFICE = ("pdf", "docx", "txt")


def _check(name: str, content: bytes, max_size: int = 1024 * 1024):
    return check_upload(SimpleUploadedFile(name, content), allowed=OFFICE, max_size=max_size, refused_message="refusé")


def test_a_real_pdf_is_accepted_and_served_as_pdf():
    assert _check("compte-rendu.PDF", b"%PDF-1.7 ...") == "application/pdf"


def test_an_html_page_renamed_pdf_is_refused():
    with pytest.raises(forms.ValidationError, match="ne correspond pas à son extension"):
        _check("compte-rendu.pdf", b"<html><script>alert(1)</script>")


def test_an_extension_not_allowed_here_is_refused_with_the_callers_message():
    with pytest.raises(forms.ValidationError, match="refusé"):
        _check("photo.png", b"\x89PNG\r\n\x1a\n....")


def test_plain_text_is_not_checked_for_magic_bytes_but_size_is():
    assert _check("notes.txt", b"ordre du jour") == "text/plain"
    with pytest.raises(forms.ValidationError, match="dépasse 1 Mo"):
        _check("notes.txt", b"x" * (1024 * 1024 + 1))


def test_unknown_stored_files_are_served_as_downloads():
    assert content_type_for("archive.exe") == "application/octet-stream"
