"""Reading PDFs in tests with poppler (pdfinfo, pdffonts) and zlib for the compressed objects; the text is
`tests.helpers.pdf_text`."""

from __future__ import annotations

import re
import subprocess
import tempfile
import zlib
from pathlib import Path


def _run(args: list[str], pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(pdf)
        return subprocess.run([*args, str(path)], capture_output=True, text=True, check=True).stdout


def pdf_info(pdf: bytes) -> dict[str, str]:
    out = _run(["pdfinfo", "-enc", "UTF-8"], pdf)
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines()) if v}


def pdf_metadata_xml(pdf: bytes) -> str:
    return _run(["pdfinfo", "-meta"], pdf)


def pdf_fonts(pdf: bytes) -> str:
    return _run(["pdffonts"], pdf)


def pdf_objects(pdf: bytes) -> bytes:
    """The raw PDF with every Flate stream inflated: what lives in compressed object streams becomes searchable."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        start = match.end()
        end = pdf.find(b"endstream", start)
        try:
            parts.append(zlib.decompressobj().decompress(pdf[start:end]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def positions(text: str, needles: list[str]) -> list[int]:
    return [text.find(needle) for needle in needles]
