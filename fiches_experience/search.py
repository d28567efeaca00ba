"""The public catalogue's reads: full-text search, facets with counts, one page of results — in five queries.

PostgreSQL: `websearch_to_tsquery('french_unaccent', q)` against the weighted `search_vector` (GIN index),
ranked with ts_rank on the small `search_rank_vector` (title, metadata, the sections' opening); excerpts cut
around the query's stems (see excerpt_html). The columns are not mapped by the ORM (see models), hence the RawSQL.
SQLite (`make run` without a database server): every word, accents ignored, must start a word of `search_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Count, FloatField, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import escape

from collectifs.models import Dispositif, Theme
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


def match(queryset: QuerySet, query: str) -> QuerySet:
    """Fiches matching the words typed, best first; accents and endings ignored on PostgreSQL.

    Best first: ranked by the small `search_rank_vector` (title, metadata, the sections' opening; migration 0004),
    which stays in the row, rather than by the full vector each match would have to read (16 kB out of line)."""
    if not query:
        return queryset.order_by("-published_at", "-pk")
    if is_postgresql():
        return (
            matching(queryset, query)
            .annotate(
                rank=RawSQL(f'ts_rank("{TABLE}"."search_rank_vector", {TSQUERY})', [query], output_field=FloatField()),
                # the stems searched for, to cut the excerpts (see excerpt_html): a subquery, computed once
                tsquery_text=RawSQL(f"(SELECT {TSQUERY}::text)", [query], output_field=TextField()),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
    return matching(queryset, query).order_by("-published_at", "-pk")


def stems_from_tsquery(text: str) -> list[str]:
    """The stems of a tsquery's text form: « 'decrochag' & 'scolair' » → ['decrochag', 'scolair']."""
    return sorted({stem.replace("''", "'") for stem in re.findall(r"'((?:[^']|'')+)'", text or "")})


ACCENTED = {"a": "aàâä", "c": "cç", "e": "eéèêë", "i": "iîï", "o": "oôö", "u": "uùûü", "y": "yÿ"}


def _stems_pattern(stems: list[str]) -> re.Pattern:
    """Words starting with one of the stems, accents and case ignored: « decrochag » finds « Décrochages »."""
    alternatives = ["".join(f"[{ACCENTED[c]}]" if c in ACCENTED else re.escape(c) for c in stem) for stem in stems]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")\w*", re.IGNORECASE)


# Lowercase letters with their accents dropped, as `_stems_pattern` treats them alike (one character for one).
_FOLD = [(accented, plain) for plain, group in ACCENTED.items() for accented in group[1:]]


def _fold(text: str) -> str:
    """Lowercase, accents dropped (one str.replace per accented letter: much faster than str.translate)."""
    text = text.lower()
    for accented, plain in _FOLD:
        if accented in text:
            text = text.replace(accented, plain)
    return text


_WORD_TAIL = re.compile(r"\w*")


def _word_starts(text: str, stems: list[str]) -> list[tuple[int, int]]:
    """Spans of the words of `text` that start with one of the stems, as `_stems_pattern` finds them, but looked
    for with str.find in a folded copy of the text: the regex tried every position (half the catalogue's time)."""
    folded = _fold(text)
    if len(folded) != len(text):  # a rare letter whose lowercase is longer: the regex, slower but exact
        return [m.span() for m in _stems_pattern(stems).finditer(text)]
    starts = set()
    for stem in {_fold(stem) for stem in stems} - {""}:
        position = folded.find(stem)
        while position != -1:
            if not position or not (folded[position - 1].isalnum() or folded[position - 1] == "_"):
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
    return obfuscate_emails(html)


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


