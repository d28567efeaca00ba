"""Importing the fiches that live today in Word, OpenDocument and text files (documents.py turns the first two into
the tab-separated `key<TAB>value` text this module reads).

One parser and one service, shared by `manage.py import_fiches` and the upload page of CRPV editors. Real files are
messy (seed 003 and its full annex): the parser recognises a CRPV fiche by its `Territoire<TAB>Titre` row and keeps
the record whole until the next one (footnotes, untabbed lines, lists, numbered sub-headings, tables and their rule
lines inside it), keys wrapped in <p> or written with other accents, case, number or numbering, HTML cells, prose
around the fiches (skipped and counted), the same fiche twice (merged), keys it does not know (extra sections).
A published or archived fiche is never changed: the import proposes a version that a second editor publishes.
Importing the same file again changes and proposes nothing; a run is imported whole or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape as html_escape
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from collectifs import services as collectifs_services
from collectifs.models import Territoire, Theme
from collectifs.territoires import classify, looks_like_territoire
from collectifs.territoires_reference import REGION_ALIASES
from collectifs.territoires_reference import REGIONS as REFERENCE_REGIONS
from core.html import sanitize_html
from fiches_experience import services
from fiches_experience.models import GABARIT_SECTIONS, FicheExperience, Gabarit, PublicCible, Status
from fiches_experience.text import html_to_text, normalize, normalize_key

if TYPE_CHECKING:
    from membres.models import User

# Régions (overseas ones included) that open a CRPV fiche: `Normandie<TAB>Rez'Orne, le réseau…`; départements and
# lists of départements open one too (collectifs.territoires).
REGIONS = {normalize(name) for _code, name in REFERENCE_REGIONS} | {normalize(name) for name in REGION_ALIASES}
# normalized key → section key, for each gabarit
KEY_INDEX: dict[str, dict[str, str]] = {
    gabarit: {normalize_key(heading): key for key, heading in sections}
    for gabarit, sections in GABARIT_SECTIONS.items()
}
BLOCK_TAG = re.compile(r"<\s*(p|ul|ol|li|br)\b", re.IGNORECASE)
_IDENTITE_FIELD = re.compile(r"^([^:]{3,40}?)\s*:\s*(.+)$")
# Adjacent one-item lists made from « - … » lines are one list.
_LIST_SEAM = re.compile(r"</ul>\s*<ul>")


@dataclass
class ParsedFiche:
    gabarit: str
    title: str
    territoire: str
    source: str
    untitled: bool = False
    sections: dict[str, str] = field(default_factory=dict)
    extra: dict[str, tuple[str, str]] = field(default_factory=dict)  # extra key → (heading, html)
    # While parsing: the HTML pieces of each section, joined once at the end (joining as we go is quadratic).
    parts: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    unplaced: list[str] = field(default_factory=list)  # « file:line : text » of lines before the first section

    def finish(self) -> None:
        for (kind, key), pieces in self.parts.items():
            html = _LIST_SEAM.sub("", "\n".join(pieces))
            if kind == "section":
                self.sections[key] = html
            else:
                self.extra[key] = (self.extra[key][0], html)
        self.parts = {}

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
    # Characters and lines the parser went through: proportional to the input (a test holds it to that).
    work: int = 0


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    proposed: int = 0
    duplicates: int = 0
    skipped_blocks: int = 0
    fiches: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "proposed": self.proposed,
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
    """(gabarit, section key) of a row's first cell, preferring the current fiche's gabarit.

    « 2. Contexte », « Objectifs : » and « <p>Acteurs impliqués</p> » name sections too.
    """
    normalized = normalize_key(_NUMBERING.sub("", html_to_text(first_cell).strip()).rstrip(" :"))
    order = [gabarit] if gabarit else []
    order += [g for g in (Gabarit.CRPV, Gabarit.COURT) if g not in order]
    for g in order:
        if normalized in KEY_INDEX[g]:
            return g, KEY_INDEX[g][normalized]
    return None


def is_section_key(cell: str) -> bool:
    """True when `cell` names a section of a gabarit (a Word heading « Contexte » opens that section)."""
    return _lookup(cell, None) is not None


# « 1. », « 2) », « III - », « a. » before a heading
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[ivx]{1,4}|[a-h])\s*[.)°-]\s+", re.IGNORECASE)
# A table rule or separator line: only dashes, equals, underscores, pipes, plus signs, colons and stars.
_RULE = re.compile(r"^[\s\-=_|+:*~—–]+$")
_LIST_LINE = re.compile(r"^\s*(?:[-–—•●·▪◦*])\s+")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def is_rule(line: str) -> bool:
    """`--<TAB>---`, `|---|---|`, `=====`: the rule of a table or a separator, never a section nor text."""
    return bool(_RULE.match(line)) and sum(line.count(c) for c in "-=_|+*~—–") >= 2


def _looks_like_key(cell: str) -> bool:
    """An unknown rubrique (kept as an extra section): a short label with words, not a number, footnote or bullet."""
    text = html_to_text(cell).strip()
    if not (0 < len(text) <= 60 and len(text.split()) <= 8) or text.endswith((".", ":", ";", "?", "!")):
        return False
    return len(_LETTERS.findall(text)) >= 3 and text[0].isalpha() and not _LIST_LINE.match(text)


def _is_title_row(cells: list[str], next_first_cell: str | None) -> bool:
    """`Région<TAB>Titre`: a territory of the reference list (or any name when an « Identité » row follows) and a
    title. Nothing else opens a CRPV fiche, so a record ends only at the next one's header row."""
    if len(cells) != 2 or not cells[0].strip() or not cells[1].strip():
        return False
    if _lookup(cells[0], None) or is_rule(cells[0]) or len(html_to_text(cells[0])) > 80:
        return False
    if next_first_cell is not None and normalize_key(next_first_cell) == normalize_key("Identité"):
        return True
    return normalize(cells[0]) in REGIONS or looks_like_territoire(html_to_text(cells[0]))


