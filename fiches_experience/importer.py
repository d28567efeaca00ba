"""Importing the fiches that live today in Word files and PDFs, exported as tab-separated `key<TAB>value` text.

One parser and one service, shared by `manage.py import_fiches` and the upload page of CRPV editors. Real files are
messy (seed 003): the parser recognises a CRPV fiche by its `Région<TAB>Titre` row, keys wrapped in <p> or written
with other accents, case or number, rows continuing the section above, HTML cells, prose and tables around the
fiches (skipped and counted), the same fiche twice (merged), keys it does not know (kept as extra sections).
Importing the same file again changes nothing; a run is imported whole or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.text import slugify

from collectifs.models import Territoire, Theme
from core.html import sanitize_html
from fiches_experience import services
from fiches_experience.models import GABARIT_SECTIONS, FicheExperience, Gabarit, PublicCible, Status
from fiches_experience.text import html_to_text, normalize, normalize_key

if TYPE_CHECKING:
    from membres.models import User

# Régions (and overseas territories) that open a CRPV fiche: `Normandie<TAB>Rez'Orne, le réseau…`.
REGIONS = {
    normalize(name)
    for name in [
        "Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne", "Centre-Val de Loire", "Corse", "Grand Est",
        "Hauts-de-France", "Île-de-France", "Normandie", "Nouvelle-Aquitaine", "Occitanie", "Pays de la Loire",
        "Provence-Alpes-Côte d'Azur", "Guadeloupe", "Martinique", "Guyane", "La Réunion", "Réunion", "Mayotte",
    ]
}  # fmt: skip
# normalized key → section key, for each gabarit
KEY_INDEX: dict[str, dict[str, str]] = {
    gabarit: {normalize_key(heading): key for key, heading in sections}
    for gabarit, sections in GABARIT_SECTIONS.items()
}
BLOCK_TAG = re.compile(r"<\s*(p|ul|ol|li|br)\b", re.IGNORECASE)
_IDENTITE_FIELD = re.compile(r"^([^:]{3,40}?)\s*:\s*(.+)$")


@dataclass
class ParsedFiche:
    gabarit: str
    title: str
    territoire: str
    source: str
    untitled: bool = False
    sections: dict[str, str] = field(default_factory=dict)
    extra: dict[str, tuple[str, str]] = field(default_factory=dict)  # extra key → (heading, html)

    @property
    def identity(self) -> tuple[str, str]:
        return normalize(self.title), normalize(self.territoire)

    def headings(self) -> list[str]:
        names = dict(GABARIT_SECTIONS[self.gabarit])
        return [names[k] for k, _ in GABARIT_SECTIONS[self.gabarit] if self.sections.get(k)] + [
            heading for heading, html in self.extra.values() if html
        ]


@dataclass
class ParseResult:
    fiches: list[ParsedFiche] = field(default_factory=list)
    skipped_blocks: int = 0
    duplicates: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    duplicates: int = 0
    skipped_blocks: int = 0
    fiches: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "skipped_blocks": self.skipped_blocks,
            "fiches": self.fiches,
            "warnings": self.warnings,
        }


# --- Parsing -------------------------------------------------------------------------------------------------


_LIST_WITHOUT_ITEMS = re.compile(r"<ul\b[^>]*>((?:(?!</ul>|<ul\b|<p\b).)*)(?:</ul>)?", re.IGNORECASE | re.DOTALL)
_BULLET = re.compile(r"(?:^|\s)(?:[●•·▪◦]|-)\s")


def _bullets_to_items(html: str) -> str:
    """Word exports write lists as « <ul> ● un ● deux » (no <li>): make them real list items."""

    def items(match: re.Match) -> str:
        body = match.group(1)
        if re.search(r"<li\b", body, re.IGNORECASE):
            return match.group(0)
        parts = [part.strip() for part in _BULLET.split(body) if part.strip()]
        return "<ul>" + "".join(f"<li>{part}</li>" for part in parts) + "</ul>" if parts else ""

    return _LIST_WITHOUT_ITEMS.sub(items, html)


def clean_cell(value: str) -> str:
    """A cell as safe HTML: structure kept (paragraphs, lists, links), scripts, handlers and styles dropped."""
    value = value.strip()
    if not value:
        return ""
    if not BLOCK_TAG.search(value):
        value = f"<p>{value}</p>"
    return sanitize_html(_bullets_to_items(value))


def _lookup(first_cell: str, gabarit: str | None) -> tuple[str, str] | None:
    """(gabarit, section key) of a row's first cell, preferring the current fiche's gabarit."""
    normalized = normalize_key(first_cell)
    order = [gabarit] if gabarit else []
    order += [g for g in (Gabarit.CRPV, Gabarit.COURT) if g not in order]
    for g in order:
        if normalized in KEY_INDEX[g]:
            return g, KEY_INDEX[g][normalized]
    return None


def _looks_like_key(cell: str) -> bool:
    text = html_to_text(cell).strip()
    return 0 < len(text) <= 60 and len(text.split()) <= 8 and not text.endswith((".", ":", ";", "?", "!"))


def _is_title_row(cells: list[str], next_first_cell: str | None) -> bool:
    if len(cells) != 2 or not cells[0].strip() or not cells[1].strip():
        return False
    if _lookup(cells[0], None):
        return False
    if normalize(cells[0]) in REGIONS:
        return True
    return bool(next_first_cell) and normalize_key(next_first_cell) == normalize_key("Identité")


def parse_text(text: str, *, source: str, title: str = "", territoire: str = "") -> ParseResult:
    """Read one file's text into fiches. `title`/`territoire` name a short-gabarit fiche, which has no title row."""
    result = ParseResult()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    nonblank_next: list[str | None] = [None] * len(lines)
    upcoming = None
    for i in range(len(lines) - 1, -1, -1):
        nonblank_next[i] = upcoming
        if lines[i].strip():
            upcoming = lines[i].split("\t")[0]

    current: ParsedFiche | None = None
    last: tuple[str, str] | None = None  # ("section"|"extra", key)
    in_skipped_block = False

    def skip() -> None:
        nonlocal current, last, in_skipped_block
        current, last = None, None
        if not in_skipped_block:
            result.skipped_blocks += 1
        in_skipped_block = True

    def append(kind: str, key: str, html: str) -> None:
        if not html:
            return
        if kind == "section":
            current.sections[key] = (current.sections.get(key, "") + "\n" + html).strip()
        else:
            heading, before = current.extra[key]
            current.extra[key] = (heading, (before + "\n" + html).strip())

    for index, line in enumerate(lines):
        where = f"{source}:{index + 1}"
        if not line.strip():
            in_skipped_block = False
            continue
        cells = line.split("\t")
        filled = [c for c in cells if c.strip()]
        if len(cells) == 1 or len(filled) > 2:
            skip()  # prose, a heading, or a table of more than two columns: not a fiche
            continue
        first, value = cells[0].strip(), "\t".join(cells[1:])
        if _is_title_row([first, value.strip()], nonblank_next[index]):
            current = ParsedFiche(
                gabarit=Gabarit.CRPV,
                title=html_to_text(value).strip(),
                territoire=html_to_text(first).strip(),
                source=where,
            )
            result.fiches.append(current)
            last, in_skipped_block = None, False
            continue
        if not first:
            if current is not None and last is not None:
                append(*last, clean_cell(value))
            else:
                skip()
            continue
        found = _lookup(first, current.gabarit if current else None)
        if found and (current is None or found[0] == current.gabarit):
            gabarit, key = found
            if current is None:
                current = ParsedFiche(
                    gabarit=gabarit,
                    title=title or "",
                    territoire=territoire or "",
                    source=where,
                    untitled=not title,
                )
                result.fiches.append(current)
            append("section", key, clean_cell(value))
            current.sections.setdefault(key, "")
            last, in_skipped_block = ("section", key), False
            continue
        if current is not None and _looks_like_key(first):
            heading = html_to_text(first).strip()
            key = "extra-" + (slugify(heading)[:50] or "section")
            if key not in current.extra:
                current.extra[key] = (heading, "")
                result.warnings.append(
                    f"{where} : rubrique inconnue « {heading} » conservée comme section supplémentaire "
                    f"de « {current.title or current.source} »."
                )
            append("extra", key, clean_cell(value))
            last, in_skipped_block = ("extra", key), False
            continue
        skip()
    return result


