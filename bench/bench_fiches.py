"""Fiches expérience: catalogue search over 5,000 published fiches, and importing 1,000 fiches.

Search is timed as server time through Django's test client (middleware, view, five queries, template).
Each generated fiche is about four of the 42 domain words among ordinary words (about 1,300 words, like the
fiches of seed 003), so a one-word query matches roughly a tenth of the catalogue. The fiches are
bulk-inserted, then indexed by one UPDATE with the same weights as `services.fiche_reindex`.
"""

from __future__ import annotations

import random
import time

from bench.common import Row, median_p95, ms, timings

N_FICHES = 5_000
N_IMPORT = 1_000
VOCABULARY = (
    "décrochage scolaire collège lycée parents familles orientation exclusion temporaire médiation partenariat "
    "réussite éducative coopération évaluation accompagnement jeunes quartier politique ville association "
    "prévention santé bien-être mixité sociale premier degré stage établissement réseau acteurs éducatifs "
    "formation culture commune dispositif territoire coordination élèves persévérance engagement"
)
WORDS = VOCABULARY.split()
QUERIES = ["decrochage", "parents orientation", "mediation scolaire", "exclusion", "cooperation educative", "sante"]


SYLLABLES_TEXT = "ba ra lo mi tu ne ca pa ri do ve sa lu mo ti che con tra pre ment tion age eur ique"
SYLLABLES = SYLLABLES_TEXT.split()
# Ordinary words: a real fiche names a few topics among many other words, so a query matches some fiches, not all.
FILLER = sorted({"".join(random.Random(n).choices(SYLLABLES, k=3)) for n in range(4_000)})


def _text(rng: random.Random, n: int, topics: list[str] | None = None) -> str:
    topics = topics or WORDS
    return " ".join(rng.choice(topics) if rng.random() < 0.05 else rng.choice(FILLER) for _ in range(n))


def _populate() -> None:
    from django.db import connection
    from django.utils import timezone

    from collectifs.models import Territoire, Theme
    from fiches_experience.models import CRPV_SECTIONS, FicheExperience, FicheSection, Gabarit, Status
    from fiches_experience.services import RANK_OPENING

    FicheExperience.objects.all().delete()
    rng = random.Random(42)
    territoires = [
        Territoire.objects.get_or_create(name=f"Commune bench {i}", kind=Territoire.Kind.COMMUNE)[0] for i in range(50)
    ]
    themes = list(Theme.objects.all())
    now = timezone.now()
    fiches = []
    bodies = []
    for i in range(N_FICHES):
        topics = rng.sample(WORDS, 4)
        title = f"{' '.join(rng.sample(topics, 2)).capitalize()} {_text(rng, 3, topics)} {i}"
        body = [f"<p>{_text(rng, 60, topics)}</p><p>{_text(rng, 60, topics)}</p>" for _ in CRPV_SECTIONS]
        bodies.append(body)
        fiches.append(
            FicheExperience(
                gabarit=Gabarit.CRPV,
                title=title,
                slug=f"bench-{i}",
                title_key=title.lower(),
                territoire=rng.choice(territoires),
                status=Status.PUBLISHED,
                published_at=now,
                search_text=title + "\n" + "\n".join(b.replace("<p>", "").replace("</p>", "\n") for b in body),
            )
        )
    FicheExperience.objects.bulk_create(fiches, batch_size=500)
    sections = [
        FicheSection(fiche=fiche, key=key, heading=heading, html=html, position=pos)
        for fiche, body in zip(fiches, bodies, strict=True)
        for pos, ((key, heading), html) in enumerate(zip(CRPV_SECTIONS, body, strict=True))
    ]
    FicheSection.objects.bulk_create(sections, batch_size=2_000)
    through = FicheExperience.themes.through
    through.objects.bulk_create(
        [through(ficheexperience_id=f.pk, theme_id=t.pk) for f in fiches for t in rng.sample(themes, 2)],
        batch_size=2_000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE fiches_experience_ficheexperience SET search_vector ="
                " setweight(to_tsvector('french_unaccent', title), 'A')"
                " || setweight(to_tsvector('french_unaccent', search_text), 'C'),"
                " search_rank_vector = setweight(to_tsvector('french_unaccent', title), 'A')"
                f" || setweight(to_tsvector('french_unaccent', left(search_text, {RANK_OPENING})), 'C')"
            )
        # What autovacuum does on a live database: drop the dead rows of earlier runs, flush the GIN pending
        # list, and give the planner statistics on the vectors (else it scans every row instead of the index).
        for table in ("fiches_experience_ficheexperience", "fiches_experience_ficheexperience_themes"):
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {table}")


