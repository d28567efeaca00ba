"""The public catalogue's reads: full-text search, facets with counts, one page of results — in one query.

PostgreSQL: `websearch_to_tsquery('french_unaccent', q)` against the weighted `search_vector` (GIN index),
ranked with ts_rank on the small `search_rank_vector` (title, metadata, the sections' opening); excerpts cut
around the query's stems (see excerpt_html). The columns are not mapped by the ORM (see models), hence the RawSQL.
SQLite (`make run` without a database server): every word, accents ignored, must start a word of `search_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Count, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from fiches_experience.facets import FacetIndex, facet_index
from fiches_experience.facets import tables as facets_tables
from fiches_experience.models import FicheExperience, Gabarit, PublicCible
from fiches_experience.text import normalize, obfuscate_emails

PAGE_SIZE = 20
TABLE = FicheExperience._meta.db_table
TSQUERY = "websearch_to_tsquery('french_unaccent', %s)"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    query: str = ""  # the catalogue's query string that toggles this value

    @property
    def count_text(self) -> str:
        """The count as the template prints it, without the `localize` an integer goes through there (no thousands
        separator here): a fifth of the facets' rendering."""
        return str(self.count)


FACET_SIZE = 15  # a facet shows its most frequent values (and any selected one)


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)


@dataclass
class CatalogueResult:
    page: Page
    total: int
    facets: list[Facet]
    query: str

    @property
    def selected(self) -> list[tuple[str, str]]:
        """The filters on, (facet, value): kept by the search form."""
        return [(facet.name, value.value) for facet in self.facets for value in facet.values if value.selected]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """Fiches matching the words typed (unordered): on PostgreSQL, the full vector through its GIN index."""
    if is_postgresql():
        return queryset.filter(RawSQL(f'"{TABLE}"."search_vector" @@ {TSQUERY}', [query], output_field=BooleanField()))
    # SQLite has no accent-insensitive search: every word, accents ignored, must start a word of the text.
    patterns = [_stems_pattern([word]) for word in {normalize(w) for w in query.split()} - {""}]
    texts = queryset.values_list("pk", "search_text")
    return queryset.filter(pk__in=[pk for pk, text in texts if all(pattern.search(text) for pattern in patterns)])


def stems_from_tsquery(text: str) -> list[str]:
    """The stems of a tsquery's text form: « 'decrochag' & 'scolair' » → ['decrochag', 'scolair']."""
    return sorted({stem.replace("''", "'") for stem in re.findall(r"'((?:[^']|'')+)'", text or "")})


ACCENTED = {"a": "aàâä", "c": "cç", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü", "y": "yÿ"}


def _stems_pattern(stems: list[str]) -> re.Pattern:
    """Words starting with one of the stems, accents and case ignored: « decrochag » finds « Décrochages »."""
    alternatives = ["".join(f"[{ACCENTED[c]}]" if c in ACCENTED else re.escape(c) for c in stem) for stem in stems]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")\w*", re.IGNORECASE)


def _fold_table() -> bytes:
    """Latin-1 byte → its letter lowercased, accents of `ACCENTED` dropped (one byte for one), as `_stems_pattern`
    treats them alike."""
    table = bytearray(range(256))
    for byte in range(256):
        lower = chr(byte).lower()
        if len(lower) == 1 and ord(lower) < 256:
            table[byte] = ord(lower)
    for plain, group in ACCENTED.items():
        for accented in group[1:] + group[1:].upper():
            if ord(accented) < 256:
                table[ord(accented)] = ord(plain)
    return bytes(table)


_FOLD_TABLE = _fold_table()
# The letters out of Latin-1 that the regex, ignoring case, takes for a letter of a stem: İ ı (i), Ÿ (ÿ), ſ (s), K (k).
_CASE_OUTSIDE_LATIN1 = "\u0130\u0131\u0178\u017f\u212a"
_WORD_TAIL = re.compile(r"\w*")