def catalogue(params, *, page_number: str | int | None = 1) -> CatalogueResult:
    """Published fiches filtered by the query string `params` (q and the facets), one page of them.

    A search on PostgreSQL: three queries (`_search_postgresql`: the ranked ids, the stems and every facet in
    one; the page's fiches, excerpts cut here; their themes). Browsing: five — (1) the total and the gabarit,
    public and territory facets, one GROUP BY; (2, 3) theme and dispositif facets; (4) the page's fiches; (5) their
    themes.
    """
    query = (params.get("q") or "").strip()[:200]
    selected = {name: (params.get(name) or "").strip() for name in FILTERS}
    filtered = _filtered(selected)
    if filtered is None:
        return _empty(query)
    kinds = ["gabarit", "public_cible", "territoire_id", "territoire__name"]
    if query and is_postgresql():
        return _search_postgresql(params, filtered, query, selected, page_number)
    if query:
        # SQLite: the matching ids, newest first, with what the facets count; the stems are the words typed.
        rows = list(match(filtered, query).values_list("pk", *kinds))
        ids = [row[0] for row in rows]
        groups = [(*row[1:5], 1) for row in rows]
        stems = sorted({normalize(word) for word in query.split()} - {""})
        among = ids
    else:
        # Browsing: counted by the database, one row per combination; the page is read with LIMIT/OFFSET.
        groups = list(filtered.values_list(*kinds).annotate(n=Count("pk")).order_by())
        ids, stems, among = [], [], filtered.values("pk")
    by_gabarit: dict[str, int] = {}
    by_public: dict[str, int] = {}
    by_territoire: dict[int, list] = {}
    for gabarit, public, territoire_id, territoire_name, n in groups:
        by_gabarit[gabarit] = by_gabarit.get(gabarit, 0) + n
        if public:
            by_public[public] = by_public.get(public, 0) + n
        if territoire_id:
            by_territoire.setdefault(territoire_id, [territoire_name, 0])[1] += n
    total = sum(by_gabarit.values())
    themes = Theme.objects.filter(fiches__in=among).annotate(n=Count("fiches")).order_by("name") if total else []
    dispositifs = (
        Dispositif.objects.filter(fiches__in=among).annotate(n=Count("fiches")).order_by("name") if total else []
    )
    return _result(
        params,
        selected,
        query,
        page_number,
        ids=ids,
        stems=stems,
        total=total,
        facet_rows=(
            sorted(((str(pk), name, n) for pk, (name, n) in by_territoire.items()), key=lambda row: row[1]),
            [(t.slug, t.name, t.n) for t in themes],
            [(d.slug, str(d), d.n) for d in dispositifs],
            by_public,
            by_gabarit,
        ),
        listing=filtered,
    )