def _is_label(cell: str) -> bool:
    return len(cell) <= 40 and not BLOCK_TAG.search(cell)


def _continuation_html(text: str) -> str:
    """A line continuing a section: a list line becomes a list item, anything else a paragraph."""
    text = text.strip()
    if BLOCK_TAG.search(text):
        return clean_cell(text)
    if _LIST_LINE.match(text):
        return sanitize_html(f"<ul><li>{_LIST_LINE.sub('', text, count=1)}</li></ul>")
    return clean_cell(text)


def parse_text(text: str, *, source: str, title: str = "", territoire: str = "") -> ParseResult:
    """Read one file's text into fiches. `title`/`territoire` name a short-gabarit fiche, which has no title row.

    A CRPV record opens at its header row (`Région<TAB>Titre`) and ends only at the next record's header row:
    footnotes, untabbed lines (« - … », « Objectif 1 : … »), numbered sub-headings and table rows inside it
    continue the section above, and a table rule line is dropped. Lines of a record that come before its first
    section are reported as not placed. Work is linear in the size of the text (each line is read a fixed number
    of times and each section is joined once), counted in `ParseResult.work`.
    """
    result = ParseResult()
    lines = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # For each line: the first cell of the next significant line (not blank, not a rule), and whether the next
    # non-blank line is a rule (then this line is a table's header row).
    next_first: list[str | None] = [None] * len(lines)
    next_is_rule: list[bool] = [False] * len(lines)
    upcoming, upcoming_rule = None, False
    for i in range(len(lines) - 1, -1, -1):
        next_first[i], next_is_rule[i] = upcoming, upcoming_rule
        line = lines[i]
        if line.strip():
            upcoming_rule = is_rule(line)
            if not upcoming_rule:
                upcoming = line.split("\t")[0]
    result.work += 2 * len(lines)

    current: ParsedFiche | None = None
    last: tuple[str, str] | None = None  # ("section"|"extra", key)
    in_skipped_block = False
    in_table = False

    def skip() -> None:
        nonlocal in_skipped_block
        if not in_skipped_block:
            result.skipped_blocks += 1
        in_skipped_block = True

    def append(kind: str, key: str, html: str) -> None:
        if not html:
            return
        result.work += len(html)
        current.parts.setdefault((kind, key), []).append(html)

    def place(where: str, raw: str, html: str) -> None:
        if last is not None:
            append(*last, html)
        elif html:
            current.unplaced.append(f"{where} : {html_to_text(raw)[:120]}")

    def open_section(found_key: str) -> None:
        nonlocal last
        current.sections.setdefault(found_key, "")
        last = ("section", found_key)

    for index, line in enumerate(lines):
        where = f"{source}:{index + 1}"
        result.work += len(line)
        if not line.strip():
            in_skipped_block, in_table = False, False
            continue
        if is_rule(line):
            if current is None:
                skip()
            else:
                in_table = True
            continue
        cells = line.split("\t")
        filled = [c.strip() for c in cells if c.strip()]
        first, value = cells[0].strip(), "\t".join(cells[1:])
        if len(filled) == 2 and first and _is_title_row([first, value.strip()], next_first[index]):
            current = ParsedFiche(
                gabarit=Gabarit.CRPV,
                title=html_to_text(value).strip(),
                territoire=html_to_text(first).strip(),
                source=where,
            )
            result.fiches.append(current)
            last, in_skipped_block, in_table = None, False, False
            continue
        if current is None:
            # Outside any record (the study around the fiches): only a known rubrique opens a fiche, one of the
            # short gabarit (it has no header row).
            found = _lookup(first, None) if len(cells) > 1 and len(filled) <= 2 and first else None
            if found is None:
                skip()
                continue
            current = ParsedFiche(
                gabarit=found[0], title=title or "", territoire=territoire or "", source=where, untitled=not title
            )
            result.fiches.append(current)
            in_skipped_block = False
        # Inside a record: every line is placed in it.
        # The header row of a table (above its rule) is short labels only, « Objectifs<TAB>Indicateurs »; a
        # rubrique with its text, or alone, opens its section even inside a table (which it then ends).
        table_header = next_is_rule[index] and len(filled) >= 2 and all(_is_label(c) for c in filled)
        found = None
        if first and len(filled) <= 2 and not table_header:
            found = _lookup(first, current.gabarit)
            if found and found[0] != current.gabarit:
                found = None
        if found:
            open_section(found[1])
            append("section", found[1], clean_cell(value))
            in_table = False
            continue
        if in_table or table_header or len(filled) > 2:
            # A table row (or the header row above a rule): one paragraph, its cells separated by « | ».
            row = " | ".join(html_to_text(c) for c in filled)
            place(where, row, clean_cell(html_escape(row)))
            continue
        if len(cells) == 1 or not first:
            place(where, line, _continuation_html(value if len(cells) > 1 else line))
            continue
        if _looks_like_key(first):
            heading = html_to_text(first).strip()
            key = "extra-" + (slugify(heading)[:50] or "section")
            if key not in current.extra:
                current.extra[key] = (heading, "")
                result.warnings.append(
                    f"{where} : rubrique inconnue « {heading} » conservée comme section supplémentaire "
                    f"de « {current.title or current.source} »."
                )
            append("extra", key, clean_cell(value))
            last = ("extra", key)
            continue
        # « Objectif 1 : atteindre…<TAB>… », a footnote « 1<TAB>Source… »: text of the section above.
        row = " ".join(html_to_text(c) for c in filled)
        place(where, row, _continuation_html(html_escape(row)))
    for fiche in result.fiches:
        fiche.finish()
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
        merged.work += parsed.work
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