def _merge(into: ParsedFiche, other: ParsedFiche) -> list[str]:
    """Merge a second copy of a fiche: a non-empty section wins over an empty one; the first copy wins a conflict."""
    conflicts = []
    for key, html in other.sections.items():
        if html and not into.sections.get(key):
            into.sections[key] = html
        elif html and html != into.sections[key]:
            conflicts.append(key)
        into.sections.setdefault(key, "")
    for key, (heading, html) in other.extra.items():
        if key not in into.extra or (html and not into.extra[key][1]):
            into.extra[key] = (heading, html)
    return conflicts


def parse_files(paths_and_texts: list[tuple[str, str]], *, title: str = "", territoire: str = "") -> ParseResult:
    """Parse several files and merge the fiches that appear more than once (same title and territory)."""
    merged = ParseResult()
    by_identity: dict[tuple[str, str], ParsedFiche] = {}
    for source, text in paths_and_texts:
        parsed = parse_text(text, source=source, title=title, territoire=territoire)
        merged.skipped_blocks += parsed.skipped_blocks
        merged.warnings += parsed.warnings
        for fiche in parsed.fiches:
            if fiche.untitled:
                fiche.title = f"Fiche sans titre ({Path(source.split(':')[0]).stem})"
                merged.warnings.append(
                    f"{fiche.source} : fiche sans ligne de titre ; importée comme brouillon « {fiche.title} » "
                    "(donnez --title et --territoire)."
                )
            known = by_identity.get(fiche.identity)
            if known is None:
                by_identity[fiche.identity] = fiche
                merged.fiches.append(fiche)
                continue
            merged.duplicates += 1
            conflicts = _merge(known, fiche)
            merged.warnings.append(
                f"{fiche.source} : doublon de « {known.title} » ({known.source}), fusionné"
                + (
                    f" ; sections différentes gardées de la première copie : {', '.join(conflicts)}"
                    if conflicts
                    else ""
                )
                + "."
            )
    return merged


