"""The text of a message: what users type (limited HTML, or plain text with line breaks) becomes the stored,
sanitised HTML (core.html rules); stored HTML becomes plain text for e-mails and for finding @mentions."""

from __future__ import annotations

import html
import re

from core.html import sanitize_html

# A body that already has a block structure is taken as HTML; otherwise its blank lines are paragraphs and its
# single line breaks are kept (a textarea typed without the toolbar, or a plain-text e-mail reply).
_BLOCK = re.compile(r"<\s*(p|ul|ol|li|br)\b", re.IGNORECASE)


def body_clean(raw: str) -> str:
    """The HTML to store for what the person wrote: sanitised, with the paragraphs they meant."""
    raw = (raw or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if raw and not _BLOCK.search(raw):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", raw) if p.strip()]
        raw = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return sanitize_html(raw)


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML, for the text part of e-mails: paragraphs separated by a blank line, list items
    as « - », links as « text (address) »."""
    value = value or ""

    def link(match: re.Match) -> str:
        href = html.unescape(match.group(1))
        label = re.sub(r"<[^>]+>", "", match.group(2))
        return label if html.unescape(label).strip() == href.strip() else f"{label} ({href})"

    value = re.sub(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', link, value, flags=re.IGNORECASE | re.DOTALL)
    value = re.sub(r"<br\s*/?>", "\n", value, flags=re.IGNORECASE)
    value = re.sub(r"<li\b[^>]*>", "\n- ", value, flags=re.IGNORECASE)
    value = re.sub(r"</(p|ul|ol)\s*>", "\n\n", value, flags=re.IGNORECASE)
    value = re.sub(r"<[^>]+>", "", value)
    value = html.unescape(value)
    lines = [line.rstrip() for line in value.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def has_text(value: str) -> bool:
    """Whether stored HTML says anything (a message of only tags or spaces is empty)."""
    return bool(html_to_text(value).strip())
