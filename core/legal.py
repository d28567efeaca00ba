"""The three pages a French public-interest service must publish, with their default text.

A superuser edits them in the administration (core.models.LegalPage); until then the default text is shown. Text
format: paragraphs separated by a blank line; a paragraph starting with `## ` is a heading; lines starting with
`- ` make a list. Everything is escaped: no HTML.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

MENTIONS = "mentions-legales"
CONFIDENTIALITE = "confidentialite"
ACCESSIBILITE = "accessibilite"

TITLES = {
    MENTIONS: _("Mentions légales"),
    CONFIDENTIALITE: _("Politique de confidentialité"),
    ACCESSIBILITE: _("Déclaration d'accessibilité"),
}


def default_text(slug: str) -> str:
    """The text shown until a superuser writes the page (templates/core/legal_defaults/<slug>.txt)."""
    return render_to_string(f"core/legal_defaults/{slug}.txt").strip()


def render_text(text: str) -> SafeString:
    """Paragraphs, `## ` headings and `- ` lists, every character escaped."""
    blocks = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            blocks.append(f"<h2>{escape(lines[0][3:].strip())}</h2>")
            lines = lines[1:]
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            if line.startswith("- "):
                if paragraph:
                    blocks.append(f"<p>{'<br>'.join(paragraph)}</p>")
                    paragraph = []
                items.append(f"<li>{escape(line[2:].strip())}</li>")
            else:
                if items:
                    blocks.append(f"<ul>{''.join(items)}</ul>")
                    items = []
                paragraph.append(escape(line))
        if paragraph:
            blocks.append(f"<p>{'<br>'.join(paragraph)}</p>")
        if items:
            blocks.append(f"<ul>{''.join(items)}</ul>")
    return mark_safe("\n".join(blocks))