def _fold(text: str) -> bytes:
    """`text` lowercased, accents dropped, one byte per character: Latin-1 through a byte table (a copy in C,
    where str.lower() alone took a fifth of a search), any other character « ? », which no stem contains."""
    return text.encode("latin-1", "replace").translate(_FOLD_TABLE)


def _word_starts(text: str, stems: list[str]) -> list[tuple[int, int]]:
    """Spans of the words of `text` that start with one of the stems, as `_stems_pattern` finds them, but looked
    for with bytes.find in a folded copy of the text: the regex tried every position (half the catalogue's time).
    The folded copy has a byte per character, so its positions are the text's."""
    folded_stems = {_fold(stem) for stem in stems} - {b""}
    if any(b"?" in stem for stem in folded_stems) or any(c in text for c in _CASE_OUTSIDE_LATIN1):
        # a stem out of Latin-1, or a letter that would be folded into another: the regex, slower but exact
        return [m.span() for m in _stems_pattern(stems).finditer(text)]
    folded = _fold(text)
    starts = set()
    for stem in folded_stems:
        position = folded.find(stem)
        while position != -1:
            if not position or not (text[position - 1].isalnum() or text[position - 1] == "_"):
                starts.add(position)
            position = folded.find(stem, position + 1)
    return [(start, _WORD_TAIL.match(text, start).end()) for start in sorted(starts)]


