"""The files CRPVs actually have — Word (.docx) and OpenDocument (.odt) fiches, or a text export — as the
`rubrique<TAB>contenu` text the importer reads, so that every format goes through the same parser and review path.

A two-column table row becomes `rubrique<TAB>contenu` (cells keep their paragraphs and lists); a heading that names
a section becomes `rubrique<TAB>`, and the paragraphs after it continue that section; any other paragraph is a line
of its own. Files are checked before they are opened: size (FICHES_IMPORT_MAX_BYTES), type, and for zipped
formats the size once unzipped (a small file that unzips to gigabytes is refused).
"""

from __future__ import annotations

import io
import zipfile
from html import escape
from html.parser import HTMLParser

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

from core.uploads import extension
from fiches_experience.importer import is_section_key

ACCEPTED = ("txt", "docx", "odt")
# A Word or OpenDocument file unzips to many times its size; beyond this ratio it is not a fiche.
MAX_UNZIPPED_RATIO = 40


class DocumentError(ValueError):
    """A file the importer cannot read; the message is for the editor, in French."""


def max_bytes() -> int:
    return int(getattr(settings, "FICHES_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


def size_message(size: int) -> str:
    limit = max_bytes()
    return _(
        "Le fichier pèse %(size)s Mo : l'import accepte %(limit)s Mo au plus. Découpez-le en plusieurs fichiers "
        "(quelques fiches chacun) et importez-les l'un après l'autre."
    ) % {"size": f"{size / (1024 * 1024):.1f}".replace(".", ","), "limit": f"{limit / (1024 * 1024):g}"}


def read_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def document_text(name: str, data: bytes) -> str:
    """The text of an uploaded or given file, in the importer's format; DocumentError when it cannot be read."""
    if len(data) > max_bytes():
        raise DocumentError(size_message(len(data)))
    ext = extension(name)
    if ext not in ACCEPTED:
        raise DocumentError(
            _("Format « .%(ext)s » non pris en charge : importez un fichier .docx, .odt ou .txt.") % {"ext": ext}
        )
    if ext == "txt":
        return read_text(data)
    _check_zip(data, ext)
    try:
        html = _docx_html(data) if ext == "docx" else _odt_html(data)
    except DocumentError:
        raise
    except Exception as error:  # a damaged file raises anything from zipfile, lxml or the converters
        raise DocumentError(
            _(
                "Le fichier « %(name)s » est illisible (%(kind)s abîmé ?). Réenregistrez-le depuis votre traitement "
                "de texte."
            )
            % {"name": name, "kind": "Word" if ext == "docx" else "OpenDocument"}
        ) from error
    return html_to_import_text(html)


def _check_zip(data: bytes, ext: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise DocumentError(
            _("Ce fichier .%(ext)s n'est pas un document %(kind)s valide.")
            % {"ext": ext, "kind": "Word" if ext == "docx" else "OpenDocument"}
        ) from error
    if unzipped > max(len(data), 1) * MAX_UNZIPPED_RATIO or unzipped > max_bytes() * MAX_UNZIPPED_RATIO:
        raise DocumentError(_("Ce document se décompresse en un volume anormal : il n'est pas importé."))


def _docx_html(data: bytes) -> str:
    import mammoth

    return mammoth.convert_to_html(io.BytesIO(data)).value


# --- OpenDocument → HTML (the same small HTML as mammoth's) ------------------------------------------------------


def _odt_html(data: bytes) -> str:
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    return "".join(_odt_node(child) for child in document.text.childNodes)


def _odt_inline(node) -> str:
    if node.nodeType == node.TEXT_NODE:
        return escape(str(node.data))
    local = node.qname[1]
    if local == "s":
        return " "
    if local in ("tab", "line-break"):
        return " "
    return "".join(_odt_inline(child) for child in node.childNodes)


def _odt_node(node) -> str:
    if node.nodeType != node.ELEMENT_NODE:
        return ""
    local = node.qname[1]
    if local == "h":
        level = min(int(node.getAttribute("outlinelevel") or 1), 6)
        return f"<h{level}>{_odt_inline(node)}</h{level}>"
    if local == "p":
        return f"<p>{_odt_inline(node)}</p>"
    if local == "list":
        items = [child for child in node.childNodes if getattr(child, "qname", ("", ""))[1] == "list-item"]
        return (
            "<ul>" + "".join(f"<li>{''.join(_odt_node(c) for c in item.childNodes)}</li>" for item in items) + "</ul>"
        )
    if local == "table":
        return "<table>" + "".join(_odt_node(child) for child in node.childNodes) + "</table>"
    if local in ("table-row", "table-header-rows", "table-rows"):
        inner = "".join(_odt_node(child) for child in node.childNodes)
        return f"<tr>{inner}</tr>" if local == "table-row" else inner
    if local == "table-cell":
        return "<td>" + "".join(_odt_node(child) for child in node.childNodes) + "</td>"
    if local in ("section", "text"):
        return "".join(_odt_node(child) for child in node.childNodes)
    return ""


# --- HTML → importer text ----------------------------------------------------------------------------------------


class _Lines(HTMLParser):
    """Walks the converters' HTML: top-level blocks become lines, table rows become tab-separated cells."""

    KEEP = {"p", "ul", "ol", "li", "strong", "b", "em", "i", "a", "br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.depth_table = 0
        self.cells: list[list[str]] | None = None
        self.buffer: list[str] = []
        self.heading = False
        self.blocks = 0  # open p/ul/ol outside tables: a line ends when the outermost one closes

    def _out(self) -> list[str]:
        return self.cells[-1] if self.cells is not None and self.cells else self.buffer

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth_table += 1
        elif tag == "tr" and self.depth_table == 1:
            self.cells = []
        elif tag in ("td", "th") and self.depth_table == 1 and self.cells is not None:
            self.cells.append([])
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and not self.depth_table:
            self._flush()
            self.heading = True
        elif tag in self.KEEP:
            if tag in ("p", "ul", "ol") and not self.depth_table and not self.heading:
                self.blocks += 1
            href = dict(attrs).get("href") if tag == "a" else None
            self._out().append(f'<a href="{escape(href)}">' if href else f"<{tag}>")

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth_table = max(self.depth_table - 1, 0)
        elif tag == "tr" and self.depth_table == 1 and self.cells is not None:
            row = [" ".join("".join(cell).split()) for cell in self.cells]
            self.lines.append("\t".join(row))
            self.cells = None
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.heading:
            # A heading naming a rubrique opens its section (`Contexte<TAB>`), and the paragraphs after it
            # continue it; any other heading is a line of text.
            text = " ".join("".join(self.buffer).split())
            self.lines.append(f"{text}\t" if is_section_key(text) else f"<p><strong>{text}</strong></p>")
            self.buffer, self.heading = [], False
        elif tag in self.KEEP and tag != "br":
            self._out().append(f"</{tag}>")
            if tag in ("p", "ul", "ol") and not self.depth_table and not self.heading:
                self.blocks = max(self.blocks - 1, 0)
                if not self.blocks:
                    self._flush()

    def handle_data(self, data):
        self._out().append(escape(data, quote=False))

    def _flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        if text and text not in ("<p></p>", "<ul></ul>"):
            self.lines.append(text)
        self.buffer = []

    def close(self):
        super().close()
        self._flush()


def html_to_import_text(html: str) -> str:
    parser = _Lines()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.lines)


# --- Upload cap while the request is read ---------------------------------------------------------------------------


class CappedUploadHandler(FileUploadHandler):
    """Stops storing an uploaded file once it passes `limit` bytes: a file of gigabytes is drained, not written to
    disk, and the view says it is too big. Installed before the request body is parsed (see views.import_view)."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.refused_size = 0

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            # What the browser announced (the whole request), else what was read so far.
            announced = int(self.request.META.get("CONTENT_LENGTH") or 0) if self.request else 0
            self.refused_size = max(announced, start + len(raw_data))
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
