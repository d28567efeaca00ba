"""Sanitizing the rich text users write (minutes, fiches, journals): paragraphs, lists, links, bold, italic."""

import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "b", "em", "i"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


# Stored documents built from sanitized pieces (an adopted minutes version: sections with their headings).
DOCUMENT_TAGS = ALLOWED_TAGS | {"section", "h2", "h3", "h4"}
DOCUMENT_ATTRIBUTES = {**ALLOWED_ATTRIBUTES, "section": {"class"}}


def sanitize_html(html: str, *, document: bool = False) -> str:
    """Keep the structure users mean, drop everything else (scripts, event handlers, styles, images).
    `document=True` also keeps sections and headings, for stored documents assembled from sanitized text."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=DOCUMENT_TAGS if document else ALLOWED_TAGS,
        attributes=DOCUMENT_ATTRIBUTES if document else ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()
