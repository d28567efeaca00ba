"""The text of an e-mail reply, without what the mail client added: the quoted message and its attribution line
(« Le … a écrit : », « On … wrote: », Outlook's « De : … Envoyé : … » block), lines starting with « > », the
signature after « -- » and the mobile footers (« Envoyé de mon iPhone »). What is left becomes the limited rich text
of a message (core.html rules).

Written here rather than taken from a library: the maintained ones (talon, email-reply-parser) are not installed and
know little French; the cases below are those of the mail clients our members use, each with its test
(tests/discussions/test_reply_text.py).
"""

from __future__ import annotations

import html
import re
from email.message import EmailMessage
from html.parser import HTMLParser

import nh3

from core.html import sanitize_html
from discussions.replies import REPLY_ABOVE_MARKER

# An attribution line, possibly wrapped over two or three lines by the client: Gmail « Le lun. 3 mars 2025 à 10:12,
# Sophie <s@x> a écrit : », Apple Mail « Le 3 mars 2025 à 10:12, Sophie <s@x> a écrit : », English « On Mon, 3 Mar
# 2025 at 10:12, Sophie <s@x> wrote: »; or without a date, Thunderbird's « Sophie Bernard a écrit : ».
_ATTRIBUTION_DATED = re.compile(r"^\s*(?:le|on|am)\s.{0,300}?(?:a\s+écrit|wrote|schrieb)\s*:?\s*$", re.I | re.S)
_DATE_OPENING = re.compile(r"^\s*(?:le|on|am)\s[^\n]{0,60}\d", re.I)
_ATTRIBUTION_PLAIN = re.compile(r"^.{0,200}\s(?:a\s+écrit|wrote)\s*:\s*$", re.I | re.S)
# Outlook and webmails: a separator line, or a block of headers of the quoted message.
_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|message d'origine|message original|forwarded message|message transféré)"
    r"\s*-{2,}|_{10,}|-{10,})\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\*?(?:de|from|expéditeur)\s*\*?\s*:", re.IGNORECASE)
_HEADER_OTHER = re.compile(r"^\s*\*?(?:envoyé|sent|date|à|a|to|objet|subject|cc)\s*\*?\s*:", re.IGNORECASE)
# A signature starts at « -- » (RFC 3676 says « -- » with its space; many clients drop the space).
_SIGNATURE = re.compile(r"^--\s*$")
# Footers that phones and webmails add under the text.
_FOOTER = re.compile(
    r"^\s*(?:envoy[ée] (?:de|depuis|à partir de) (?:mon|ma|un|une|l'application|outlook|yahoo|mail)\b.*"
    r"|sent from (?:my|mail|outlook|yahoo)\b.*"
    r"|get outlook for (?:ios|android)\b.*"
    r"|(?:obtenir|télécharge[rz]?) outlook pour (?:ios|android)\b.*)$",
    re.IGNORECASE,
)


