"""Small Word and OpenDocument fiches built in the tests: a .docx by hand (zip + minimal WordprocessingML, since
python-docx is not a dependency), an .odt with odfpy."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w_paragraph(text: str, style: str = "") -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _w_cell(content: str | list[str]) -> str:
    paragraphs = content if isinstance(content, list) else [content]
    return "<w:tc>" + "".join(_w_paragraph(p) for p in paragraphs) + "</w:tc>"


def make_docx(*, before: list[str] = (), rows: list[tuple[str, str | list[str]]] = (), after: list[str] = ()) -> bytes:
    """Paragraphs, then a two-column table (rubrique, contenu: one or several paragraphs), then paragraphs."""
    body = "".join(_w_paragraph(p) for p in before)
    if rows:
        body += "<w:tbl>" + "".join(f"<w:tr>{_w_cell(k)}{_w_cell(v)}</w:tr>" for k, v in rows) + "</w:tbl>"
    body += "".join(_w_paragraph(p) for p in after)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def make_odt(
    *, before: list[str] = (), rows: list[tuple[str, str | list[str]]] = (), headings: list[tuple[str, list[str]]] = ()
) -> bytes:
    """Paragraphs, a two-column table, then « heading + paragraphs » blocks (a fiche written with titles)."""
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    document = OpenDocumentText()
    for text in before:
        document.text.addElement(P(text=text))
    if rows:
        table = Table(name="Fiche")
        table.addElement(TableColumn(numbercolumnsrepeated=2))
        for key, value in rows:
            row = TableRow()
            for content in (key, value):
                cell = TableCell()
                for text in content if isinstance(content, list) else [content]:
                    cell.addElement(P(text=text))
                row.addElement(cell)
            table.addElement(row)
        document.text.addElement(table)
    for heading, paragraphs in headings:
        document.text.addElement(H(outlinelevel=2, text=heading))
        for text in paragraphs:
            document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
