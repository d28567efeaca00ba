"""The public catalogue's reads: full-text search, facets with counts, one page of results — in five queries.

PostgreSQL: `websearch_to_tsquery('french_unaccent', q)` against the weighted `search_vector` (GIN index), ranked
with ts_rank, excerpts by ts_headline. The column is not mapped by the ORM (see models), hence the RawSQL.
SQLite (`make run` without a database server): every word must appear in `search_text` (icontains).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, FloatField, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils.html import escape

from collectifs.models import Dispositif, Theme
from fiches_experience.models import FicheExperience, Gabarit, PublicCible
from fiches_experience.text import obfuscate_emails

PAGE_SIZE = 20
TABLE = FicheExperience._meta.db_table
TSQUERY = "websearch_to_tsquery('french_unaccent', %s)"
# Markers that cannot occur in escaped text; they become <mark> after the excerpt is escaped.
START, STOP = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f'StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


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


def match(queryset: QuerySet, query: str) -> QuerySet:
    """Fiches matching the words typed, accents and endings ignored on PostgreSQL."""
    if not query:
        return queryset
    if is_postgresql():
        # A self-contained subquery (GIN index): it stays valid when this queryset is itself used as a subquery.
        return queryset.filter(
            pk__in=RawSQL(f'SELECT "id" FROM "{TABLE}" WHERE "search_vector" @@ {TSQUERY}', [query])
        )
    condition = Q()
    for word in query.split():
        condition &= Q(search_text__icontains=word)
    return queryset.filter(condition)


def rank(queryset: QuerySet, query: str) -> QuerySet:
    """Best matches first (title weighs more than metadata, which weighs more than sections), with an excerpt."""
    if not query or not is_postgresql():
        return queryset.annotate(excerpt_raw=RawSQL("''", [], output_field=TextField()))
    return queryset.annotate(
        rank=RawSQL(f'ts_rank("{TABLE}"."search_vector", {TSQUERY})', [query], output_field=FloatField()),
        excerpt_raw=RawSQL(
            f'ts_headline(\'french_unaccent\', "{TABLE}"."search_text", {TSQUERY}, %s)',
            [query, HEADLINE_OPTIONS],
            output_field=TextField(),
        ),
    ).order_by("-rank", "-published_at")


def excerpt_html(raw: str) -> str:
    """The ts_headline excerpt, escaped, with the matched words in <mark> and no harvestable e-mail address."""
    if not raw:
        return ""
    text = escape(" ".join(raw.split()))
    text = re.sub(f"{START}(.*?){STOP}", r"<mark>\1</mark>", text).replace(START, "").replace(STOP, "")
    return obfuscate_emails(text)


FILTERS = {
    "territoire": "territoire_id",
    "theme": "themes__slug",
    "dispositif": "dispositifs__slug",
    "public": "public_cible",
    "gabarit": "gabarit",
}


def catalogue(params, *, page_number: str | int | None = 1) -> CatalogueResult:
    """Published fiches filtered by the query string `params` (q and the facets), one page of them."""
    query = (params.get("q") or "").strip()[:200]
    selected = {name: (params.get(name) or "").strip() for name in FILTERS}
    filtered = FicheExperience.objects.published()
    for name, lookup in FILTERS.items():
        value = selected[name]
        if value:
            if name == "territoire" and not value.isdigit():
                return _empty(query, selected)
            filtered = filtered.filter(**{lookup: value})
    filtered = match(filtered, query)
    ids = filtered.values("pk")

    # One grouped query gives the total and three facets: each fiche falls in exactly one group.
    groups = (
        filtered.values("gabarit", "public_cible", "territoire_id", "territoire__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    by_gabarit: dict[str, int] = {}
    by_public: dict[str, int] = {}
    by_territoire: dict[int, list] = {}
    for row in groups:
        by_gabarit[row["gabarit"]] = by_gabarit.get(row["gabarit"], 0) + row["n"]
        if row["public_cible"]:
            by_public[row["public_cible"]] = by_public.get(row["public_cible"], 0) + row["n"]
        if row["territoire_id"]:
            entry = by_territoire.setdefault(row["territoire_id"], [row["territoire__name"], 0])
            entry[1] += row["n"]
    total = sum(by_gabarit.values())

    themes = Theme.objects.filter(fiches__in=ids).annotate(n=Count("fiches", distinct=True))
    dispositifs = Dispositif.objects.filter(fiches__in=ids).annotate(n=Count("fiches", distinct=True))
    facets = [
        Facet(
            "territoire",
            "Territoire",
            [
                FacetValue(str(pk), name, n, selected["territoire"] == str(pk))
                for pk, (name, n) in sorted(by_territoire.items(), key=lambda item: item[1][0])
            ],
        ),
        Facet("theme", "Thème", [FacetValue(t.slug, t.name, t.n, selected["theme"] == t.slug) for t in themes]),
        Facet(
            "dispositif",
            "Dispositif",
            [FacetValue(d.slug, str(d), d.n, selected["dispositif"] == d.slug) for d in dispositifs],
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

    results = rank(filtered.distinct() if _has_m2m_filter(selected) else filtered, query)
    results = results.select_related("territoire").prefetch_related("themes")
    paginator = Paginator(results, PAGE_SIZE)
    paginator.count = total  # known from the facet query: no COUNT(*) of its own
    page = paginator.get_page(page_number)
    for fiche in page.object_list:
        fiche.excerpt = excerpt_html(fiche.excerpt_raw)
    return CatalogueResult(page=page, total=total, facets=facets, query=query)


def _has_m2m_filter(selected: dict[str, str]) -> bool:
    return bool(selected["theme"] or selected["dispositif"])


def _empty(query: str, selected: dict[str, str]) -> CatalogueResult:
    paginator = Paginator(FicheExperience.objects.none(), PAGE_SIZE)
    return CatalogueResult(page=paginator.get_page(1), total=0, facets=[], query=query)
