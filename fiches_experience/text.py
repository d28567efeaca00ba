"""Text helpers of fiches: key normalization (import), plain text (search), e-mail obfuscation (public pages)."""

from __future__ import annotations

import html as html_lib
import re
import unicodedata

_TAG = re.compile(r"<[^>]+>")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_MAILTO_LINK = re.compile(r"<a\b[^>]*href=\"mailto:[^\"]*\"[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_EMAIL = re.compile(r"([\w.+-]+)@([\w-]+(?:\.[\w-]+)*)\.([a-z]{2,})", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(p|li|ul|ol)>|<br\s*/?>", re.IGNORECASE)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """Lowercase words without accents, tags or punctuation: « <p>Évaluation et résultats</p> » → « evaluation et
    resultats »."""
    text = html_lib.unescape(_TAG.sub(" ", text or ""))
    return " ".join(_NON_WORD.sub(" ", strip_accents(text).lower()).split())


def normalize_key(text: str) -> str:
    """A section key as written by people: also singular/plural-insensitive (« Enseignement tirés »)."""
    return " ".join(
        word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word for word in normalize(text).split()
    )


def html_to_text(html: str) -> str:
    """Readable plain text of sanitized HTML: one line per paragraph or list item."""
    text = _BLOCK_END.sub("\n", html or "")
    text = html_lib.unescape(_TAG.sub(" ", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def obfuscate_email(match: re.Match) -> str:
    return f"{match.group(1)} [arobase] {match.group(2)} [point] {match.group(3)}"


def obfuscate_emails(html: str) -> str:
    """Contacts stay readable by people but not by address harvesters: mailto links become text and
    « nom@domaine.fr » becomes « nom [arobase] domaine [point] fr »."""
    html = _MAILTO_LINK.sub(r"\1", html or "")
    return _EMAIL.sub(obfuscate_email, html)
