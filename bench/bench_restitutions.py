"""Printing restitutions: WeasyPrint (what the platform uses) against headless Chromium (a reference).

Seed 001 alone (target < 1 s) and a cycle of 4 restitutions with a table of contents (target < 3 s). Chromium
prints the same HTML and stylesheet from files; it ignores the running header and the page references of the
contents (WeasyPrint-only CSS), so its figure is a reference for speed, not for the document.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from bench.common import Row, median_p95, ms, timings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-pdf-header-footer",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _world():
    from collectifs.models import Collectif, Territoire
    from membres.models import User
    from restitutions import services
    from restitutions.models import Cycle, Point
    from restitutions.parsing import parse_restitution

    territoire, _ = Territoire.objects.get_or_create(name="Banc d'essai", kind=Territoire.Kind.COMMUNE)
    collectif = Collectif.objects.create(
        name="Collectif du banc d'essai", slug="bench-restitutions", territoire=territoire
    )
    by = User.objects.create_user(email="bench-restitutions@exemple.org")
    cycle = Cycle.objects.create(collectif=collectif, name="Cycle du banc d'essai", organiser="CRPV")
    text = (
        Path(__file__).resolve().parent.parent / "restitutions" / "fixtures" / "seed_001_atelier_2.txt"
    ).read_text()
    parsed = parse_restitution(text)
    restitutions = [
        services.restitution_import(
            by=by,
            collectif=collectif,
            cycle=cycle,
            title=f"{parsed.title} ({n + 1})",
            atelier_numbers=str(n + 1),
            points=[(line.section, line.text) for line in parsed.lines if line.section in Point.Section.values],
        )
        for n in range(4)
    ]
    return cycle, restitutions[0]


def _chromium_pdf(html: str, static_dir: Path) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "document.html"
        out = Path(tmp) / "document.pdf"
        source.write_text(html.replace('href="/static/', f'href="{static_dir.as_uri()}/'))
        subprocess.run(
            [CHROMIUM, *CHROMIUM_ARGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", source.as_uri()],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return out.read_bytes()


def _pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def run() -> list[Row]:
    from django.conf import settings
    from django.db import transaction
    from django.template.loader import render_to_string

    from restitutions import printing
    from restitutions.models import Restitution

    rows = []
    with transaction.atomic():
        cycle, single = _world()
        single = printing.with_content(Restitution.objects.filter(pk=single.pk)).get()
        members = list(printing.cycle_restitutions(cycle))

        single_pdf = printing.render_restitution_pdf(single)
        cycle_pdf = printing.render_cycle_pdf(cycle, members)
        for measure, func, size, target, repeat in (
            (
                "restitution PDF, WeasyPrint (seed 001)",
                lambda: printing.render_restitution_pdf(single),
                f"20 points, {_pages(single_pdf)} pages",
                "< 1 s",
                15,
            ),
            (
                "cycle PDF, WeasyPrint (4 restitutions + sommaire)",
                lambda: printing.render_cycle_pdf(cycle, members),
                f"80 points, {_pages(cycle_pdf)} pages",
                "< 3 s",
                8,
            ),
        ):
            median, p95 = median_p95(timings(func, repeat=repeat, warmup=1))
            rows.append(Row(measure, size, ms(median), ms(p95), target))

        static_dir = Path(settings.BASE_DIR) / "static"
        context = {"pdf_lang": "fr"}
        single_html = render_to_string(
            "pdf/restitution.html",
            {
                **context,
                "pdf_title": single.title,
                "item": printing._item(single, with_cycle=True),
                "running_header": "",
            },
        )
        cycle_html = render_to_string(
            "pdf/cycle.html",
            {
                **context,
                "pdf_title": cycle.name,
                "cycle": cycle,
                "items": [printing._item(r, with_cycle=False) for r in members],
                "running_header": cycle.name,
            },
        )
        for measure, html, size in (
            ("restitution PDF, headless Chromium (reference)", single_html, "20 points"),
            ("cycle PDF, headless Chromium (reference)", cycle_html, "80 points"),
        ):
            pdf = _chromium_pdf(html, static_dir)
            median, p95 = median_p95(timings(lambda html=html: _chromium_pdf(html, static_dir), repeat=5, warmup=1))
            rows.append(Row(measure, f"{size}, {_pages(pdf)} pages", ms(median), ms(p95), "reference"))
        transaction.set_rollback(True)
    return rows