def _territoire(
    name: str, cache: dict[str, Territoire | None], warnings: list[str], by: User | None
) -> Territoire | None:
    """The territory named in the file at its real scale (collectifs.territoires): a région, a département, several
    départements or a DROM of the reference list; another plain name is a commune (and said so)."""
    key = normalize(name)
    if key not in cache:
        found = collectifs_services.territoire_get_or_create(name=name, by=by) if name else None
        if name and classify(name) is None:
            if found is None:
                warnings.append(
                    _("Territoire « %(name)s » inconnu du référentiel : fiche sans territoire.") % {"name": name}
                )
            elif found.kind == Territoire.Kind.COMMUNE:
                warnings.append(
                    _("Territoire « %(name)s » hors du référentiel des départements et régions : lu comme commune.")
                    % {"name": name}
                )
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


def _existing_key(title: str, territoire: Territoire | None) -> tuple[str, str]:
    # On the territory's name, not its row: a fiche imported before territories had their scale (a département
    # recorded as a commune) is still the same fiche.
    return normalize(title), normalize(territoire.name) if territoire else ""


def _fiche_line(
    item: ParsedFiche, territoire: Territoire | None, result: str, fiche: FicheExperience | None = None, **more
) -> dict:
    """One fiche of the report: what was read (sections found, lines it could not place) and what became of it."""
    return {
        "titre": item.title,
        "territoire": item.territoire,
        "echelle": territoire.kind if territoire else "",
        "sections": item.headings(),
        "lignes_non_placees": item.unplaced,
        "resultat": result,
        "fiche": fiche.pk if fiche else None,
        "statut": fiche.status if fiche else "",
        **more,
    }


