"""Paste to import: turn the text of a restitution typed in Word (seed 001) into the four lists of points.

The parser never fails: what it cannot place (a messy OCR text like seed 004, with several ateliers and no
headings) comes back as unplaced lines, which the import page lists for the user to sort by hand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# The four headings of seed 001: normalized beginnings of a line, and short headings that must be the whole line.
HEADINGS = {
    "constats": (("etat des lieux",), ("constats", "les constats", "constat")),
    "questions": (("questions vives", "question vive"), ("questions",)),
    "leviers": (("points d'appui", "point d'appui"), ("leviers", "les leviers", "appuis")),
    "obstacles": (("points d'achoppement", "point d'achoppement"), ("obstacles", "les obstacles", "freins")),
}
# A bullet: a dash, a bullet sign, an asterisk, or the « e » that OCR makes of a round bullet (seed 004).
BULLET = re.compile(r"^\s*(?:[-–—•*·▪●◦]|e(?=\s+[A-ZÀ-ÝÉ]))\s*")
ATELIER = re.compile(r"^\s*ateliers?\s*((?:\d+\s*(?:&|et|,|/)?\s*)+)\s*(?::|-|–)?\s*(.*)$", re.IGNORECASE)
RESTITUTION = re.compile(r"^\s*restitution\b(?:\s+de\s+l['’]\s*|\s+des\s+|\s+)?(.*)$", re.IGNORECASE)
END_OF_SENTENCE = re.compile(r"[.!?;…]\s*[»\"]?$")
MAX_FREE_TITLE = 70


@dataclass
class ParsedLine:
    text: str
    # A Point.Section value, "libre:<n>" for the n-th free section, or "" when it could not be placed.
    section: str = ""


@dataclass
class ParsedRestitution:
    title: str = ""
    atelier_numbers: str = ""
    lines: list[ParsedLine] = field(default_factory=list)
    free_titles: list[str] = field(default_factory=list)
    ateliers: list[str] = field(default_factory=list)

    @property
    def unplaced(self) -> list[ParsedLine]:
        return [line for line in self.lines if not line.section]

    def points(self, section: str) -> list[str]:
        return [line.text for line in self.lines if line.section == section]


def normalize(text: str) -> str:
    """Lowercase, no accents, straight apostrophes, OCR's capital I for l before an apostrophe."""
    text = text.replace("’", "'").replace("`", "'")
    text = re.sub(r"\bI'", "l'", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().strip(":").strip().lower()


def heading_section(line: str) -> str:
    """The section a heading line opens, or "" when the line is not one of the four headings."""
    key = normalize(line)
    if not key or len(key) > 60 or BULLET.match(line):
        return ""
    for section, (starts, whole) in HEADINGS.items():
        if key in whole or any(key == s or key.startswith((s + " ", s + ":")) for s in starts):
            return section
    return ""


def _numbers(raw: str) -> str:
    return re.sub(r"\s+", "", raw).replace("et", "&").replace(",", "&").replace("/", "&").strip("&")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _paragraphs(text: str) -> list[tuple[bool, str]]:
    """Lines with a flag telling whether a blank line came before them."""
    out = []
    blank = True
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n"):
        if not raw.strip():
            blank = True
            continue
        out.append((blank, raw.rstrip()))
        blank = False
    return out


def parse_restitution(text: str) -> ParsedRestitution:
    result = ParsedRestitution()
    lines = _paragraphs(text or "")
    section = ""  # where bullets go now
    current: ParsedLine | None = None  # the item that continuation lines extend
    heading_open = False  # the previous line was a title or atelier heading that may wrap onto this one
    seen_heading = False

    def add(text: str) -> ParsedLine:
        item = ParsedLine(_clean(text), section)
        result.lines.append(item)
        return item

    for index, (after_blank, raw) in enumerate(lines):
        line = raw.strip()
        bullet = BULLET.match(raw)
        next_is_bullet = index + 1 < len(lines) and bool(BULLET.match(lines[index + 1][1]))

        found = heading_section(line)
        if found:
            section, current, heading_open, seen_heading = found, None, False, True
            continue

        atelier = ATELIER.match(line)
        if atelier and not bullet:
            numbers, title = _numbers(atelier.group(1)), _clean(atelier.group(2))
            result.ateliers.append(numbers)
            if len(result.ateliers) == 1:
                result.atelier_numbers = numbers
                result.title = title or result.title
            else:
                # A second atelier in the same text (seed 004): its title is shown to be sorted by hand.
                current = ParsedLine(_clean(line), "")
                result.lines.append(current)
            section, heading_open = "", True
            if len(result.ateliers) == 1:
                current = None
            continue

        restitution = RESTITUTION.match(line)
        if restitution and not result.title and not seen_heading and not bullet:
            rest = restitution.group(1)
            atelier = ATELIER.match(rest)
            if atelier:
                result.atelier_numbers = _numbers(atelier.group(1))
                result.ateliers.append(result.atelier_numbers)
                result.title = _clean(atelier.group(2))
            heading_open = bool(result.title)
            continue

        if bullet:
            current = add(raw[bullet.end() :])
            heading_open = False
            continue

        # A plain line. First: the wrapped end of a title or atelier heading.
        if heading_open and not after_blank:
            if current is None:
                result.title = _clean(f"{result.title} {line}")
            else:
                current.text = _clean(f"{current.text} {line}")
            continue
        heading_open = False
        # A short line without a final stop, followed by bullets: the title of a free section (seed 004).
        if (
            after_blank
            and next_is_bullet
            and line[:1].isupper()
            and len(line) <= MAX_FREE_TITLE
            and not re.search(r"[.:;,]$", line)
        ):
            result.free_titles.append(_clean(line))
            section, current = f"libre:{len(result.free_titles) - 1}", None
            continue
        # The wrapped end of a point: the point has not ended its sentence, or the line goes on in lowercase.
        wraps = current is not None and (not END_OF_SENTENCE.search(current.text) or line[:1].islower())
        if wraps and (not line.endswith(":") or not after_blank):
            current.text = _clean(f"{current.text} {line}")
            continue
        # The title, before any heading, when the text did not give one.
        if not result.title and not seen_heading and not result.lines:
            result.title, heading_open, current = _clean(line), True, None
            continue
        # Before any heading, an unbulleted line of a clean text is still a point of the current list.
        current = add(line)
        if not section:
            current.section = ""
    return result