def _search_postgresql(params, filtered, query: str, selected: dict, page_number) -> CatalogueResult:
    """A search on PostgreSQL in one query: the matching fiches (the filters and the full-text match of `matching`)
    are kept in a CTE, from which come their ids best first (one array), the stems of the query and every facet's
    counts, territories, themes and dispositifs named (no id sent back and forth, no row per match)."""
    quote = connection.ops.quote_name
    territoire = FicheExperience._meta.get_field("territoire").related_model._meta
    themes = FicheExperience.themes.through._meta
    dispositifs = FicheExperience.dispositifs.through._meta
    # The matches with what the facets count and their rank, as the ORM writes them (filters included); the rank is
    # the last column, after the fields (where Django puts annotations).
    matches_sql, matches_params = (
        matching(filtered, query)
        .order_by()
        .annotate(
            rank=RawSQL(f'ts_rank("{TABLE}"."search_rank_vector", {TSQUERY})', [query], output_field=FloatField())
        )
        .values_list("pk", "gabarit", "public_cible", "territoire_id", "published_at", "rank")
        .query.sql_with_params()
    )
    sql = f"""
        WITH q AS (SELECT {TSQUERY} AS q),
        m (id, gabarit, public_cible, territoire_id, published_at, rank) AS MATERIALIZED ({matches_sql})
        SELECT 'ids', (SELECT q::text FROM q), NULL, 0, 0,
               (SELECT array_agg(id ORDER BY rank DESC, published_at DESC NULLS LAST, id DESC) FROM m)
        UNION ALL SELECT 'gabarit', gabarit, NULL, count(*), 0, NULL FROM m GROUP BY gabarit
        UNION ALL SELECT 'public', public_cible, NULL, count(*), 0, NULL FROM m
            WHERE public_cible <> '' GROUP BY public_cible
        UNION ALL SELECT 'territoire', t.id::text, t.name, count(*), 0, NULL
            FROM m JOIN {quote(territoire.db_table)} t ON t.id = m.territoire_id GROUP BY t.id, t.name
        UNION ALL SELECT 'theme', x.slug, x.name, count(*), row_number() OVER (ORDER BY x.name), NULL
            FROM m JOIN {quote(themes.db_table)} l ON l.ficheexperience_id = m.id
            JOIN {quote(Theme._meta.db_table)} x ON x.id = l.theme_id GROUP BY x.id, x.slug, x.name
        UNION ALL SELECT 'dispositif', x.slug, COALESCE(NULLIF(x.acronym, ''), x.name), count(*),
               row_number() OVER (ORDER BY x.name), NULL
            FROM m JOIN {quote(dispositifs.db_table)} l ON l.ficheexperience_id = m.id
            JOIN {quote(Dispositif._meta.db_table)} x ON x.id = l.dispositif_id
            GROUP BY x.id, x.slug, x.name, x.acronym
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, *matches_params])
        rows = cursor.fetchall()
    ids, stems = [], []
    named: dict[str, list] = {"territoire": [], "theme": [], "dispositif": []}
    counted: dict[str, dict] = {"gabarit": {}, "public": {}}
    for kind, value, label, n, position, array in rows:
        if kind == "ids":
            ids, stems = array or [], stems_from_tsquery(value) if array else []
        elif kind in counted:
            counted[kind][value] = n
        else:
            named[kind].append((position, label, value, n))
    named = {  # territories by name (as browsing shows them), themes and dispositifs by the database's order of names
        kind: [(value, label, n) for _p, label, value, n in sorted(found, key=lambda row: row[:2])]
        for kind, found in named.items()
    }
    return _result(
        params,
        selected,
        query,
        page_number,
        ids=ids,
        stems=stems,
        total=len(ids),
        facet_rows=(named["territoire"], named["theme"], named["dispositif"], counted["public"], counted["gabarit"]),
        listing=filtered,
    )


def _result(params, selected, query, page_number, *, ids, stems, total, facet_rows, listing) -> CatalogueResult:
    """The page and the facets, from the counts found: (value, label, count) rows for the territories, themes and
    dispositifs (in the order shown), {value: count} for the publics and gabarits."""
    territoires, themes, dispositifs, by_public, by_gabarit = facet_rows
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
    if not query:
        listing = listing.order_by("-published_at", "-pk").defer("search_text")
        paginator = Paginator(listing.select_related("territoire").prefetch_related("themes"), PAGE_SIZE)
        paginator.count = total  # known from the grouped query: no COUNT(*) of its own
        page = paginator.get_page(page_number)
        for fiche in page.object_list:
            fiche.excerpt = ""
        _cards(page.object_list)
        return CatalogueResult(page=page, total=total, facets=facets, query=query)
    page = Paginator(ids, PAGE_SIZE).get_page(page_number)
    page_ids = list(page.object_list)
    fiches = (
        {
            fiche.pk: fiche
            for fiche in FicheExperience.objects.filter(pk__in=page_ids)
            .select_related("territoire")
            .prefetch_related("themes")
        }
        if page_ids
        else {}
    )
    page.object_list = [fiches[pk] for pk in page_ids]
    for fiche in page.object_list:
        body = fiche.search_text.split("\n", 2)[-1]  # title, metadata, then the sections
        fiche.excerpt = excerpt_html(body, stems)
    _cards(page.object_list)
    return CatalogueResult(page=page, total=total, facets=facets, query=query)


def _cards(fiches) -> None:
    """What each result shows, computed once for the page (as reunions' rows are): the link from the catalogue's
    URL, the gabarit's label translated once, the date formatted by `DateLabels`, the themes' names."""
    from core.dates import DateLabels

    prefix = reverse("fiches_experience:detail", kwargs={"slug": "-"})[:-2]
    gabarits = {value: str(label) for value, label in Gabarit.choices}
    dates = DateLabels()
    for fiche in fiches:
        fiche.card_url = f"{prefix}{fiche.slug}/"
        meta = [gabarits.get(fiche.gabarit, fiche.gabarit)]
        if fiche.territoire_id:
            meta.append(str(fiche.territoire))
        if fiche.published_at:
            meta.append(f"publiée le {dates.day(fiche.published_at)}")
        fiche.card_meta = " — ".join(meta)
        fiche.card_themes = [theme.name for theme in fiche.themes.all()]


CATALOGUE_CACHE_SECONDS = 600


def catalogue_cache_key(params) -> str:
    """The key of a catalogue page's rendered results: its query string and the state of what it reads. With the
    shared cache, the generations of the tables it reads (core.pagecache: any write to a fiche, its themes or
    dispositifs, a territory, a theme or a dispositif, from any process, makes a new key; no query). Without it,
    the fiches' count and last change (one aggregate)."""
    import hashlib

    from django.db.models import Max

    from core import pagecache

    state = pagecache.table_generations(catalogue_tables()) if pagecache.enabled() else None
    if state is None:
        found = FicheExperience.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
        state = (found["n"], found["last"].isoformat() if found["last"] else "")
    query = sorted((k, v) for k, values in params.lists() for v in values)
    digest = hashlib.sha256(repr((state, query)).encode()).hexdigest()[:32]
    return f"fiches:catalogue:{digest}"


def catalogue_tables() -> list[str]:
    """The tables whose rows a catalogue page shows."""
    return [
        FicheExperience._meta.db_table,
        FicheExperience.themes.through._meta.db_table,
        FicheExperience.dispositifs.through._meta.db_table,
        Theme._meta.db_table,
        Dispositif._meta.db_table,
        FicheExperience._meta.get_field("territoire").related_model._meta.db_table,
    ]


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