def fiches_import(
    *, parsed: ParseResult, by: User | None = None, publish: bool = False, dry_run: bool = False, source: str = ""
) -> ImportReport:
    """Create the new fiches and bring the known ones up to date, all or nothing; `dry_run` does it all, then rolls
    back.

    A fiche is the same as an existing one when its normalized title and territory are. A draft (or a fiche in
    review) gets the sections the file fills, in place. A published or archived fiche is never changed: the file's
    text becomes a proposed version that a second editor publishes (services.fiche_propose). Neither ever loses a
    section the file leaves empty. Importing the same file twice changes and proposes nothing the second time.
    `publish` (the command's --publish, for fiches already reviewed elsewhere) publishes new fiches and drafts only.
    """
    report = ImportReport(
        duplicates=parsed.duplicates, skipped_blocks=parsed.skipped_blocks, warnings=list(parsed.warnings)
    )
    with transaction.atomic():
        territoires: dict[str, Territoire | None] = {}
        themes = list(Theme.objects.all())
        existing: dict[tuple[str, str], FicheExperience] = {}
        for fiche in (
            FicheExperience.objects.filter(title_key__in={normalize(item.title) for item in parsed.fiches})
            .select_related("territoire")
            .prefetch_related("sections")
            .order_by("pk")
        ):
            existing.setdefault(_existing_key(fiche.title, fiche.territoire), fiche)
        to_create: list[tuple[ParsedFiche, services.FicheDraft, Territoire | None]] = []
        to_publish: list[tuple[ParsedFiche, FicheExperience]] = []
        lines: dict[int, dict] = {}
        for index, item in enumerate(parsed.fiches):
            territoire = _territoire(item.territoire, territoires, report.warnings, by)
            extra = [(key, heading, html) for key, (heading, html) in item.extra.items()]
            fiche = existing.get(_existing_key(item.title, territoire))
            if fiche is None:
                draft = services.FicheDraft(
                    title=item.title,
                    gabarit=item.gabarit,
                    territoire=territoire,
                    sections=item.sections,
                    extra_sections=extra,
                    **_metadata(item, themes),
                )
                to_create.append((item, draft, territoire))
                lines[index] = _fiche_line(item, territoire, "creee")
                continue
            changes = services.fiche_import_changes(fiche=fiche, sections=item.sections, extra=extra)
            if fiche.status in (Status.PUBLISHED, Status.ARCHIVED):
                proposal = services.fiche_propose(fiche=fiche, by=by, sections=changes, source=source or item.source)
                result = "version_proposee" if proposal else "inchangee"
                report.proposed += int(proposal is not None)
                more = {"sections_proposees": [change["heading"] for change in changes]} if proposal else {}
                lines[index] = _fiche_line(item, territoire, result, fiche, **more)
                continue
            if changes:
                services.fiche_import_update(fiche=fiche, by=by, sections=item.sections, extra=extra)
            changed = bool(changes)
            if publish:
                to_publish.append((item, fiche))
                changed = changed or not item.untitled
            report.updated += int(changed)
            lines[index] = _fiche_line(item, territoire, "brouillon_mis_a_jour" if changed else "inchangee", fiche)
        created = services.fiches_create(by=by, drafts=[draft for _, draft, _t in to_create], change="Importée")
        report.created = len(created)
        if publish:
            to_publish += [(item, fiche) for (item, _, _t), fiche in zip(to_create, created, strict=True)]
        for item, fiche in to_publish:
            if item.untitled:
                report.warnings.append(f"« {item.title} » reste un brouillon : elle n'a pas de titre.")
            else:
                services.fiche_publish(fiche=fiche, by=by, force=True)
        created_lines = [index for index, line in lines.items() if line["resultat"] == "creee"]
        for index, fiche in zip(sorted(created_lines), created, strict=True):
            lines[index].update(fiche=None if dry_run else fiche.pk, statut=fiche.status)
        report.fiches = [lines[index] for index in range(len(parsed.fiches))]
        if dry_run:
            transaction.set_rollback(True)
    return report