def strip_reply(text: str) -> str:
    """The new text of a reply: everything from the first sign of the quoted message or the signature is dropped,
    and so is every line starting with « > » (answers written between quoted lines are kept)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if _cut_here(lines, index):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip("\n").strip()


def _cut_here(lines: list[str], index: int) -> bool:
    line = lines[index]
    stripped = line.strip()
    if REPLY_ABOVE_MARKER.lower() in line.lower():
        return True
    if _SIGNATURE.match(line) or _SEPARATOR.match(line) or _FOOTER.match(stripped):
        return True
    if _HEADER_FROM.match(line):
        # Outlook's block: « De : … » then, within the next lines, « Envoyé : » / « Date : » / « À : » / « Objet : ».
        following = [candidate for candidate in lines[index + 1 : index + 5] if candidate.strip()]
        if following and all(_HEADER_OTHER.match(candidate) for candidate in following[:2]):
            return True
    # An attribution line, alone or wrapped over the next two lines, followed by the quote (or by nothing): a
    # sentence of the reply that ends in « a écrit : » before a paragraph of its own is not one.
    if line.lstrip().startswith(">"):
        return False
    dated = bool(_DATE_OPENING.match(line))
    for span in (1, 2, 3):
        if index + span > len(lines):
            break
        if span > 1 and re.search(r"[.!?]\s*$", lines[index + span - 2]):
            break  # a sentence ended: the next line is not the rest of this one
        chunk = " ".join(candidate.strip() for candidate in lines[index : index + span])
        if (dated and _ATTRIBUTION_DATED.match(chunk)) or (span == 1 and _ATTRIBUTION_PLAIN.match(chunk)):
            rest = [candidate for candidate in lines[index + span :] if candidate.strip()]
            return not rest or rest[0].lstrip().startswith(">")
    return False


class _TextOfHtml(HTMLParser):
    """Lines of text of an HTML mail body already cleaned by nh3: blocks become lines, a blockquote's lines start
    with « > » (so that strip_reply drops them), links keep their address."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr", "table", "ul", "ol"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quote_depth = 0
        self.href: str | None = None
        self.link_text = ""

    def _newline(self) -> None:
        if self.lines[-1].strip():
            self.lines.append("")

    def handle_starttag(self, tag, attrs):
        if tag == "blockquote":
            self._newline()
            self.quote_depth += 1
        elif tag == "hr":
            self._newline()
            self.lines[-1] = "-" * 12
            self.lines.append("")
        elif tag == "br":
            self.lines.append("")
        elif tag in self.BLOCKS:
            self._newline()
        if tag == "a":
            self.href = dict(attrs).get("href")
            self.link_text = ""

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self._newline()
            self.quote_depth = max(0, self.quote_depth - 1)
        elif tag in self.BLOCKS and tag != "br":
            self._newline()
        if tag == "a":
            if self.href and self.href.startswith(("http://", "https://")) and self.href not in self.link_text:
                self.handle_data(f" ({self.href})")
            self.href = None

    def handle_data(self, data):
        if self.href is not None:
            self.link_text += data
        text = re.sub(r"\s+", " ", data)
        if not self.lines[-1] and self.quote_depth:
            self.lines[-1] = "> " * self.quote_depth
        if not self.lines[-1].strip() and not self.quote_depth:
            text = text.lstrip()
        self.lines[-1] += text


def html_to_text(body: str) -> str:
    """The text of an HTML mail: nh3 first (scripts, styles and the head dropped with their content), then blocks
    and blockquotes as lines."""
    cleaned = nh3.clean(
        body,
        tags={"p", "div", "br", "li", "ul", "ol", "tr", "td", "table", "tbody", "blockquote", "hr", "a", "pre", "span"}
        | {f"h{level}" for level in range(1, 7)},
        attributes={"a": {"href"}},
        clean_content_tags={"script", "style", "head", "title"},
        strip_comments=True,
    )
    parser = _TextOfHtml()
    parser.feed(cleaned)
    parser.close()
    return "\n".join(line.rstrip() for line in parser.lines)


_URL = re.compile(r"https?://[^\s<>()\"']+[^\s<>()\"'.,;:!?]")


def text_to_html(text: str) -> str:
    """Paragraphs at blank lines, line breaks kept, web addresses as links; then core.html's sanitizer."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    parts = []
    for paragraph in paragraphs:
        escaped = html.escape(paragraph.strip(), quote=False)
        linked = _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
        parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return sanitize_html("".join(parts))


def reply_body_html(message: EmailMessage) -> str:
    """The message to post from a parsed e-mail (policy.default): its text/plain part if any, else its text/html,
    without the quoted text and the signature, as sanitized HTML; "" when nothing is left."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):
        content = part.get_payload(decode=True).decode("utf-8", "replace")
    text = content if part.get_content_subtype() == "plain" else html_to_text(content)
    return text_to_html(strip_reply(text))


def attachment_names(message: EmailMessage) -> list[str]:
    """The files attached to the mail (Content-Disposition: attachment); inline images of a signature are not."""
    return [part.get_filename() or "" for part in message.iter_attachments() if part.is_attachment()]