def _import_text(n: int) -> str:
    from fiches_experience.models import CRPV_SECTIONS

    rng = random.Random(7)
    blocks = []
    for i in range(n):
        lines = [f"Normandie\tFiche importée numéro {i} {_text(rng, 3)}"]
        lines += [f"{heading}\t<p>{_text(rng, 40)}</p>" for _, heading in CRPV_SECTIONS]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _messy_lines(n_lines: int) -> str:
    """A CRPV annex of `n_lines` lines shaped like the real one: per fiche, a header row, sections, footnotes,
    untabbed continuation and list lines, a table with its rule line; plus one section thousands of lines long
    (the case that was quadratic)."""
    from fiches_experience.models import CRPV_SECTIONS

    rng = random.Random(11)
    lines: list[str] = []
    i = 0
    while len(lines) < n_lines * 9 // 10:
        lines.append(f"Seine-Saint-Denis\tFiche du bench {i}")
        lines += [f"{heading}\t<p>{_text(rng, 12)}</p>" for _, heading in CRPV_SECTIONS[:6]]
        lines += [f"- {_text(rng, 6)}", f"¹ {_text(rng, 5)}", "Action\tPublic", "--\t---", f"{_text(rng, 2)}\tjeunes"]
        lines.append("")
        i += 1
    lines.append("Normandie\tUne fiche très longue")
    lines.append("Identité\t<p>début</p>")
    lines += [f"- {_text(rng, 6)}" for _ in range(n_lines - len(lines))]
    return "\n".join(lines)


def _time_import_lines(n_lines: int) -> tuple[float, float]:
    """(parse seconds, parse + dry-run import seconds) of a messy annex of `n_lines` lines."""
    from fiches_experience.importer import fiches_import, parse_files

    text = _messy_lines(n_lines)
    start = time.perf_counter()
    parsed = parse_files([("annexe.txt", text)])
    parsed_at = time.perf_counter()
    fiches_import(parsed=parsed, dry_run=True)
    return parsed_at - start, time.perf_counter() - start


def run_lines() -> list[Row]:
    """Import of 10k and 20k lines: twice the lines should take about twice the time (it was 0.9 s → 5.1 s)."""
    rows = []
    measured = {}
    for n_lines in (10_000, 20_000):
        parse, total = min(_time_import_lines(n_lines) for _ in range(3))
        measured[n_lines] = (parse, total)
        rows.append(Row("import_fiches --dry-run (parse)", f"{n_lines} lignes", f"{parse:.2f} s", "", "linéaire"))
        rows.append(Row("import_fiches --dry-run (total)", f"{n_lines} lignes", f"{total:.2f} s", "", "linéaire"))
    ratio_parse = measured[20_000][0] / measured[10_000][0]
    ratio_total = measured[20_000][1] / measured[10_000][1]
    rows.append(
        Row("import 20k / 10k lignes", "parse, total", f"{ratio_parse:.2f}", f"{ratio_total:.2f}", "≈ 2 (≤ 2.5)")
    )
    return rows


def run() -> list[Row]:
    from django.test import Client

    from core import pagecache
    from fiches_experience.importer import fiches_import, parse_files
    from fiches_experience.models import FicheExperience

    _populate()
    client = Client(HTTP_HOST="localhost")
    queries = iter(QUERIES * 100)

    def search() -> None:
        response = client.get("/fiches/", {"q": next(queries)})
        assert response.status_code == 200, response.status_code

    # Uncached: the catalogue's rendered results are cached under the generation of the tables it reads
    # (search.catalogue_cache_key); before each timed search, that of the fiches moves on, as when a fiche is
    # published or edited, so the search runs its queries and renders. (Emptying Redis instead would also time the
    # rebuilding of every generation key, which only happens after Redis itself was emptied.)
    def changed() -> None:
        pagecache.move_generation([FicheExperience._meta.db_table])

    def browse() -> None:
        assert client.get("/fiches/", {"theme": "decrochage-scolaire", "page": 3}).status_code == 200

    rows = []
    for label, func, repeat, target in (
        ("catalogue search", search, 120, "p95 < 20 ms"),
        ("catalogue facets, no query", browse, 60, "p95 < 100 ms"),
    ):
        for _ in range(3):
            changed()
            func()
        samples = []
        for _ in range(repeat):
            changed()
            start = time.perf_counter()
            func()
            samples.append(time.perf_counter() - start)
        median, p95 = median_p95(samples)
        rows.append(Row(f"{label}, uncached (server time)", f"{N_FICHES} fiches", ms(median), ms(p95), target))
    median, p95 = median_p95(timings(search, repeat=60))
    rows.append(Row("catalogue search, cached", f"{N_FICHES} fiches", ms(median), ms(p95), ""))

    text = _import_text(N_IMPORT)
    start = time.perf_counter()
    report = fiches_import(parsed=parse_files([("bench.txt", text)]))
    elapsed = time.perf_counter() - start
    assert report.created == N_IMPORT, report.created
    rows.append(Row("import_fiches", f"{N_IMPORT} fiches", f"{elapsed:.1f} s", f"{elapsed:.1f} s", "< 20 s"))
    FicheExperience.objects.all().delete()
    return rows + run_lines()