def read_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# --- Import service -------------------------------------------------------------------------------------------


def _identite_fields(html: str) -> dict[str, str]:
    """« Territoire : …, Champ thématique : …, Groupe cible : … », one per list item (or after a ● bullet)."""
    fields = {}
    for line in html_to_text(html).replace("●", "\n").splitlines():
        found = _IDENTITE_FIELD.match(line.strip())
        if found:
            fields[normalize(found.group(1))] = found.group(2).strip()
    return fields


def _guess_public(text: str) -> str:
    words = normalize(text)
    for needles, value in [
        (("acteur", "professionnel", "coordonna", "animat", "equipe"), PublicCible.PROFESSIONNELS),
        (("eleve", "jeune", "collegien", "lyceen", "enfant"), PublicCible.ELEVES),
        (("parent", "famille"), PublicCible.PARENTS),
    ]:
        if any(n in words for n in needles):
            return value
    return ""


def _territoire(name: str, cache: dict[str, Territoire | None]) -> Territoire | None:
    """The territory named in the file (a région for CRPV fiches), created when the platform does not know it."""
    key = normalize(name)
    if key not in cache:
        found = Territoire.objects.filter(name__iexact=name).order_by("kind").first() if name else None
        if found is None and name:
            kind = Territoire.Kind.REGION if key in REGIONS else Territoire.Kind.COMMUNE
            found = Territoire.objects.create(name=name, kind=kind)
        cache[key] = found
    return cache[key]


def _metadata(parsed: ParsedFiche, themes: list[Theme]) -> dict:
    """Themes and target public read from the « Identité » section of a CRPV fiche."""
    fields = _identite_fields(parsed.sections.get("identite", ""))
    champ = normalize(fields.get("champ thematique", ""))
    return {
        "themes": [t for t in themes if champ and normalize(t.name) in champ],
        "public_cible": _guess_public(fields.get("groupe cible", "")),
    }


def _sections_differ(fiche: FicheExperience, parsed: ParsedFiche) -> bool:
    current = {s.key: (s.heading, s.html) for s in fiche.sections.all()}
    wanted = {key: sanitize_html(parsed.sections.get(key, "")) for key, _ in GABARIT_SECTIONS[fiche.gabarit]}
    if any(current.get(key, ("", ""))[1] != html for key, html in wanted.items()):
        return True
    return any(current.get(key) != (heading, sanitize_html(html)) for key, (heading, html) in parsed.extra.items())


def fiches_import(
    *, parsed: ParseResult, by: User | None = None, publish: bool = False, dry_run: bool = False
) -> ImportReport:
    """Create or update the parsed fiches, all or nothing; `dry_run` does everything, then rolls back.

    A fiche is the same as an existing one when its normalized title and territory are: then only what changed
    is written (a new version), so importing the same file twice changes nothing the second time.
    """
    report = ImportReport(
        duplicates=parsed.duplicates, skipped_blocks=parsed.skipped_blocks, warnings=list(parsed.warnings)
    )
    with transaction.atomic():
        territoires: dict[str, Territoire | None] = {}
        themes = list(Theme.objects.all())
        existing = {
            (fiche.title_key, fiche.territoire_id): fiche
            for fiche in FicheExperience.objects.filter(
                title_key__in={normalize(item.title) for item in parsed.fiches}
            ).prefetch_related("sections")
        }
        to_create: list[tuple[ParsedFiche, services.FicheDraft]] = []
        to_publish: list[tuple[ParsedFiche, FicheExperience]] = []
        for item in parsed.fiches:
            territoire = _territoire(item.territoire, territoires)
            extra = [(key, heading, html) for key, (heading, html) in item.extra.items()]
            fiche = existing.get((normalize(item.title), territoire.pk if territoire else None))
            if fiche is None:
                draft = services.FicheDraft(
                    title=item.title,
                    gabarit=item.gabarit,
                    territoire=territoire,
                    sections=item.sections,
                    extra_sections=extra,
                    **_metadata(item, themes),
                )
                to_create.append((item, draft))
                continue
            changed = _sections_differ(fiche, item)
            if changed:
                services.fiche_import_update(fiche=fiche, by=by, sections=item.sections, extra=extra)
            if publish and fiche.status != Status.PUBLISHED:
                to_publish.append((item, fiche))
                changed = changed or not item.untitled
            report.updated += int(changed)
        created = services.fiches_create(by=by, drafts=[draft for _, draft in to_create], change="Importée")
        report.created = len(created)
        if publish:
            to_publish += [(item, fiche) for (item, _), fiche in zip(to_create, created, strict=True)]
        for item, fiche in to_publish:
            if item.untitled:
                report.warnings.append(f"« {item.title} » reste un brouillon : elle n'a pas de titre.")
            else:
                services.fiche_publish(fiche=fiche, by=by, force=True)
        report.fiches = [
            {"titre": item.title, "territoire": item.territoire, "sections": item.headings()} for item in parsed.fiches
        ]
        if dry_run:
            transaction.set_rollback(True)
    return report