def excerpt_html(text: str, stems: list[str], *, length: int = 220) -> str:
    """The passage of about `length` characters with the most matches, escaped, matches in <mark>, e-mail
    addresses obfuscated.

    Cut here rather than by ts_headline, which re-parses every document (about 3 ms a fiche): the stems come
    from PostgreSQL's own parsing of the query, and French stems are prefixes of the words they come from.
    """
    if not stems or not text:
        return ""
    matches = _word_starts(text, stems)
    if not matches:
        return ""
    first = last = best = 0
    for i, (start, _end) in enumerate(matches):  # the run of matches that fits in `length` and counts most
        while start - matches[first][0] > length:
            first += 1
        if i - first + 1 > best:
            best, best_first, last = i - first + 1, first, i
    middle = (matches[best_first][0] + matches[last][1]) // 2
    end = min(len(text), max(0, middle - length // 2) + length)
    start = max(0, end - length)
    if start > 0:  # cut on spaces, never inside a word
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    parts, position = [], start
    for match_start, match_end in matches:
        if match_start >= start and match_end <= end:
            parts += [str(escape(text[position:match_start])), f"<mark>{escape(text[match_start:match_end])}</mark>"]
            position = match_end
    parts.append(str(escape(text[position:end])))
    html = ("… " if start else "") + " ".join("".join(parts).split()) + (" …" if end < len(text) else "")
    return obfuscate_emails(html) if "@" in html else html


FILTERS = {
    "territoire": "territoire_id",
    "theme": "themes__slug",
    "dispositif": "dispositifs__slug",
    "public": "public_cible",
    "gabarit": "gabarit",
}


def _filtered(selected: dict[str, str]) -> QuerySet | None:
    fiches = FicheExperience.objects.published()
    for name, lookup in FILTERS.items():
        value = selected[name]
        if not value:
            continue
        if name == "territoire" and not value.isdigit():
            return None
        if name in ("theme", "dispositif"):
            # through a subquery, so that the list has no duplicate rows
            fiches = fiches.filter(pk__in=FicheExperience.objects.filter(**{lookup: value}).values("pk"))
        else:
            fiches = fiches.filter(**{lookup: value})
    return fiches


def catalogue(params, *, page_number: str | int | None = 1, state: dict[str, int] | None = None) -> CatalogueResult:
    """Published fiches filtered by the query string `params` (q and the facets), one page of them.

    On PostgreSQL, one query (`_listed_postgresql`): the fiches listed (matching the query, best first; else
    newest first) with what the facets count, and the cards of the page asked for. The facets are counted here, the
    themes and dispositifs of the fiches taken from the facet index (facets.py: kept per process while the link
    tables are unchanged), which also names the territories and themes on the cards. `state`: the tables'
    generations if already read (`catalogue_state`).
    """
    query = (params.get("q") or "").strip()[:200]
    selected = {name: (params.get(name) or "").strip() for name in FILTERS}
    filtered = _filtered(selected)
    if filtered is None:
        return _empty(query)
    index = facet_index(state)
    if is_postgresql():
        rows, stems, pages = _listed_postgresql(filtered, query, page_number)
    else:  # SQLite: the fiches listed, newest first; the stems are the words typed; the page is read afterwards
        listed = (matching(filtered, query) if query else filtered).order_by("-published_at", "-pk")
        rows = list(listed.values_list("pk", "gabarit", "public_cible", "territoire_id"))
        stems, pages = sorted({normalize(word) for word in query.split()} - {""}), {}
    facets = _facets(params, selected, rows, index)
    page = Paginator([row[0] for row in rows], PAGE_SIZE).get_page(page_number)
    page_ids = list(page.object_list)
    if all(pk in pages for pk in page_ids):  # read with the list (any page but one asked out of range)
        format = _CardFormat()
        page.object_list = [_card(pages[pk], stems, index, format) for pk in page_ids]
    else:
        page.object_list = _cards(page_ids, stems, index)
    return CatalogueResult(page=page, total=len(rows), facets=facets, query=query)


def _by_rank(counts: dict[int, int], labels: dict[int, tuple]) -> list[tuple[int, int]]:
    """(id, count) in the order of the names (the database's, as browsing shows them)."""
    return sorted(counts.items(), key=lambda item: labels[item[0]][2])


def _page_rows(page_number) -> tuple[int, int]:
    """The rows (from, to], counted from 1 in the order of the results, of the page asked for, as
    Paginator.get_page reads the number: not a number, the first page; below 1 (the last page, unknown yet), none."""
    try:
        number = int(page_number)
    except (TypeError, ValueError):
        number = 1
    if number < 1:
        return 0, 0
    return (number - 1) * PAGE_SIZE, number * PAGE_SIZE


def _listed_postgresql(filtered, query: str, page_number) -> tuple[list[tuple], list[str], dict[int, tuple]]:
    """The fiches listed, matching the query if any (the filters and the full-text match of `matching`), best first,
    else newest first, with what the facets count (id, gabarit, public, territory), and, for the rows of the page
    asked for only, what their cards show: one query. With a query, the first row carries its stems (to cut the
    excerpts) and the page's rows their text.

    Returns the rows, the stems and the page's cards' rows by id."""
    first, last = _page_rows(page_number)
    columns = ("pk", "gabarit", "public_cible", "territoire_id", "slug", "title", "published_at")
    if query:
        # The matches as the ORM writes them (filters included); the rank is the last column, after the fields.
        # Ranked by the small `search_rank_vector` (title, metadata, the sections' opening; migration 0004), which
        # stays in the row, rather than by the full vector each match would have to read (16 kB out of line).
        listed = (
            matching(filtered, query)
            .order_by()
            .annotate(
                rank=RawSQL(f'ts_rank("{TABLE}"."search_rank_vector", {TSQUERY})', [query], output_field=FloatField())
            )
            .values_list(*columns, "search_text", "rank")
        )
        order, text, stems = "s.rank DESC, s.published_at DESC NULLS LAST", "s.search_text", f"{TSQUERY}::text"
    else:
        listed = filtered.order_by().values_list(*columns)
        order, text, stems = "s.published_at DESC NULLS LAST", "''", "''"
    listed_sql, listed_params = listed.query.sql_with_params()
    names = ", ".join(("id", *columns[1:], *(("search_text", "rank") if query else ())))
    on_page = "m.n > %s AND m.n <= %s"
    sql = f"""
        WITH m AS (
            SELECT s.id, s.gabarit, s.public_cible, s.territoire_id, s.slug, s.title, s.published_at,
                   {text} AS text, row_number() OVER (ORDER BY {order}, s.id DESC) AS n
            FROM ({listed_sql}) s ({names})
        )
        SELECT m.id, m.gabarit, m.public_cible, m.territoire_id,
               CASE WHEN {on_page} THEN m.slug END, CASE WHEN {on_page} THEN m.title END,
               CASE WHEN {on_page} THEN m.published_at END, CASE WHEN {on_page} THEN m.text END,
               CASE WHEN m.n = 1 THEN {stems} END
        FROM m ORDER BY m.n
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*listed_params, *[first, last] * 4, *([query] if query else [])])
        found = cursor.fetchall()
    pages = {
        pk: (pk, slug, title, gabarit, territoire_id, published_at, text)
        for pk, gabarit, _public, territoire_id, slug, title, published_at, text, _stems in found[first:last]
    }
    return [row[:4] for row in found], stems_from_tsquery(found[0][-1]) if found and query else [], pages


def _facets(params, selected: dict[str, str], rows: list[tuple], index: FacetIndex) -> list[Facet]:
    """The facets of the fiches listed, (id, gabarit, public, territory) rows, counted here: territories by name,
    themes and dispositifs in the database's order of their names, publics and gabarits in their choices' order;
    each shows its most frequent values (and the one selected)."""
    by_gabarit: dict[str, int] = {}
    by_public: dict[str, int] = {}
    by_territoire: dict[int, int] = {}
    by_theme: dict[int, int] = {}
    by_dispositif: dict[int, int] = {}
    for pk, gabarit, public, territoire_id in rows:
        by_gabarit[gabarit] = by_gabarit.get(gabarit, 0) + 1
        if public:
            by_public[public] = by_public.get(public, 0) + 1
        if territoire_id:
            by_territoire[territoire_id] = by_territoire.get(territoire_id, 0) + 1
        for theme_id in index.themes.get(pk, ()):
            by_theme[theme_id] = by_theme.get(theme_id, 0) + 1
        for dispositif_id in index.dispositifs.get(pk, ()):
            by_dispositif[dispositif_id] = by_dispositif.get(dispositif_id, 0) + 1
    territoires = sorted(
        ((str(pk), index.territoire_name(pk), n) for pk, n in by_territoire.items()), key=lambda row: row[1:]
    )
    themes = [(*index.theme_labels[pk][:2], n) for pk, n in _by_rank(by_theme, index.theme_labels)]
    dispositifs = [(*index.dispositif_labels[pk][:2], n) for pk, n in _by_rank(by_dispositif, index.dispositif_labels)]
    facets = [
        Facet(
            "territoire",
            "Territoire",
            [FacetValue(pk, name, n, selected["territoire"] == pk) for pk, name, n in territoires],
        ),
        Facet("theme", "Thème", [FacetValue(slug, name, n, selected["theme"] == slug) for slug, name, n in themes]),
        Facet(
            "dispositif",
            "Dispositif",
            [FacetValue(slug, name, n, selected["dispositif"] == slug) for slug, name, n in dispositifs],
        ),
        Facet(
            "public",
            "Public cible",
            [
                FacetValue(value, label, by_public[value], selected["public"] == value)
                for value, label in PublicCible.choices
                if value in by_public
            ],
        ),
        Facet(
            "gabarit",
            "Gabarit",
            [
                FacetValue(value, label, by_gabarit[value], selected["gabarit"] == value)
                for value, label in Gabarit.choices
                if value in by_gabarit
            ],
        ),
    ]
    for facet in facets:
        ranked = sorted(facet.values, key=lambda v: -v.count)
        keep = {id(v) for v in ranked[:FACET_SIZE]} | {id(v) for v in facet.values if v.selected}
        facet.values = [v for v in facet.values if id(v) in keep]
        for value in facet.values:
            value.query = _toggle(params, facet.name, value.value)
    return facets


@dataclass
class Card:
    """What the catalogue shows of a fiche."""

    url: str
    title: str
    meta: str  # gabarit — territoire — date of publication
    excerpt: str  # escaped HTML, matches in <mark>
    themes: list[str]


class _CardFormat:
    """What every card of a page formats alike, computed once: the link's prefix, the gabarits' labels translated,
    the dates' month names (`DateLabels`)."""

    def __init__(self) -> None:
        from core.dates import DateLabels

        self.prefix = reverse("fiches_experience:detail", kwargs={"slug": "-"})[:-2]
        self.gabarits = {value: str(label) for value, label in Gabarit.choices}
        self.dates = DateLabels()


def _card(row: tuple, stems: list[str], index: FacetIndex, format: _CardFormat) -> Card:
    """A card from (id, slug, title, gabarit, territory id, published_at, text)."""
    pk, slug, title, gabarit, territoire_id, published_at, search_text = row
    meta = [format.gabarits.get(gabarit, gabarit)]
    if territoire_id:
        meta.append(index.territoire_name(territoire_id))
    if published_at:
        if timezone.is_naive(published_at):  # SQLite's plain queries give the stored UTC time, naive
            published_at = published_at.replace(tzinfo=UTC)
        meta.append(f"publiée le {format.dates.day(published_at)}")
    return Card(
        url=f"{format.prefix}{slug}/",
        title=title,
        meta=" — ".join(meta),
        # the sections, after the title and the metadata lines
        excerpt=excerpt_html(search_text.split("\n", 2)[-1], stems) if stems and search_text else "",
        themes=[index.theme_labels[theme_id][1] for theme_id in index.themes.get(pk, ())],
    )


def _cards(ids: list[int], stems: list[str], index: FacetIndex) -> list[Card]:
    """The cards of these fiches, in this order, in one plain query (the text only for the excerpts of a search);
    territories and themes named from the facet index. Plain rows rather than model instances: building 20 fiches,
    their territories and their themes through the ORM cost four times the queries themselves."""
    if not ids:
        return []
    text = "search_text" if stems else "''"
    table = connection.ops.quote_name(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, slug, title, gabarit, territoire_id, published_at, {text} FROM {table}"
            f" WHERE id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        rows = cursor.fetchall()
    position = {pk: i for i, pk in enumerate(ids)}
    rows.sort(key=lambda row: position[row[0]])
    format = _CardFormat()
    return [_card(row, stems, index, format) for row in rows]


CATALOGUE_CACHE_SECONDS = 600


def catalogue_state() -> dict[str, int] | None:
    """The generations of the tables a catalogue page reads (core.pagecache: any write to a fiche, its themes or
    dispositifs, a territory, a theme or a dispositif, from any process, moves one), by table, in one read from the
    shared cache for the results' key and the facet index. None without the shared cache."""
    from core import pagecache

    tables = catalogue_tables()
    values = pagecache.table_generations(tables) if pagecache.enabled() else None
    return None if values is None else dict(zip([*tables, pagecache.UNKNOWN_TABLE], values, strict=True))


def catalogue_cache_key(params, state: dict[str, int] | None) -> str:
    """The key of a catalogue page's rendered results: its query string and the state of what it reads, the
    tables' generations (`catalogue_state`, no query) or without the shared cache, the fiches' count and last change
    (one aggregate)."""
    import hashlib

    from django.db.models import Max

    if state is None:
        found = FicheExperience.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        state = {"fiches": (found["n"], found["last"].isoformat() if found["last"] else "")}
    query = sorted((k, v) for k, values in params.lists() for v in values)
    digest = hashlib.sha256(repr((sorted(state.items()), query)).encode()).hexdigest()[:32]
    return f"fiches:catalogue:{digest}"


def catalogue_tables() -> list[str]:
    """The tables whose rows a catalogue page shows: the fiches' and those of the facet index."""
    return [FicheExperience._meta.db_table, *facets_tables()]


def _toggle(params, name: str, value: str) -> str:
    """The query string with facet `name` set to `value`, or without it when it is already selected."""
    query = {k: v for k, v in params.items() if k != "page" and v}
    if query.get(name) == value:
        query.pop(name)
    else:
        query[name] = value
    return urlencode(query)


def _empty(query: str) -> CatalogueResult:
    paginator = Paginator([], PAGE_SIZE)
    return CatalogueResult(page=paginator.get_page(1), total=0, facets=[], query=query)
